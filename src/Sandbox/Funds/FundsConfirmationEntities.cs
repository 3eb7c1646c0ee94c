using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Funds;

/// <summary>
/// A card issuer's (CBPII's) standing permission to ask whether one account can cover an amount. Its status moves
/// only by <see cref="ConsentLifecycle"/>.
/// </summary>
public sealed class FundsConfirmationConsent : IDeletableConsent
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    public required string ClientId { get; set; }
    public ConsentStatus Status { get; set; }
    /// <summary>The API version it was created through (<see cref="ApiVersions.MayUse"/>).</summary>
    public ApiVersion ApiVersion { get; set; }
    public DateTimeOffset CreationDateTime { get; set; }
    public DateTimeOffset StatusUpdateDateTime { get; set; }
    public DateTimeOffset? ExpirationDateTime { get; set; }
    public required string DebtorSchemeName { get; set; }
    public required string DebtorIdentification { get; set; }
    public string? DebtorName { get; set; }
    public string? DebtorSecondaryIdentification { get; set; }
    public string? CustomerId { get; set; }
    /// <summary>The customer's account the DebtorAccount names, set at authorisation.</summary>
    public string? AccountId { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public int Version { get; set; }
    /// <summary>When a funds check last used it, to the minute (<see cref="Consents.ConsentUsage"/>).</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    public ConsentKind Kind => ConsentKind.FundsConfirmation;

    OutboxResource IStatusTracked.Resource => OutboxResource.FundsConfirmationConsent;

    string IStatusTracked.StatusName => Status.ToString();

    void IStatusTracked.StampStatusUpdate(DateTimeOffset now) => StatusUpdateDateTime = Timestamps.WholeSeconds(now);

    public static string NewId() => ConsentKinds.NewId(ConsentKind.FundsConfirmation);
}

/// <summary>One yes/no answer given under a consent; its Reference is unique per consent.</summary>
public sealed class FundsConfirmation
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    public required string ConsentId { get; set; }
    public required string Reference { get; set; }
    public required string Amount { get; set; }
    public required string Currency { get; set; }
    public bool FundsAvailable { get; set; }
    public DateTimeOffset CreationDateTime { get; set; }

    public static string NewId() => "fc-" + Guid.CreateVersion7().ToString("N");
}
