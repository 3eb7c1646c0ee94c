namespace OpenBanking.Sandbox.Payments;

/// <summary>
/// Documented scenario triggers (docs/payments.md): an amount or a payee name that provokes an outcome on purpose,
/// like a card network's test numbers.
/// </summary>
public enum Scenario
{
    None,
    InsufficientFunds,
    RiskRejection,
    HeldForReview,
    SlowSettlement,
    SettlementFailure,
}

public static class Scenarios
{
    private static readonly Dictionary<string, Scenario> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Insufficient Funds Ltd"] = Scenario.InsufficientFunds,
        ["Risky Payee Ltd"] = Scenario.RiskRejection,
        ["Review Payee Ltd"] = Scenario.HeldForReview,
        ["Slow Payee Ltd"] = Scenario.SlowSettlement,
        ["Failing Payee Ltd"] = Scenario.SettlementFailure,
    };

    private static readonly Dictionary<long, Scenario> Amounts = new()
    {
        [991] = Scenario.InsufficientFunds,
        [992] = Scenario.RiskRejection,
        [993] = Scenario.HeldForReview,
        [994] = Scenario.SlowSettlement,
        [995] = Scenario.SettlementFailure,
    };

    /// <summary>The scenario an amount (9.91 to 9.95 in any currency) or a creditor name triggers.</summary>
    public static Scenario Match(long amountMinor, string creditorName)
        => Names.TryGetValue(creditorName.Trim(), out var byName) ? byName
            : Amounts.TryGetValue(amountMinor, out var byAmount) ? byAmount
            : Scenario.None;
}
