namespace OpenBanking.Sandbox.Internal;

/// <summary>Sandbox behaviour switches (<c>Sandbox</c> section).</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>Accept the fixed code <see cref="StaticOtp"/> as every customer's second factor (Development default).</summary>
    public bool StaticOtpEnabled { get; set; }

    public const string StaticOtp = "123456";
}
