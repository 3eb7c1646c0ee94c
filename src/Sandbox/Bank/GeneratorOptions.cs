namespace OpenBanking.Sandbox.Bank;

/// <summary>How much data a tenant's bank gets (<c>Sandbox:Generator</c>).</summary>
public sealed class GeneratorOptions
{
    public const string SectionName = "Sandbox:Generator";

    /// <summary>Customers generated besides the five personas.</summary>
    public int GeneratedCustomers { get; set; } = 15;

    /// <summary>Months of history of each generated customer.</summary>
    public int GeneratedHistoryMonths { get; set; } = 6;

    /// <summary>Average card payments per day on a generated customer's current account (load tests raise it).</summary>
    public double GeneratedCardPaymentsPerDay { get; set; } = 0.8;
}
