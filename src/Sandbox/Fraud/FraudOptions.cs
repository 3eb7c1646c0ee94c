namespace OpenBanking.Sandbox.Fraud;

/// <summary>The fraud model's settings (<c>Sandbox:Fraud</c>, docs/fraud.md).</summary>
public sealed class FraudOptions
{
    public const string SectionName = "Sandbox:Fraud";

    /// <summary>False: the rules decide alone (and <c>/health</c> stays healthy: it was asked for).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The model file; relative to the Sandbox's own directory unless rooted. Its thresholds are in the JSON beside it.</summary>
    public string ModelPath { get; set; } = "Fraud/Model/fraud-model-v1.zip";

    /// <summary>The model's probability that holds a payment for review (40 points); null for the trained threshold.</summary>
    public double? ReviewThreshold { get; set; }

    /// <summary>The probability that rejects a payment (70 points); null for the trained threshold.</summary>
    public double? RejectThreshold { get; set; }

    /// <summary>Below this probability the model lifts a hold the rules' soft signals alone would make; 0 turns that off; null for the trained value.</summary>
    public double? ClearBelow { get; set; }
}
