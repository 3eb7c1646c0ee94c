using OpenBanking.Sandbox.Clock;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Accounts;

/// <summary>
/// A data call's right to see data, established once per request from the token and the consent it is bound to:
/// the consent is the caller's, Authorised, unexpired and not revoked; then each endpoint asks for its permission
/// and each account for its place in the consent.
/// </summary>
public sealed class AisAccess
{
    private static readonly Func<SandboxDbContext, string, CancellationToken, Task<AccountAccessConsent?>> ConsentById
        = EF.CompileAsyncQuery((SandboxDbContext db, string id, CancellationToken _) => db.AccountAccessConsents.AsNoTracking().SingleOrDefault(c => c.Id == id));

    private AisAccess(AccountAccessGrant consent) => Consent = consent;

    public AccountAccessGrant Consent { get; }

    /// <summary>Whether the consent holds the permission (or any of several).</summary>
    public bool Has(AccountAccessPermission permission) => (Consent.Permissions & permission) != 0;

    /// <summary>Detail when the consent has it; otherwise Basic if it has that; otherwise 403.</summary>
    public bool RequireBasicOrDetail(AccountAccessPermission basic, AccountAccessPermission detail)
    {
        if (Has(detail))
        {
            return true;
        }

        return Has(basic)
            ? false
            : throw ObieException.Forbidden($"The consent lacks {AccountAccessPermissions.Name(basic)} or {AccountAccessPermissions.Name(detail)}.")
                .Because(BankRefusals.Consent("permission"), $"Consent {Consent.ConsentId} does not grant {AccountAccessPermissions.Name(basic)} or {AccountAccessPermissions.Name(detail)}, which this call needs; create a consent with that permission.");
    }

    public void Require(AccountAccessPermission permission)
    {
        if (!Has(permission))
        {
            throw ObieException.Forbidden($"The consent lacks {AccountAccessPermissions.Name(permission)}.")
                .Because(BankRefusals.Consent("permission"), $"Consent {Consent.ConsentId} does not grant {AccountAccessPermissions.Name(permission)}, which this call needs; create a consent with that permission.");
        }
    }

    /// <summary>An account outside the consent — including one that does not exist, or another tenant's — is 403 alike.</summary>
    public void RequireAccount(string accountId)
    {
        if (!Consent.AccountIdSet.Contains(accountId))
        {
            throw ObieException.Forbidden("The account is not part of the consent.")
                .Because(BankRefusals.Consent("account"), $"Account {accountId} is not one of the accounts the customer chose for consent {Consent.ConsentId}; list /accounts to see those.");
        }
    }

    /// <summary>The one account asked for (which must be in the consent), or every account of the consent.</summary>
    public string[] AccountIds(string? accountId)
    {
        if (accountId is null)
        {
            return Consent.AccountIds;
        }

        RequireAccount(accountId);
        return [accountId];
    }

    /// <param name="version">The version of the resource asked for: the consent must be usable through it (<see cref="ApiVersions.MayUse"/>).</param>
    public static async ValueTask<AisAccess> ForRequestAsync(
        ClaimsPrincipal user, SandboxDbContext db, ConsentAccessCache cache, ConsentUsage usage, TenantClock clock, ApiVersion version,
        CancellationToken cancellationToken)
    {
        var caller = CallerContext.From(user);
        if (caller.ConsentId is null)
        {
            throw ObieException.Forbidden("Account data needs a customer token bound to an authorised consent.")
                .Because(BankRefusals.Request("token"), "Account data needs the customer's access token (from the authorisation code of an authorised consent), not a client-credentials token.");
        }

        if (!cache.TryGet(caller.ConsentId, out var consent))
        {
            var generation = cache.Generation;
            var stored = await ConsentById(db, caller.ConsentId, cancellationToken);
            consent = stored is null ? null : AccountAccessGrant.Of(stored);
            if (consent is not null)
            {
                cache.Add(consent.ConsentId, consent, generation);
            }
        }

        if (consent is null || consent.ClientId != caller.ClientId)
        {
            throw ObieException.Forbidden("The token's consent is not this client's.")
                .Because(BankRefusals.Consent("client"), $"The token's consent {caller.ConsentId} is not one of this app's consents.");
        }

        // A consent serves its own version and newer ones, never an older one: a v4.0 consent's token on a v3.1.11
        // resource is refused as a token without the right to it.
        if (!ApiVersions.MayUse(ConsentKind.AccountAccess, consent.ApiVersion, version))
        {
            throw ObieException.Forbidden(
                $"The token's consent was created through {consent.ApiVersion.Name()} and cannot be used through {version.Name()}; call {consent.ApiVersion.BasePath()}/aisp.");
        }

        // Checked on every request, cached or not: the clock moves and each token has its own issue time.
        var now = clock.GetUtcNow();
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(long.TryParse(user.FindFirstValue("iat"), out var iat) ? iat : 0);
        // Deleted, expired or revoked: the token no longer grants anything, as if it had expired.
        if (consent.DeletedAt is { } deleted)
        {
            throw Unauthorized().Because(BankRefusals.Consent("deleted"),
                $"Consent {consent.ConsentId} was deleted by the app at {BankRefusals.Time(deleted)}; create a new consent and ask the customer to authorise it.");
        }

        if (consent.ExpirationDateTime is { } expiration && expiration <= now)
        {
            await ConsentHistory.RecordExpiryAsync(db, consent.ConsentId, consent.TenantId, consent.ClientId, expiration, TimeProvider.System.GetUtcNow(), cancellationToken);
            throw Unauthorized().Because(BankRefusals.Consent("expired"),
                $"Consent {consent.ConsentId} expired at {BankRefusals.Time(expiration)}; ask the customer to authorise a new consent.");
        }

        if (consent.AccessRevokedAt is { } revoked && issuedAt <= revoked)
        {
            throw Unauthorized().Because(BankRefusals.Consent("revoked"),
                $"Consent {consent.ConsentId} was revoked by the customer at {BankRefusals.Time(revoked)}; ask the customer to authorise a new consent (or to re-authenticate this one).");
        }

        if (consent.Status != ConsentStatus.Authorised)
        {
            throw ObieException.Forbidden($"The consent is {consent.Status}.").Because(BankRefusals.Consent(BankRefusals.Kebab(consent.Status.ToString())),
                consent.Status == ConsentStatus.AwaitingAuthorisation
                    ? $"Consent {consent.ConsentId} is AwaitingAuthorisation: the customer has not authorised it yet."
                    : $"Consent {consent.ConsentId} is {consent.Status}; ask the customer to authorise a new consent.");
        }

        await usage.RecordAsync(db, ConsentKind.AccountAccess, consent.ConsentId, now, cancellationToken);
        return new AisAccess(consent);
    }

    private static ObieException Unauthorized() => new(StatusCodes.Status401Unauthorized, "The consent no longer grants access.", []);
}
