using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.Fraud;

/// <summary>
/// How one payment was screened for fraud, written in the payment's own transaction: the rules' score, the model's,
/// the decision they made together and why. The bank's fraud dashboard reads these in <see cref="Id"/> order (its
/// cursor), and a reviewer's release or rejection of a held payment is recorded on the same row.
/// </summary>
public sealed class PaymentScreening
{
    /// <summary>Increasing: the live feed's cursor.</summary>
    public long Id { get; set; }
    public required string PaymentId { get; set; }
    public PaymentKind Kind { get; set; }
    public Guid TenantId { get; set; }
    public required string ClientId { get; set; }
    public required string CustomerId { get; set; }
    public long AmountMinor { get; set; }
    public required string Currency { get; set; }
    /// <summary>The hand-written rules' score alone (0–100).</summary>
    public int RuleScore { get; set; }
    /// <summary>The learned model's probability of fraud (0–1); null when no model was loaded (rules alone decided).</summary>
    public double? ModelScore { get; set; }
    /// <summary>The model file's version that scored it; null with <see cref="ModelScore"/>.</summary>
    public string? ModelVersion { get; set; }
    /// <summary>The combined score (0–100) the decision was taken on.</summary>
    public int Score { get; set; }
    /// <summary>Accept, Review (held) or Reject; stored as its name.</summary>
    public RiskDecision Decision { get; set; }
    /// <summary>The rules that fired and the model's top contributing features, in words, '; '-separated.</summary>
    public required string Reasons { get; set; }
    /// <summary>The payment's time on its tenant's clock (UTC).</summary>
    public DateTime ScoredAt { get; set; }
    /// <summary>Wall-clock time it was recorded (UTC): the dashboard's rates are over real time, whatever a tenant's clock says.</summary>
    public DateTime RecordedAt { get; set; }
    /// <summary>Set when a reviewer released (true) or rejected (false) a held payment.</summary>
    public bool? ReviewReleased { get; set; }
    public DateTime? ReviewedAt { get; set; }
    /// <summary>Who reviewed it (an opaque user id of the bank's staff or the partner's developer).</summary>
    public string? ReviewedBy { get; set; }
    public string? ReviewNote { get; set; }
}
