using Microsoft.Extensions.Options;

namespace OpenBanking.Sandbox.Payments.Pipeline;

/// <summary>
/// The risk screen in full (docs/payments.md): documented scenario triggers, then the rules over the payer's own
/// history. It only reads, so it runs before the transaction and keeps the transaction short.
/// </summary>
public sealed class ScreenRisk(RiskProfiles risk, IOptions<PaymentOptions> options) : IPaymentStep
{
    public async ValueTask CheckAsync(PaymentContext payment, CancellationToken ct)
    {
        var made = payment.RequirePayment();
        var scenario = payment.ScenarioOverride ?? Scenarios.Match(made.AmountMinor, made.CreditorName);
        var history = await risk.HistoryAsync(payment.Debtor!, made.CreditorIdentification, ct);
        var assessment = RiskRules.Assess(made.AmountMinor, made.Currency, risk.LocalHour(), history, scenario, options.Value.Velocity,
            payment.Findings, payment.ForcedDecision);
        payment.Scenario = scenario;
        payment.Assessment = assessment;
        made.RiskScore = assessment.Score;
        made.RiskReasons = ColumnText.Truncate(string.Join("; ", assessment.Reasons), 512);
        made.Scenario = scenario == Scenario.None ? null : scenario.ToString();
    }

    /// <summary>The payment counts towards its payer's velocity from now on (and its payee is known once money went).</summary>
    public void Committed(PaymentContext payment) => risk.Record(payment.RequirePayment());
}
