using Microsoft.ML.Data;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.Fraud;

/// <summary>The model's input row: the features in <see cref="FraudFeatures.Names"/> order, and the ground truth when training.</summary>
public sealed class FraudRow
{
    [VectorType(FraudFeatures.Count)]
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }
}

/// <summary>The model's output: the calibrated probability of fraud and each feature's contribution to the score.</summary>
public sealed class FraudPrediction
{
    public float Probability { get; set; }

    public float Score { get; set; }

    [VectorType(FraudFeatures.Count)]
    public float[] FeatureContributions { get; set; } = [];
}

/// <summary>
/// Where the model's probability holds a payment for review or rejects it, and below which it lifts a hold the rules'
/// softer signals alone would make (the trainer picks them on a calibration set; <c>Sandbox:Fraud</c> may override).
/// </summary>
public sealed record FraudThresholds(double Review, double Reject, double ClearBelow);

/// <summary>The combined decision's score (0–100) and whether the model lifted a hold the rules alone would have made.</summary>
public readonly record struct CombinedScore(int Score, int ModelPoints, bool Cleared)
{
    public RiskDecision Decision => Score >= RiskAssessment.RejectFrom ? RiskDecision.Reject : Score >= RiskAssessment.ReviewFrom ? RiskDecision.Review : RiskDecision.Accept;
}

/// <summary>
/// How the rules and the model decide together (pure; the same for evaluation and live scoring). The model's
/// probability becomes points on the rules' scale — its review threshold is 40, its reject threshold 70 — and the
/// higher of the two scores decides. One exception lets the model lower a score: when the rules hold a payment
/// (40–69) on soft signals alone and the model is sure it is genuine (below <see cref="FraudThresholds.ClearBelow"/>),
/// the hold is lifted. Rejections by the rules, screening verdicts and scenario triggers always stand.
/// </summary>
public static class FraudEngine
{
    public static CombinedScore Combine(int ruleScore, double probability, FraudThresholds thresholds, bool rulesFinal = false)
    {
        var points = ModelPoints(probability, thresholds);
        if (rulesFinal)
        {
            return new CombinedScore(ruleScore, points, false);
        }

        var cleared = probability < thresholds.ClearBelow && ruleScore is >= RiskAssessment.ReviewFrom and < RiskAssessment.RejectFrom;
        var score = Math.Max(cleared ? RiskAssessment.ReviewFrom - 1 : ruleScore, points);
        return new CombinedScore(Math.Min(score, 100), points, cleared && points < RiskAssessment.ReviewFrom);
    }

    /// <summary>The probability on the rules' 0–100 scale: piecewise linear through (review, 40) and (reject, 70).</summary>
    public static int ModelPoints(double p, FraudThresholds t)
    {
        double points = p >= t.Reject ? 70 + (30 * (p - t.Reject) / Math.Max(1 - t.Reject, 1e-9))
            : p >= t.Review ? 40 + (30 * (p - t.Review) / Math.Max(t.Reject - t.Review, 1e-9))
            : 40 * p / Math.Max(t.Review, 1e-9);
        return (int)Math.Clamp(Math.Floor(points), 0, 100);
    }
}
