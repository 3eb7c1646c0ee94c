using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Payments;

/// <summary>
/// Domestic payment consent statuses (OBWriteDomesticConsentResponse5): the part of <see cref="ConsentStatus"/> this
/// kind reaches, member for member (same names and numbers), so the lifecycle converts by a cast.
/// </summary>
public enum PaymentConsentStatus
{
    AwaitingAuthorisation = ConsentStatus.AwaitingAuthorisation,
    Authorised = ConsentStatus.Authorised,
    Rejected = ConsentStatus.Rejected,
    Consumed = ConsentStatus.Consumed,
}

/// <summary>
/// What a row of <see cref="DomesticPayment"/> carries out. Every movement of a customer's money by a partner is one
/// row, so screening, the ledger posting and settlement are written once: an immediate domestic payment, the execution
/// of a scheduled payment, one instalment of a standing order, or a VRP payment. Only <see cref="Domestic"/> rows are
/// domestic-payments resources; <see cref="Vrp"/> rows are domestic-vrps; the executions of scheduled payments and
/// standing orders are shown through their order (<see cref="DomesticPayment.OrderId"/>).
/// </summary>
public enum PaymentKind
{
    Domestic,
    Scheduled,
    StandingOrder,
    Vrp,
    /// <summary>An international payment (its FX and charges in <see cref="International.InternationalTransfer"/>, same id).</summary>
    International,
}

/// <summary>Domestic payment statuses this bank uses (OBWriteDomesticResponse5).</summary>
public enum PaymentStatus
{
    Pending,
    AcceptedSettlementInProcess,
    AcceptedSettlementCompleted,
    Rejected,
}

/// <summary>
/// A partner's request to make one payment from a customer's account. The request's Initiation and Risk are kept as
/// the JSON the partner sent, so every response echoes them unchanged and the payment can be matched against them.
/// </summary>
public sealed partial class DomesticPaymentConsent
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    public required string ClientId { get; set; }
    public PaymentConsentStatus Status { get; set; }
    /// <summary>The API version it was created through; it and its payment are used only through that version.</summary>
    public ApiVersion ApiVersion { get; set; }
    public DateTimeOffset CreationDateTime { get; set; }
    public DateTimeOffset StatusUpdateDateTime { get; set; }
    public required string InitiationJson { get; set; }
    public required string RiskJson { get; set; }
    public string? AuthorisationJson { get; set; }
    public string? ScaSupportDataJson { get; set; }
    public string? ReadRefundAccount { get; set; }
    public long AmountMinor { get; set; }
    public required string Currency { get; set; }
    public required string CreditorName { get; set; }
    public required string CreditorSchemeName { get; set; }
    public required string CreditorIdentification { get; set; }
    public string? Reference { get; set; }
    /// <summary>The debtor account the partner named, if any (otherwise the customer picks it).</summary>
    public string? DebtorSchemeName { get; set; }
    public string? DebtorIdentification { get; set; }
    /// <summary>Set when the customer authorises: who, and from which of their accounts.</summary>
    public string? CustomerId { get; set; }
    public string? DebtorAccountId { get; set; }
    public int Version { get; set; }
    /// <summary>When the payment was submitted under it (set as it is consumed).</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    public static string NewId() => "pdc-" + Guid.CreateVersion7().ToString("N");
}

/// <summary>A payment made under a consent (a domestic one: at most one per consent), with its risk assessment.</summary>
public sealed partial class DomesticPayment
{
    public required string Id { get; set; }
    /// <summary>What it carries out; stored as its name.</summary>
    public PaymentKind Kind { get; set; }
    /// <summary>The scheduled payment or standing order it executes (<see cref="PaymentKind.Scheduled"/>, <see cref="PaymentKind.StandingOrder"/>).</summary>
    public string? OrderId { get; set; }
    public Guid TenantId { get; set; }
    public required string ClientId { get; set; }
    public required string ConsentId { get; set; }
    public required string CustomerId { get; set; }
    public required string DebtorAccountId { get; set; }
    /// <summary>The payee's account when it is in this tenant's bank (an internal transfer); null for another bank.</summary>
    public string? CreditorAccountId { get; set; }
    public long AmountMinor { get; set; }
    public required string Currency { get; set; }
    public required string CreditorName { get; set; }
    public required string CreditorIdentification { get; set; }
    /// <summary>UTC (DateTime, so that SQLite can compare and index it).</summary>
    public DateTime CreationDateTime { get; set; }
    public PaymentStatus Status { get; set; }
    /// <summary>Its consent's API version (copied, so reads need no join).</summary>
    public ApiVersion ApiVersion { get; set; }
    public DateTime StatusUpdateDateTime { get; set; }
    /// <summary>Why it is Pending or Rejected, e.g. InsufficientFunds, RiskRejected, HeldForReview, SettlementFailed.</summary>
    public string? StatusReason { get; set; }
    public int RiskScore { get; set; }
    /// <summary>The risk rules that fired, '; '-separated.</summary>
    public required string RiskReasons { get; set; }
    /// <summary>A documented scenario trigger the payment matched, if any.</summary>
    public string? Scenario { get; set; }
    /// <summary>Money has left the payer's account (into clearing) and must be settled or reversed.</summary>
    public bool Debited { get; set; }
    /// <summary>When the settlement worker moves it on; null when nothing is due (final, or held for review).</summary>
    public DateTime? NextActionAt { get; set; }
    public int Version { get; set; }

    public static string NewId() => "dp-" + Guid.CreateVersion7().ToString("N");
}

/// <summary>One step of a payment's status history, shown by payment-details.</summary>
public sealed class PaymentStatusChange
{
    public long Id { get; set; }
    public required string PaymentId { get; set; }
    public PaymentStatus Status { get; set; }
    public DateTime At { get; set; }
    public required string Detail { get; set; }
}

/// <summary>
/// An <c>x-idempotency-key</c> claimed by a client for one operation, written in the same database transaction as
/// the resource it created; the unique index on (client, operation, key) lets exactly one concurrent duplicate win.
/// </summary>
public sealed class IdempotencyRecord
{
    public long Id { get; set; }
    public required string ClientId { get; set; }
    public required string Operation { get; set; }
    public required string Key { get; set; }
    /// <summary>SHA-256 of the request body, to tell a retry from a different request under the same key.</summary>
    public required string RequestHash { get; set; }
    public required string ResourceId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>Why a payment is Pending or Rejected (<see cref="DomesticPayment.StatusReason"/>).</summary>
public static class PaymentStatusReasons
{
    public const string HeldForReview = "HeldForReview";
    public const string InsufficientFunds = "InsufficientFunds";
    public const string RiskRejected = "RiskRejected";
    public const string RejectedOnReview = "RejectedOnReview";
    public const string SettlementFailed = "SettlementFailed";
}
