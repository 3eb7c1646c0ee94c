using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Fraud;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Payments.Pipeline;

/// <summary>
/// The risk screen in full (docs/payments.md, docs/fraud.md): documented scenario triggers, the rules over the payer's
/// own history, and the fraud model beside them (<see cref="FraudEngine"/> combines the two; without a model the
/// rules decide alone). It only reads, so it runs before the transaction and keeps the transaction short.
/// </summary>
public sealed class ScreenRisk(RiskProfiles risk, IOptions<PaymentOptions> options, TimeProvider? time = null, FraudModel? fraud = null) : IPaymentStep
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async ValueTask CheckAsync(PaymentContext payment, CancellationToken ct)
    {
        var made = payment.RequirePayment();
        var scenario = payment.ScenarioOverride ?? Scenarios.Match(made.AmountMinor, made.CreditorName);
        var (history, fraudHistory) = await risk.SnapshotAsync(payment.Debtor!, made.CreditorIdentification, made.CreditorAccountId, ct);
        var localHour = risk.LocalHour();
        var assessment = RiskRules.Assess(made.AmountMinor, made.Currency, localHour, history, scenario, options.Value.Velocity,
            payment.Findings, payment.ForcedDecision);
        payment.RuleScore = assessment.Score;

        if (fraud is { Loaded: true } model)
        {
            var input = new FraudPayment(made.AmountMinor, made.Currency, made.CreditorIdentification, payment.Now, localHour,
                payment.Consent?.CreationDateTime.UtcDateTime, ContextCode(payment.Instruction.Risk), assessment.Score);
            if (model.Score(input, fraudHistory) is { } score)
            {
                // Scenario triggers and screening verdicts stand exactly as the rules made them.
                var rulesFinal = scenario != Scenario.None || payment.ForcedDecision is not null;
                var combined = FraudEngine.Combine(assessment.Score, score.Probability, model.Thresholds, rulesFinal);
                assessment = new RiskAssessment(combined.Score, [.. assessment.Reasons, Describe(score, combined)]);
                payment.Model = score;
            }
        }

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
            RuleScore = payment.RuleScore ?? assessment.Score,
            ModelScore = payment.Model is { } model ? Math.Round(model.Probability, 6) : null,
            ModelVersion = payment.Model?.Version,
            Score = assessment.Score,
            Decision = assessment.Decision,
            Reasons = made.RiskReasons,
            ScoredAt = payment.Now,
            RecordedAt = _time.GetUtcNow().UtcDateTime,
        });
        return ValueTask.CompletedTask;
    }

    /// <summary>The payment counts towards its payer's velocity from now on (and its payee is known once money went).</summary>
    public void Committed(PaymentContext payment) => risk.Record(payment.RequirePayment());

    /// <summary>"Model v1: 93.1% likely fraud (+70): amount 14× usual, payee added 3 minutes ago, sent at 03:00, …"</summary>
    private static string Describe(FraudScore score, CombinedScore combined)
    {
        var head = string.Format(CultureInfo.InvariantCulture, "Model {0}: {1:0.0}% likely fraud", score.Version, score.Probability * 100);
        if (combined.Cleared)
        {
            return head + " (hold lifted: the model finds it genuine)";
        }

        // What raised the score is worth saying when the model did raise it; otherwise the probability alone.
        return combined.ModelPoints >= 20 && score.TopFeatures.Count > 0
            ? $"{head} (+{combined.ModelPoints}): {string.Join(", ", score.TopFeatures)}"
            : head;
    }

    private static string? ContextCode(JsonElement risk)
        => risk.ValueKind == JsonValueKind.Object && risk.TryGetProperty("PaymentContextCode", out var code) && code.ValueKind == JsonValueKind.String
            ? code.GetString()
            : null;
}
