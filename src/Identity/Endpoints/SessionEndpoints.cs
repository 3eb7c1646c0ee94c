using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenBanking.Identity.Customers;
using OpenBanking.Shared;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.Endpoints;

/// <summary>OIDC userinfo and end-session, after OpenIddict has validated the access token or the logout request.</summary>
internal static class SessionEndpoints
{
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/connect/userinfo", ["GET", "POST"], (Delegate)UserInfoAsync).ExcludeFromDescription();
        app.MapMethods("/connect/endsession", ["GET", "POST"], (Delegate)EndSessionAsync).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    /// <summary>Only the pairwise subject (and the tenant): the bank shares no customer data through OIDC.</summary>
    private static async Task<IResult> UserInfoAsync(HttpContext httpContext)
    {
        var result = await httpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (result.Principal is not { } principal)
        {
            return Results.Challenge(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var claims = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [Claims.Subject] = principal.GetClaim(Claims.Subject),
        };
        if (principal.GetClaim(PlatformClaims.OrganisationId) is { } organisation)
        {
            claims[PlatformClaims.OrganisationId] = organisation;
        }

        return Results.Ok(claims);
    }

    /// <summary>Ends the customer's and the developer's sessions here, then OpenIddict returns to the client's registered post-logout URI.</summary>
    private static async Task<IResult> EndSessionAsync(HttpContext httpContext)
    {
        await httpContext.SignOutAsync(CustomerAuthentication.Scheme);
        await httpContext.SignOutAsync(CustomerAuthentication.PendingScheme);
        await httpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        return Results.SignOut(
            new AuthenticationProperties { RedirectUri = "/" },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
