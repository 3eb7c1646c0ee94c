using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using OpenBanking.Identity.Customers;
using OpenBanking.Identity.Infrastructure;
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

    /// <summary>Where a sign-out request without an <c>id_token_hint</c> is confirmed by the user (Pages/Connect/EndSession).</summary>
    public const string ConfirmPath = "/connect/endsession/confirm";

    /// <summary>
    /// Ends the customer's and the developer's sessions here, then OpenIddict returns to the client's registered
    /// post-logout URI. Only when the request proves where it comes from: a valid <c>id_token_hint</c> (OpenIddict
    /// validates it, but passes an invalid one on as no hint), which only the client the user signed in to holds, or a
    /// POST of the confirmation form with its antiforgery token. Anything else — a link, an image, another site's form — gets the
    /// confirmation page instead, so no other site can sign a user out.
    /// </summary>
    private static async Task<IResult> EndSessionAsync(
        HttpContext httpContext, IAntiforgery antiforgery, UserManager<ApplicationUser> users, PairwiseSubjects subjects)
    {
        var request = httpContext.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict end-session request is missing.");
        // OpenIddict answers with the hint's principal, or an empty one when there is no valid hint.
        var hint = await httpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var hinted = await HintNamesTheSessionAsync(httpContext, hint.Principal, users, subjects);
        var confirmed = HttpMethods.IsPost(httpContext.Request.Method) && await antiforgery.IsRequestValidAsync(httpContext);
        if (!hinted && !confirmed)
        {
            var parameters = request.GetParameters()
                .Where(parameter => parameter.Key != "__RequestVerificationToken")
                .Select(parameter => KeyValuePair.Create(parameter.Key, (string?)parameter.Value.ToString()));
            return Results.Redirect(ConfirmPath + QueryString.Create(parameters));
        }

        await httpContext.SignOutAsync(CustomerAuthentication.Scheme);
        await httpContext.SignOutAsync(CustomerAuthentication.PendingScheme);
        await httpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        return Results.SignOut(
            new AuthenticationProperties { RedirectUri = "/" },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    /// <summary>
    /// Whether the hint is an ID token of someone signed in here: any partner app can get a valid ID token (of its own
    /// test customer), so a hint that names another person would still let any site sign users out. A developer's
    /// token names their user id; a customer's, their pairwise subject for the client the token was issued to.
    /// </summary>
    private static async Task<bool> HintNamesTheSessionAsync(
        HttpContext httpContext, ClaimsPrincipal? hint, UserManager<ApplicationUser> users, PairwiseSubjects subjects)
    {
        if (hint?.GetClaim(Claims.Subject) is not { Length: > 0 } subject)
        {
            return false;
        }

        var developer = await httpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var developerId = developer.Succeeded ? users.GetUserId(developer.Principal!) : null;
        var customer = await httpContext.GetCustomerAsync() ?? await httpContext.GetPendingCustomerAsync();
        if (developerId is null && customer is null)
        {
            return true; // nobody is signed in here: the hint signs nobody out, it only returns to the client
        }

        return string.Equals(developerId, subject, StringComparison.Ordinal)
            || (customer is not null && hint.GetAudiences().Any(clientId =>
                string.Equals(subjects.For(clientId, customer.OrganisationId, customer.CustomerId), subject, StringComparison.Ordinal)));
    }
}
