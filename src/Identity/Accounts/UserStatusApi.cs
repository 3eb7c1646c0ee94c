using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using OpenBanking.Identity.Extensions;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Accounts;

/// <summary>A Portal user's standing now: whether the account may still act (it exists and has not been locked by someone) and its roles.</summary>
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

        var active = !IsDisabled(user, users.Options.Lockout);
        return TypedResults.Ok(new UserStatusResponse(subject, active, active ? [.. await users.GetRolesAsync(user)] : []));
    }

    /// <summary>
    /// Locked for longer than a lockout after wrong passwords can last: an account someone decided to lock. The automatic
    /// lockout does not count: anyone who knows an admin's address could cause it, and so end the admin's sessions and
    /// block their decisions (at the very moment, perhaps, the bank wants to suspend that person's organisation).
    /// </summary>
    private static bool IsDisabled(ApplicationUser user, LockoutOptions lockout)
        => user.LockoutEnabled && user.LockoutEnd is { } end && end > DateTimeOffset.UtcNow.Add(lockout.DefaultLockoutTimeSpan).AddMinutes(1);
}
