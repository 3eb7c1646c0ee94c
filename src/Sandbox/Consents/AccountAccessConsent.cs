namespace OpenBanking.Sandbox.Consents;

/// <summary>The status of an account-access consent (v3.1.11 words). <c>Revoked</c> is in the enum but never set.</summary>
public enum AccountAccessConsentStatus
{
    AwaitingAuthorisation,
    Authorised,
    Rejected,
    Revoked,
}

/// <summary>A partner app's request to read a customer's account data, and the customer's answer.</summary>
public sealed class AccountAccessConsent
{
    public required string Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>The app that created it; only that app may read, delete or use it.</summary>
    public required string ClientId { get; set; }

    public AccountAccessConsentStatus Status { get; set; }

    /// <summary>The permissions as the app asked for them, in its order.</summary>
    public List<string> Permissions { get; set; } = [];

    public DateTimeOffset? ExpirationDateTime { get; set; }

    public DateTimeOffset? TransactionFromDateTime { get; set; }

    public DateTimeOffset? TransactionToDateTime { get; set; }

    public DateTimeOffset CreationDateTime { get; set; }

    public DateTimeOffset StatusUpdateDateTime { get; set; }

    /// <summary>The test customer who authorised or rejected it.</summary>
    public string? CustomerId { get; set; }

    /// <summary>The accounts the customer chose when authorising.</summary>
    public List<string> AccountIds { get; set; } = [];

    /// <summary>
    /// When the customer last revoked the app's access from their dashboard. The status stays Authorised (as the
    /// specification requires); tokens issued before this moment stop working, and the app may ask the customer to
    /// re-authenticate the same consent.
    /// </summary>
    public DateTimeOffset? AccessRevokedAt { get; set; }

    /// <summary>Set by DELETE: the consent is gone for the app (400 NotFound) but kept for audit.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>Optimistic concurrency (SQLite has no rowversion): bumped by every change.</summary>
    public int Version { get; set; }

    public static string NewId() => "aac-" + Guid.CreateVersion7().ToString("N");
}
