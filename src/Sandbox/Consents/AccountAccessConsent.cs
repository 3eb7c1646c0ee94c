using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Consents;

/// <summary>
/// A partner app's request to read a customer's account data, and the customer's answer. Its status moves only by
/// <see cref="ConsentLifecycle"/> (it never becomes Revoked: withdrawing access keeps it Authorised).
/// </summary>
public sealed class AccountAccessConsent : IWithdrawableConsent, IDeletableConsent
{
    public required string Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>The app that created it; only that app may read, delete or use it.</summary>
    public required string ClientId { get; set; }

    public ConsentStatus Status { get; set; }

    /// <summary>The API version it was created through (<see cref="ApiVersions.MayUse"/>).</summary>
    public ApiVersion ApiVersion { get; set; }

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

    /// <summary>Optimistic concurrency (SQLite has no rowversion): bumped by every save that changes it.</summary>
    public int Version { get; set; }

    /// <summary>When a data call last used it, to the minute (<see cref="ConsentUsage"/>); not a change of the consent.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    public ConsentKind Kind => ConsentKind.AccountAccess;

    OutboxResource IStatusTracked.Resource => OutboxResource.AccountAccessConsent;

    string IStatusTracked.StatusName => Status.ToString();

    void IStatusTracked.StampStatusUpdate(DateTimeOffset now) => StatusUpdateDateTime = Timestamps.WholeSeconds(now);

    public static string NewId() => ConsentKinds.NewId(ConsentKind.AccountAccess);
}
