using System.Collections.Frozen;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Accounts;

/// <summary>
/// What an account-access consent grants, as read from the database at one moment: immutable, so one snapshot can
/// serve many requests from <see cref="ConsentAccessCache"/> while every request still checks it against the clock
/// and its own token.
/// </summary>
public sealed record AccountAccessGrant(
    string ConsentId,
    Guid TenantId,
    string ClientId,
    ConsentStatus Status,
    ApiVersion ApiVersion,
    AccountAccessPermission Permissions,
    string[] AccountIds,
    FrozenSet<string> AccountIdSet,
    DateTimeOffset? ExpirationDateTime,
    DateTimeOffset? TransactionFromDateTime,
    DateTimeOffset? TransactionToDateTime,
    string? CustomerId,
    DateTimeOffset? AccessRevokedAt,
    DateTimeOffset? DeletedAt)
{
    public static AccountAccessGrant Of(AccountAccessConsent consent) => new(
        consent.Id, consent.TenantId, consent.ClientId, consent.Status, consent.ApiVersion, AccountAccessPermissions.Parse(consent.Permissions),
        [.. consent.AccountIds], consent.AccountIds.ToFrozenSet(StringComparer.Ordinal), consent.ExpirationDateTime,
        consent.TransactionFromDateTime, consent.TransactionToDateTime, consent.CustomerId, consent.AccessRevokedAt, consent.DeletedAt);
}
