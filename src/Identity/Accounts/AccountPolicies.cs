using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Accounts;

/// <summary>Authorization policies of the account pages.</summary>
public static class AccountPolicies
{
    /// <summary>A signed-in user; admins only once they have enrolled an authenticator.</summary>
    public const string Member = "account-member";

    /// <summary>Any signed-in user, including an admin yet to enrol (the enrolment page itself).</summary>
    public const string SignedIn = "account-signed-in";
}

/// <summary>Bank admins approve partners and payment permissions: a password alone must not be enough.</summary>
public sealed class AdminsUseTwoFactorRequirement : IAuthorizationRequirement;

/// <summary>
/// Checks the database, not a claim in the cookie, so that the rule holds from the moment 2FA is enabled or
/// (by some other path) disabled, whatever the cookie says.
/// </summary>
internal sealed class AdminsUseTwoFactorHandler(UserManager<ApplicationUser> users) : AuthorizationHandler<AdminsUseTwoFactorRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminsUseTwoFactorRequirement requirement)
    {
        if (!context.User.IsInRole(Roles.Admin))
        {
            context.Succeed(requirement);
            return;
        }

        if (await users.GetUserAsync(context.User) is { TwoFactorEnabled: true })
        {
            context.Succeed(requirement);
        }
    }
}

/// <summary>An admin without 2FA who is refused a page is sent to the enrolment page rather than "access denied".</summary>
internal sealed class AccountAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<AdminsUseTwoFactorRequirement>().Any() == true)
        {
            context.Response.Redirect(context.Request.PathBase + AccountPaths.TwoFactor);
            return Task.CompletedTask;
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
