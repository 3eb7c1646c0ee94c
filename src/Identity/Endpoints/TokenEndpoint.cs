using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Identity.Consents;
using OpenBanking.Identity.Platform;
using OpenBanking.Shared;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.Endpoints;

/// <summary>
/// The token endpoint's application part. OpenIddict has already authenticated the client and checked the grant,
/// the PKCE verifier, the code's single use and the refresh token's rotation; this builds the token's claims.
/// </summary>
internal static class TokenEndpoint
{
    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/token", ExchangeAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ExchangeAsync(
        HttpContext httpContext,
        IOpenIddictApplicationManager applications,
        IOpenIddictScopeManager scopes,
        CancellationToken cancellationToken)
    {
        var request = httpContext.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request cannot be retrieved.");

        if (request.IsClientCredentialsGrantType())
        {
            return await ClientCredentialsAsync(request, applications, scopes, cancellationToken);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await httpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            if (result.Principal is not { } principal)
            {
                return Forbid(Errors.InvalidGrant, "The code or refresh token is no longer valid.");
            }

            // Resolved here, not injected: the client-credentials hot path needs no HTTP client.
            if (request.IsRefreshTokenGrantType())
            {
                string? refusal;
                try
                {
                    refusal = await ConsentStillGrantsAccessAsync(principal, httpContext.RequestServices.GetRequiredService<SandboxClient>(),
                        httpContext.RequestServices.GetRequiredService<TimeProvider>(), cancellationToken);
                }
                catch (Exception exception) when (SandboxUnavailable(exception, cancellationToken))
                {
                    // The refresh token is not redeemed (no sign-in happened): the client retries it later.
                    return TemporarilyUnavailable(httpContext);
                }

                if (refusal is not null)
                {
                    return Forbid(Errors.InvalidGrant, refusal);
                }
            }

            // The principal as issued with the code or refresh token: its claims and destinations (a customer's consent,
            // or a portal user's profile) and OpenIddict's own (authorization, lifetimes).
            return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Forbid(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }

    private static async Task<IResult> ClientCredentialsAsync(
        OpenIddictRequest request, IOpenIddictApplicationManager applications, IOpenIddictScopeManager scopes, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(request.ClientId!, cancellationToken);
        if (application is null)
        {
            return Forbid(Errors.InvalidClient, "The client application is unknown.");
        }

        var identity = new ClaimsIdentity(
            TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, await applications.GetClientIdAsync(application, cancellationToken));
        identity.SetClaim(Claims.Name, await applications.GetDisplayNameAsync(application, cancellationToken));

        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        if (properties.TryGetValue(PlatformClaims.OrganisationId, out var organisation))
        {
            identity.SetClaim(PlatformClaims.OrganisationId, organisation.GetString());
        }

        identity.SetScopes(request.GetScopes());
        var resources = new List<string>();
        await foreach (var resource in scopes.ListResourcesAsync(identity.GetScopes(), cancellationToken))
        {
            resources.Add(resource);
        }

        identity.SetResources(resources);
        identity.SetDestinations(static _ => [Destinations.AccessToken]);

        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// A refresh token is only as good as its consent: revoked, expired or no longer authorised in the Sandbox means
    /// no new tokens, even if the revocation here was missed.
    /// </summary>
    private static async Task<string?> ConsentStillGrantsAccessAsync(
        ClaimsPrincipal principal, SandboxClient sandbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var consentId = principal.GetClaim(PlatformClaims.ConsentId);
        if (consentId is null)
        {
            return null;
        }

        var consent = await sandbox.GetConsentAsync(consentId, cancellationToken);
        if (consent is null || consent.Status != SandboxConsent.Authorised)
        {
            return "The consent is no longer authorised.";
        }

        if (consent.AccessRevokedAt is not null)
        {
            return "The customer revoked this consent.";
        }

        return consent.ExpirationDateTime <= clock.GetUtcNow() ? "The consent has expired." : null;
    }

    /// <summary>
    /// Whatever stopped the Sandbox from answering — connection, timeout, open circuit (Polly's exceptions), a server
    /// error — except the client itself going away.
    /// </summary>
    /// <summary>The Sandbox could not answer (not the client going away, and not a bug of ours, which stays a 500).</summary>
    private static bool SandboxUnavailable(Exception exception, CancellationToken requestAborted)
        => SandboxClient.IsUnavailable(exception) && !(exception is OperationCanceledException && requestAborted.IsCancellationRequested);

    /// <summary>RFC 6749's <c>temporarily_unavailable</c>, as a 503 the client may retry, never a 500.</summary>
    private static IResult TemporarilyUnavailable(HttpContext httpContext)
    {
        httpContext.Response.Headers.CacheControl = "no-store";
        httpContext.Response.Headers.RetryAfter = "5";
        return Results.Json(new Dictionary<string, string>
        {
            ["error"] = Errors.TemporarilyUnavailable,
            ["error_description"] = "The consent cannot be checked right now; try again shortly.",
        }, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static IResult Forbid(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
