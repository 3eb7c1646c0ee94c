using System.Security.Claims;

namespace OpenBanking.Portal.Partners;

/// <summary>The signed-in person, from the identity token Identity issued to the Portal.</summary>
public sealed record PortalActor(string UserId, string Email, string Name, bool IsAdmin)
{
    public const string AdminRole = "Admin";

    public static PortalActor? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var id = user.FindFirst("sub")?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var email = user.FindFirst("email")?.Value ?? user.FindFirst(ClaimTypes.Email)?.Value;
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(email))
        {
            return null;
        }

        var name = user.FindFirst("name")?.Value ?? email;
        return new PortalActor(id, email.ToLowerInvariant(), name, user.IsInRole(AdminRole) || user.HasClaim("role", AdminRole));
    }
}
