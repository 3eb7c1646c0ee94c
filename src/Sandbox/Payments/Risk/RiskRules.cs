using OpenBanking.Sandbox.Bank;

namespace OpenBanking.Sandbox.Payments;

/// <summary>What the risk rules know of the payer's own history.</summary>
public sealed record RiskHistory(
    int DebitCount,
    double MeanDebitMinor,
    double StdDevDebitMinor,
    int PaymentsLast10Minutes,
    int PaymentsLastHour,
    bool KnownPayee,
    string? UsualCurrency);

/// <summary>A risk finding from outside the rules (cross-border screening): its points and its reason in words.</summary>
public sealed record RiskFinding(int Points, string Reason);

public enum RiskDecision
{
    Accept,
    Review,
    Reject,
}

/// <summary>A payment's risk score (0–100), the rules that raised it, and what follows.</summary>
public sealed record RiskAssessment(int Score, IReadOnlyList<string> Reasons)
{
    public const int ReviewFrom = 40;
    public const int RejectFrom = 70;

    public RiskDecision Decision => Score >= RejectFrom ? RiskDecision.Reject : Score >= ReviewFrom ? RiskDecision.Review : RiskDecision.Accept;

    public string Describe() => $"Risk score {Score}/100 ({Decision}){(Reasons.Count > 0 ? ": " + string.Join("; ", Reasons) : string.Empty)}";
}

/// <summary>
/// The risk rules (docs/payments.md): each adds to the score; 40 or more holds the payment for review, 70 or more
/// rejects it. Pure, so each rule is tested on its own.
/// </summary>
public static class RiskRules
{
    public const long LargeAmountMinor = 2_500_000;
    public const long NoHistoryLimitMinor = 100_000;
    public const int MinimumHistory = 10;

    /// <param name="extra">Findings of the kind's own screening, each adding its points.</param>
    /// <param name="forced">An outcome the screening forces: Review holds the payment (score 55 unless already in review), Reject rejects it (95 at least).</param>
    public static RiskAssessment Assess(long amountMinor, string currency, int localHour, RiskHistory history, Scenario scenario = Scenario.None,
        VelocityLimits? velocity = null, IReadOnlyList<RiskFinding>? extra = null, RiskDecision? forced = null)
    {
        velocity ??= new VelocityLimits();
        var score = 0;
        var reasons = new List<string>();
        void Add(int points, string reason)
        {
            score += points;
            reasons.Add($"{reason} (+{points})");
        }

        if (history.DebitCount >= MinimumHistory)
        {
            if (amountMinor > history.MeanDebitMinor + 4 * history.StdDevDebitMinor && amountMinor > 3 * history.MeanDebitMinor)
            {
                Add(35, $"AmountFarAboveUsual: {Money.Format(amountMinor)} against a usual {Money.Format((long)history.MeanDebitMinor)}");
            }
        }
        else if (amountMinor >= NoHistoryLimitMinor)
        {
            Add(25, "LargeAmountWithoutHistory");
        }

        if (amountMinor >= LargeAmountMinor)
        {
            Add(30, "VeryLargeAmount");
        }

        if (history.PaymentsLast10Minutes >= velocity.PerTenMinutes)
        {
            Add(25, $"Velocity: {history.PaymentsLast10Minutes} payments in 10 minutes");
        }

        if (history.PaymentsLastHour >= velocity.PerHour)
        {
            Add(20, $"Velocity: {history.PaymentsLastHour} payments in an hour");
        }

        if (!history.KnownPayee)
        {
            Add(15, "NewPayee");
        }

        if (localHour is >= 0 and < 6)
        {
            Add(10, "UnusualHour");
        }

        if (history.UsualCurrency is { } usual && usual != currency)
        {
            Add(10, $"CrossCurrency: usually {usual}");
        }

        foreach (var finding in extra ?? [])
        {
            Add(finding.Points, finding.Reason);
        }

        // Screening's verdict stands whatever the history says (a sanctions hit is never waved through by a low score).
        if (forced == RiskDecision.Reject && score < 95)
        {
            score = 95;
        }
        else if (forced == RiskDecision.Review && score is < RiskAssessment.ReviewFrom or >= RiskAssessment.RejectFrom)
        {
            score = 55;
        }

        // The documented triggers force an outcome whatever the history says.
        if (scenario == Scenario.RiskRejection && score < 95)
        {
            Add(95 - score, "ScenarioTrigger: risk rejection");
        }
        else if (scenario == Scenario.HeldForReview && score is < 55 or >= RiskAssessment.RejectFrom)
        {
            reasons.Add("ScenarioTrigger: held for review");
            score = 55;
        }

        return new RiskAssessment(Math.Min(score, 100), reasons);
    }
}
