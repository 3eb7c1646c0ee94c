using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Payments.StandingOrders;

/// <summary>
/// A standing order's status, by v3.1.11's names (v4.0: RCVD, RJCT, CANC). A made order is InitiationCompleted for
/// its whole life — paying, or done when its last payment is made (<see cref="DomesticStandingOrder.NextDueAt"/> null);
/// Cancelled when the customer cancels it. InitiationPending and InitiationFailed are not reached: the order is
/// accepted in the request that makes it, and a payment that fails (funds) fails on its own.
/// </summary>
public enum StandingOrderStatus
{
    InitiationCompleted,
    Cancelled,
}

/// <summary>
/// A partner's request to set up a standing order from a customer's account, with the Initiation and Risk as sent
/// (responses echo them; the order must repeat them) and the schedule's terms in columns.
/// </summary>
public sealed class DomesticStandingOrderConsent : IConsent
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
    /// <summary>The v3.1.11 frequency code (a v4.0 OBFrequency6 is stored as its equivalent).</summary>
    public required string Frequency { get; set; }
    public string? Reference { get; set; }
    public DateTimeOffset FirstPaymentDateTime { get; set; }
    public DateTimeOffset? RecurringPaymentDateTime { get; set; }
    public DateTimeOffset? FinalPaymentDateTime { get; set; }
    public int? NumberOfPayments { get; set; }
    public long FirstAmountMinor { get; set; }
    public long? RecurringAmountMinor { get; set; }
    public long? FinalAmountMinor { get; set; }
    public required string Currency { get; set; }
    public required string CreditorName { get; set; }
    public required string CreditorSchemeName { get; set; }
    public required string CreditorIdentification { get; set; }
    public string? DebtorSchemeName { get; set; }
    public string? DebtorIdentification { get; set; }
    public string? CustomerId { get; set; }
    public string? DebtorAccountId { get; set; }
    public int Version { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    public ConsentKind Kind => ConsentKind.DomesticStandingOrder;

    ConsentStatus IConsent.Status
    {
        get => (ConsentStatus)Status;
        set => Status = Enum.IsDefined((PaymentConsentStatus)value)
            ? (PaymentConsentStatus)value
            : throw new InvalidOperationException($"A standing-order consent is never {value}.");
    }

    DateTimeOffset? IConsent.ExpirationDateTime => null;

    OutboxResource IStatusTracked.Resource => OutboxResource.DomesticStandingOrderConsent;

    string IStatusTracked.StatusName => ((ConsentStatus)Status).ToString();

    void IStatusTracked.StampStatusUpdate(DateTimeOffset now) => StatusUpdateDateTime = Timestamps.WholeSeconds(now);

    public StandingOrderSchedule Schedule() => new(StandingOrderFrequency.ParseV3(Frequency)!, FirstPaymentDateTime, RecurringPaymentDateTime,
        FinalPaymentDateTime, NumberOfPayments, FirstAmountMinor, RecurringAmountMinor, FinalAmountMinor);
}

/// <summary>
/// The standing order made under a consent (one per consent). Each payment it makes is a
/// <see cref="PaymentKind.StandingOrder"/> <see cref="DomesticPayment"/> whose OrderId is this id.
/// </summary>
public sealed class DomesticStandingOrder : IStatusTracked
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    public required string ClientId { get; set; }
    public required string ConsentId { get; set; }
    public required string CustomerId { get; set; }
    public required string DebtorAccountId { get; set; }
    /// <summary>The payee's account when it is in this tenant's bank.</summary>
    public string? CreditorAccountId { get; set; }
    public ApiVersion ApiVersion { get; set; }
    public StandingOrderStatus Status { get; set; }
    public DateTime CreationDateTime { get; set; }
    public DateTime StatusUpdateDateTime { get; set; }
    /// <summary>How many of its payments have been made (the number of the next one).</summary>
    public int PaymentsMade { get; set; }
    /// <summary>When its next payment is due (UTC); null when it is done or cancelled. Indexed with the tenant: the clock asks it.</summary>
    public DateTime? NextDueAt { get; set; }
    public long? NextAmountMinor { get; set; }
    public DateTime? LastPaymentAt { get; set; }
    public long? LastAmountMinor { get; set; }
    public int Version { get; set; }

    public static string NewId() => "so-" + Guid.CreateVersion7().ToString("N")[..32];

    OutboxResource IStatusTracked.Resource => OutboxResource.DomesticStandingOrder;

    string IStatusTracked.StatusName => Status.ToString();

    void IStatusTracked.StampStatusUpdate(DateTimeOffset now) => StatusUpdateDateTime = Timestamps.WholeSeconds(now.UtcDateTime);

    /// <summary>Moves the order past the payment just made: the next one's time and amount, or nothing when it was the last.</summary>
    public void Advance(Instalment made, Instalment? next)
    {
        PaymentsMade = made.Number + 1;
        LastPaymentAt = made.DueAt.UtcDateTime;
        LastAmountMinor = made.AmountMinor;
        SetNext(next);
    }

    public void SetNext(Instalment? next)
    {
        NextDueAt = next?.DueAt.UtcDateTime;
        NextAmountMinor = next?.AmountMinor;
    }
}
