using System.Security.Claims;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.OpenBanking;

/// <summary>
/// Who calls, read only from the validated access token's claims — never from headers a caller could set.
/// </summary>
public sealed record CallerContext(string ClientId, string OrganisationId, string? ConsentId, IReadOnlySet<string> Scopes)
{
    /// <summary>A client-credentials token: the app acting for itself, bound to no customer consent.</summary>
    public bool IsClientCredentials => ConsentId is null;

    public static CallerContext From(ClaimsPrincipal user)
    {
        var clientId = user.FindFirstValue("client_id")
            ?? throw ObieException.Forbidden("The access token names no client.");
        var organisationId = user.FindFirstValue(PlatformClaims.OrganisationId)
            ?? throw ObieException.Forbidden("The access token names no partner organisation.");
        var scopes = (user.FindFirstValue("scope") ?? string.Empty)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.Ordinal);
        return new CallerContext(clientId, organisationId, user.FindFirstValue(PlatformClaims.ConsentId), scopes);
    }
}
