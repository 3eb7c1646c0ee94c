using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Fraud;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Payments.Pipeline;

/// <summary>
/// The risk screen in full (docs/payments.md): documented scenario triggers, then the rules over the payer's own
/// history. It only reads, so it runs before the transaction and keeps the transaction short.
/// </summary>
public sealed class ScreenRisk(RiskProfiles risk, IOptions<PaymentOptions> options, TimeProvider time) : IPaymentStep
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

    /// <summary>The screening is recorded with the payment, in its transaction (the fraud dashboard's feed).</summary>
    public ValueTask ApplyAsync(PaymentContext payment, SandboxDbContext tx, CancellationToken ct)
    {
        var made = payment.RequirePayment();
        var assessment = payment.RequireAssessment();
        tx.PaymentScreenings.Add(new PaymentScreening
        {
            PaymentId = made.Id,
            Kind = made.Kind,
            TenantId = made.TenantId,
            ClientId = made.ClientId,
            CustomerId = made.CustomerId,
            AmountMinor = made.AmountMinor,
            Currency = made.Currency,
            RuleScore = assessment.Score,
            Score = assessment.Score,
            Decision = assessment.Decision,
            Reasons = made.RiskReasons,
            ScoredAt = payment.Now,
            RecordedAt = time.GetUtcNow().UtcDateTime,
        });
        return ValueTask.CompletedTask;
    }

    /// <summary>The payment counts towards its payer's velocity from now on (and its payee is known once money went).</summary>
    public void Committed(PaymentContext payment) => risk.Record(payment.RequirePayment());
}
