using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using OpenBanking.Identity.Extensions;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Accounts;

/// <summary>A Portal user's standing now: whether the account may still act (it exists and is not locked out) and its roles.</summary>
public sealed record UserStatusResponse(string Subject, bool Active, IReadOnlyList<string> Roles);

/// <summary>
/// Lets the Portal re-check a signed-in person against the account itself rather than the claims of a sign-in that may
/// be hours old (a removed admin role or a locked account ends their power in the Portal within minutes). Behind the
/// same audience and scope as the client API: only the platform's own service client reaches it.
/// </summary>
public static class UserStatusApi
{
    public static RouteGroupBuilder MapUserStatusApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/internal/users")
            .RequireAuthorization(ClientManagementExtensions.PolicyName)
            .WithTags("Users");
        api.MapGet("/{subject}", GetUserStatusAsync).WithName("GetUserStatus").WithSummary("Whether a user may still act, and their roles");
        return api;
    }

    /// <summary>An unknown subject is an inactive one (not a 404): the Portal only needs to know it must stop.</summary>
    public static async Task<Ok<UserStatusResponse>> GetUserStatusAsync(string subject, UserManager<ApplicationUser> users)
    {
        var user = await users.FindByIdAsync(subject);
        if (user is null)
        {
            return TypedResults.Ok(new UserStatusResponse(subject, false, []));
        }

        var active = !await users.IsLockedOutAsync(user);
        return TypedResults.Ok(new UserStatusResponse(subject, active, active ? [.. await users.GetRolesAsync(user)] : []));
    }
}
