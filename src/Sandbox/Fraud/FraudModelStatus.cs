namespace OpenBanking.Sandbox.Fraud;

/// <summary>
/// The fraud model the Sandbox scores payments with, as the bank's dashboard and <c>/health</c> show it: which version
/// is loaded and how it measured on its held-out set, or why the rules decide alone.
/// </summary>
public sealed record FraudModelInfo(
    bool Loaded, string? Version, DateTimeOffset? TrainedAt, string? FallbackReason, FraudEvaluation? Evaluation);

/// <summary>How the engines measured on a held-out set generated with other seeds (docs/fraud.md).</summary>
public sealed record FraudEvaluation(
    int Payments, int Frauds, string Seeds, IReadOnlyList<FraudEvaluationRow> Engines);

/// <summary>
/// One engine's figures (<c>Engine</c>: <c>rules</c>, <c>model</c> or <c>combined</c>): ROC-AUC, and at its operating
/// threshold the precision, recall (share of fraud caught) and false-positive rate (share of good payments flagged).
/// </summary>
public sealed record FraudEvaluationRow(
    string Engine, double RocAuc, double Threshold, double Precision, double Recall, double FalsePositiveRate);

/// <summary>The model currently in use (a singleton; the model is loaded once at start).</summary>
public interface IFraudModelStatus
{
    FraudModelInfo Current { get; }
}

/// <summary>No model configured: the rules decide alone.</summary>
public sealed class RulesOnlyModelStatus : IFraudModelStatus
{
    public FraudModelInfo Current { get; } = new(false, null, null, "No fraud model is configured; the rules decide alone.", null);
}
