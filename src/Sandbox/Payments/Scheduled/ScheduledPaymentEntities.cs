using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Payments.Scheduled;

/// <summary>
/// A domestic scheduled payment's statuses (OBWriteDomesticScheduledResponse5 of v3.1.11; v4.0 names them by ISO
/// codes, see V4_0.ScheduledPaymentCodes). Stored as these names.
/// </summary>
public enum ScheduledPaymentStatus
{
    InitiationPending,
    InitiationCompleted,
    InitiationFailed,
    Cancelled,
}

/// <summary>
/// A partner's request to pay once, later, from a customer's account: the domestic consent's terms plus when.
/// Its statuses are the domestic consent's four (<see cref="PaymentConsentStatus"/>); the Initiation and Risk are kept
/// as sent, so every response echoes them and the payment can be matched against them.
/// </summary>
public sealed class DomesticScheduledPaymentConsent : IConsent
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    public required string ClientId { get; set; }
    public PaymentConsentStatus Status { get; set; }
    public ApiVersion ApiVersion { get; set; }
    public DateTimeOffset CreationDateTime { get; set; }
    public DateTimeOffset StatusUpdateDateTime { get; set; }
    public required string InitiationJson { get; set; }
    public required string RiskJson { get; set; }
    public string? AuthorisationJson { get; set; }
    public string? ScaSupportDataJson { get; set; }
    public string? ReadRefundAccount { get; set; }
    /// <summary>UTC (DateTime, so that SQLite can compare it).</summary>
    public DateTime RequestedExecutionDateTime { get; set; }
    public long AmountMinor { get; set; }
    public required string Currency { get; set; }
    public required string CreditorName { get; set; }
    public required string CreditorSchemeName { get; set; }
    public required string CreditorIdentification { get; set; }
    public string? Reference { get; set; }
    public string? DebtorSchemeName { get; set; }
    public string? DebtorIdentification { get; set; }
    public string? CustomerId { get; set; }
    public string? DebtorAccountId { get; set; }
    public int Version { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    public static string NewId() => ConsentKinds.NewId(ConsentKind.DomesticScheduledPayment);

    /// <summary>The consent as the bank keeps it, from the validated terms of either version.</summary>
    public static DomesticScheduledPaymentConsent From(PaymentConsentTerms terms, string clientId) => new()
    {
        Id = NewId(),
        ClientId = clientId,
        InitiationJson = terms.Initiation.GetRawText(),
        RiskJson = terms.Risk.GetRawText(),
        AuthorisationJson = terms.Authorisation?.GetRawText(),
        ScaSupportDataJson = terms.ScaSupportData?.GetRawText(),
        ReadRefundAccount = terms.ReadRefundAccount,
        RequestedExecutionDateTime = (terms.RequestedExecutionDateTime ?? throw new ArgumentException("A scheduled consent needs its execution time.", nameof(terms))).UtcDateTime,
        AmountMinor = terms.AmountMinor,
        Currency = terms.Currency,
        CreditorName = terms.Creditor.Name!,
        CreditorSchemeName = terms.Creditor.SchemeName,
        CreditorIdentification = terms.Creditor.Identification,
        Reference = terms.Reference,
        DebtorSchemeName = terms.Debtor?.SchemeName,
        DebtorIdentification = terms.Debtor?.Identification,
    };

    public ConsentKind Kind => ConsentKind.DomesticScheduledPayment;

    ConsentStatus IConsent.Status
    {
        get => (ConsentStatus)Status;
        set => Status = Enum.IsDefined((PaymentConsentStatus)value)
            ? (PaymentConsentStatus)value
            : throw new InvalidOperationException($"A domestic scheduled payment consent is never {value}.");
    }

    /// <summary>The standard gives a scheduled payment consent no expiry of its own.</summary>
    DateTimeOffset? IConsent.ExpirationDateTime => null;

    OutboxResource IStatusTracked.Resource => OutboxResource.DomesticScheduledPaymentConsent;

    string IStatusTracked.StatusName => ((ConsentStatus)Status).ToString();

    void IStatusTracked.StampStatusUpdate(DateTimeOffset now) => StatusUpdateDateTime = Timestamps.WholeSeconds(now);
}

/// <summary>
/// A scheduled payment: made under its consent (one per consent), waiting for its time on the tenant's clock, then
/// executed as a <see cref="PaymentKind.Scheduled"/> <see cref="DomesticPayment"/> row (<see cref="ExecutionId"/>).
/// </summary>
public sealed class DomesticScheduledPayment : IStatusTracked
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    public required string ClientId { get; set; }
    public required string ConsentId { get; set; }
    public required string CustomerId { get; set; }
    public required string DebtorAccountId { get; set; }
    public ApiVersion ApiVersion { get; set; }
    public ScheduledPaymentStatus Status { get; set; }
    /// <summary>Why it failed or was cancelled (<see cref="PaymentStatusReasons.InsufficientFunds"/>, <see cref="CancelledByCustomer"/>).</summary>
    public string? StatusReason { get; set; }
    /// <summary>UTC, like every DateTime of the payment rows.</summary>
    public DateTime CreationDateTime { get; set; }
    public DateTime StatusUpdateDateTime { get; set; }
    /// <summary>When it is due on the tenant's clock (UTC); indexed with the tenant and status for the clock's question.</summary>
    public DateTime RequestedExecutionDateTime { get; set; }
    /// <summary>The DomesticPayments row that executed it (also when rejected for funds); null until then.</summary>
    public string? ExecutionId { get; set; }
    public int Version { get; set; }

    public const string CancelledByCustomer = "CancelledByCustomer";

    public static string NewId() => "sdp-" + Guid.CreateVersion7().ToString("N");

    OutboxResource IStatusTracked.Resource => OutboxResource.DomesticScheduledPayment;

    string IStatusTracked.StatusName => Status.ToString();

    void IStatusTracked.StampStatusUpdate(DateTimeOffset now) => StatusUpdateDateTime = Timestamps.WholeSeconds(now.UtcDateTime);
}
