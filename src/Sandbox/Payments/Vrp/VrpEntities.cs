using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Payments.Vrp;

/// <summary>
/// A domestic VRP consent: the partner may make any number of payments from the customer's account within the
/// <c>ControlParameters</c>. The request's ControlParameters, Initiation and Risk are kept as the JSON the partner sent
/// (echoed by every response, and each payment's Initiation and Risk must equal them); the parts the bank enforces are
/// also kept as columns.
/// </summary>
public sealed class DomesticVrpConsent : IDeletableConsent
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    public required string ClientId { get; set; }
    /// <summary>AwaitingAuthorisation, Authorised, Rejected, or Revoked (by the partner's DELETE or the customer).</summary>
    public ConsentStatus Status { get; set; }
    public ApiVersion ApiVersion { get; set; }
    public DateTimeOffset CreationDateTime { get; set; }
    public DateTimeOffset StatusUpdateDateTime { get; set; }
    public required string ControlParametersJson { get; set; }
    public required string InitiationJson { get; set; }
    public required string RiskJson { get; set; }
    public string? ReadRefundAccount { get; set; }
    public required string Currency { get; set; }
    public long MaximumIndividualAmountMinor { get; set; }
    public DateTimeOffset? ValidFromDateTime { get; set; }
    public DateTimeOffset? ValidToDateTime { get; set; }
    /// <summary>The payee the consent names (Initiation.CreditorAccount), if it names one; else each payment names its own.</summary>
    public string? CreditorSchemeName { get; set; }
    public string? CreditorIdentification { get; set; }
    public string? CreditorName { get; set; }
    public string? DebtorSchemeName { get; set; }
    public string? DebtorIdentification { get; set; }
    public string? CustomerId { get; set; }
    public string? DebtorAccountId { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public int Version { get; set; }
    /// <summary>When a payment was last made under it; every payment updates it first in its transaction (the per-consent lock).</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    public ConsentKind Kind => ConsentKind.DomesticVrp;

    /// <summary>The consent stops granting at ValidToDateTime (payments after it fail the control parameters).</summary>
    DateTimeOffset? IConsent.ExpirationDateTime => ValidToDateTime;

    OutboxResource IStatusTracked.Resource => OutboxResource.DomesticVrpConsent;

    string IStatusTracked.StatusName => Status.ToString();

    void IStatusTracked.StampStatusUpdate(DateTimeOffset now) => StatusUpdateDateTime = Timestamps.WholeSeconds(now);

    public static string NewId() => ConsentKinds.NewId(ConsentKind.DomesticVrp);

    /// <summary>The controls the bank enforces, read from the stored JSON.</summary>
    public VrpControls Controls() => VrpControls.FromJson(ControlParametersJson, CreationDateTime);
}

/// <summary>
/// What a VRP payment carries beyond its <see cref="DomesticPayment"/> row (Kind = Vrp, same id): the Instruction the
/// partner sent (echoed by its responses) and the PSU data it declared.
/// </summary>
public sealed class DomesticVrpInstruction
{
    public required string PaymentId { get; set; }
    public Guid TenantId { get; set; }
    public required string ConsentId { get; set; }
    public required string InstructionJson { get; set; }
    public required string PsuAuthenticationMethod { get; set; }
    public string? PsuInteractionType { get; set; }
    public required string VrpType { get; set; }
    public string? Reference { get; set; }
    public string? LocalInstrument { get; set; }

    public static string NewPaymentId() => "vrp-" + Guid.CreateVersion7().ToString("N");
}
