using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Payments;

/// <summary>A domestic payment consent in the one consent lifecycle (<see cref="ConsentLifecycle"/>).</summary>
public sealed partial class DomesticPaymentConsent : IConsent
{
    public ConsentKind Kind => ConsentKind.DomesticPayment;

    ConsentStatus IConsent.Status
    {
        get => (ConsentStatus)Status;
        set => Status = Enum.IsDefined((PaymentConsentStatus)value)
            ? (PaymentConsentStatus)value
            : throw new InvalidOperationException($"A domestic payment consent is never {value}.");
    }

    /// <summary>A payment consent has no expiry of its own in v3.1.11.</summary>
    DateTimeOffset? IConsent.ExpirationDateTime => null;

    OutboxResource IStatusTracked.Resource => OutboxResource.DomesticPaymentConsent;

    string IStatusTracked.StatusName => ((ConsentStatus)Status).ToString();

    void IStatusTracked.StampStatusUpdate(DateTimeOffset now) => StatusUpdateDateTime = Timestamps.WholeSeconds(now);
}

/// <summary>A domestic payment's changes are recorded like a consent's (version, status time, outbox).</summary>
public sealed partial class DomesticPayment : IStatusTracked
{
    OutboxResource IStatusTracked.Resource => ResourceOf(Kind);

    string IStatusTracked.StatusName => Status.ToString();

    /// <summary>The resource a row's changes are about (its id is the row's id).</summary>
    public static OutboxResource ResourceOf(PaymentKind kind) => kind switch
    {
        PaymentKind.Domestic => OutboxResource.DomesticPayment,
        PaymentKind.Vrp => OutboxResource.DomesticVrp,
        PaymentKind.International => OutboxResource.InternationalPayment,
        _ => OutboxResource.PaymentExecution,
    };

    void IStatusTracked.StampStatusUpdate(DateTimeOffset now) => StatusUpdateDateTime = Timestamps.WholeSeconds(now.UtcDateTime);
}
