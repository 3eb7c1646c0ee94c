using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
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
    private AisAccess(AccountAccessConsent consent, IReadOnlySet<string> permissions)
    {
        Consent = consent;
        Permissions = permissions;
    }

    public AccountAccessConsent Consent { get; }

    public IReadOnlySet<string> Permissions { get; }

    public bool Has(string permission) => Permissions.Contains(permission);

    /// <summary>Detail when the consent has it; otherwise Basic if it has that; otherwise 403.</summary>
    public bool RequireBasicOrDetail(string basic, string detail)
    {
        if (Has(detail))
        {
            return true;
        }

        return Has(basic) ? false : throw ObieException.Forbidden($"The consent lacks {basic} or {detail}.");
    }

    public void Require(string permission)
    {
        if (!Has(permission))
        {
            throw ObieException.Forbidden($"The consent lacks {permission}.");
        }
    }

    /// <summary>An account outside the consent — including one that does not exist, or another tenant's — is 403 alike.</summary>
    public void RequireAccount(string accountId)
    {
        if (!Consent.AccountIds.Contains(accountId))
        {
            throw ObieException.Forbidden("The account is not part of the consent.");
        }
    }

    public static async Task<AisAccess> ForRequestAsync(ClaimsPrincipal user, SandboxDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = CallerContext.From(user);
        if (caller.ConsentId is null)
        {
            throw ObieException.Forbidden("Account data needs a customer token bound to an authorised consent.");
        }

        var consent = await db.AccountAccessConsents.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Id == caller.ConsentId, cancellationToken);
        if (consent is null || consent.ClientId != caller.ClientId)
        {
            throw ObieException.Forbidden("The token's consent is not this client's.");
        }

        var now = clock.GetUtcNow();
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(long.TryParse(user.FindFirstValue("iat"), out var iat) ? iat : 0);
        if (consent.DeletedAt is not null
            || consent.ExpirationDateTime <= now
            || (consent.AccessRevokedAt is { } revoked && issuedAt <= revoked))
        {
            // Deleted, expired or revoked: the token no longer grants anything, as if it had expired.
            throw Unauthorized();
        }

        if (consent.Status != ConsentStatus.Authorised)
        {
            throw ObieException.Forbidden($"The consent is {consent.Status}.");
        }

        return new AisAccess(consent, consent.Permissions.ToHashSet(StringComparer.Ordinal));
    }

    private static ObieException Unauthorized() => new(StatusCodes.Status401Unauthorized, "The consent no longer grants access.", []);
}
