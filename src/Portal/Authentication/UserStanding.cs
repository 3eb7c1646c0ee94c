using System.Security.Claims;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Authentication;

/// <summary>
/// Whether a signed-in person still stands where their sign-in said: the session has not reached its absolute end,
/// the account is active at Identity, and an admin is still an admin. The role claim in the cookie is hours old;
/// this asks Identity now.
/// </summary>
public sealed class UserStanding(IdentityClientsClient identity, TimeProvider clock)
{
    public async Task<bool> IsStillValidAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (SessionLifetime.HasEnded(user, clock.GetUtcNow()) || PortalActor.From(user) is not { } actor)
        {
            return false;
        }

        var status = await identity.GetUserStatusAsync(actor.UserId, ct);
        return status.Active && (!actor.IsAdmin || IsAdmin(status));
    }

    /// <summary>Admin power read fresh for an admin action: Identity unreachable means no (fail closed).</summary>
    public async Task<bool> IsAdminNowAsync(PortalActor actor, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return false;
        }

        var status = await AppService.CallIdentityAsync(() => identity.GetUserStatusAsync(actor.UserId, ct));
        return status.Active && IsAdmin(status);
    }

    private static bool IsAdmin(UserStatus status) => status.Roles.Contains(PortalActor.AdminRole, StringComparer.Ordinal);
}
