namespace OpenBanking.Gateway.Lint;

/// <summary><c>Gateway:SpecLint</c> settings.</summary>
public sealed class SpecLintOptions
{
    public const string SectionName = "Gateway:SpecLint";

    /// <summary>Off: calls are logged as before and keep <c>ProblemCount</c> null.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Calls waiting to be linted; beyond this they are dropped (counted, <c>gateway.spec_lint.dropped</c>) and stay unlinted.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>At most this many calls linted per second; the rest are sampled out (counted, <c>gateway.spec_lint.sampled_out</c>).</summary>
    public int MaxPerSecond { get; set; } = 200;
}
