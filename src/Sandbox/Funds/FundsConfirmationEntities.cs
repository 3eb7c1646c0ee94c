namespace OpenBanking.Sandbox.Funds;

/// <summary>Funds-confirmation consent statuses (OBFundsConfirmationConsentResponse1).</summary>
public enum FundsConsentStatus
{
    AwaitingAuthorisation,
    Authorised,
    Rejected,
    Revoked,
}

/// <summary>A card issuer's (CBPII's) standing permission to ask whether one account can cover an amount.</summary>
public sealed class FundsConfirmationConsent
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    public required string ClientId { get; set; }
    public FundsConsentStatus Status { get; set; }
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

    public static string NewId() => "fcc-" + Guid.CreateVersion7().ToString("N");
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
