using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Identity.Clients;
using OpenBanking.Identity.Consents;
using OpenBanking.Identity.Customers;
using OpenBanking.Identity.Grants;
using OpenBanking.Identity.Platform;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.Endpoints;

/// <summary>
/// Non-browser authorisation for partners' automated tests (docs/sandbox.md): what a test customer does in the
/// browser — sign in, second factor, choose accounts, approve or deny — in one authenticated request. It is the
/// authorization endpoint itself (OpenIddict validates the <c>request_uri</c> as for the browser), and answers with
/// the same redirect URL (<see cref="SandboxAuthorizationResponse"/>).
/// </summary>
internal static class SandboxAuthorizeEndpoint
{
    public static IEndpointRouteBuilder MapSandboxAuthorizeEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost(SandboxAuthorizationResponse.Path, AuthorizeAsync).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> AuthorizeAsync(
        HttpContext httpContext,
        IOpenIddictApplicationManager applications,
        IOptionsMonitor<OpenIddictServerOptions> server,
        SandboxClient sandbox,
        ConsentGrants grants,
        SignInThrottle throttle,
        GrantRecords records,
        CancellationToken ct)
    {
        var request = httpContext.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request cannot be retrieved.");
        var form = await httpContext.Request.ReadFormAsync(ct);

        if (!await AuthenticateClientAsync(httpContext, form, request.ClientId!, applications, server.CurrentValue, ct))
        {
            return Error(StatusCodes.Status401Unauthorized, Errors.InvalidClient, "Authenticate as the client that pushed the request (client_secret_basic or private_key_jwt).");
        }

        var application = await applications.FindByClientIdAsync(request.ClientId!, ct);
        var properties = await applications.GetPropertiesAsync(application!, ct);
        var organisationId = properties.TryGetValue(PartnerClientProperties.OrganisationId, out var org) ? org.GetString() : null;
        if (organisationId is null)
        {
            return Error(StatusCodes.Status400BadRequest, Errors.InvalidRequest, "The client belongs to no partner organisation.");
        }

        var decision = form["decision"].ToString();
        if (decision is not ("approve" or "deny"))
        {
            return Error(StatusCodes.Status400BadRequest, Errors.InvalidRequest, "decision must be approve or deny.");
        }

        // Recorded only for a client that proved who it is: the journey is the app's, and nobody else may add to it.
        var consentId = (string?)request[ConsentGrants.ConsentIdParameter];
        var requestUri = form[Parameters.RequestUri].ToString() is { Length: > 0 } posted ? posted : httpContext.Request.Query[Parameters.RequestUri].ToString();
        JourneyContext? journey = consentId is { Length: > 0 } ? new(consentId, request.ClientId!, GrantRecords.RequestKeyOf(requestUri)) : null;
        if (journey is not null)
        {
            await records.StartAsync(journey.ConsentId, journey.ClientId, requestUri, JourneyPages.Headless, ct);
        }

        var username = form["username"].ToString();
        if (throttle.IsLockedOut(organisationId, username))
        {
            await records.StepAsync(journey, JourneySteps.SignInFailed, JourneyPages.Headless, "Sign-in is locked after too many wrong attempts.");
            return Error(StatusCodes.Status429TooManyRequests, Errors.AccessDenied, "Too many wrong attempts for this test customer; sign-in is locked for 15 minutes.");
        }

        var authentication = await sandbox.AuthenticateAsync(organisationId, username, form["password"].ToString(), ct);
        var signedIn = authentication.Customer is not null;
        if (signedIn)
        {
            await records.StepAsync(journey, JourneySteps.SignedIn, JourneyPages.Headless, $"Password accepted for {username.Trim().ToLowerInvariant()}.");
        }
        else
        {
            await records.StepAsync(journey, JourneySteps.SignInFailed, JourneyPages.Headless,
                authentication.CustomerExists ? "The password was not right." : "No test customer has that username.");
        }

        if (authentication.Customer is not { } found || !await sandbox.VerifySecondFactorAsync(organisationId, found.CustomerId, form["otp"].ToString(), ct))
        {
            if (authentication.CustomerExists)
            {
                throttle.Failed(organisationId, username);
            }

            if (signedIn)
            {
                await records.StepAsync(journey, JourneySteps.SecondFactorFailed, JourneyPages.Headless, "The security code was not right or had expired.");
            }

            return Error(StatusCodes.Status400BadRequest, Errors.AccessDenied, "The test customer's username, password or second factor is not right.");
        }

        throttle.Succeeded(organisationId, username);
        await records.StepAsync(journey, JourneySteps.SecondFactor, JourneyPages.Headless, "The security code was accepted.");
        var customer = new SignedInCustomer(organisationId, found.CustomerId, found.Name, username);
        if (decision == "deny")
        {
            var refusal = await grants.DenyAsync(request, customer, ct);
            if (refusal is null)
            {
                await records.StepAsync(journey, JourneySteps.Denied, JourneyPages.Headless, "The customer denied the consent.");
            }

            return refusal is null
                ? ForbidAccess(Errors.AccessDenied, "The customer denied the consent.")
                : ForbidAccess(Errors.InvalidRequest, refusal);
        }

        // The accounts to share (space or comma separated, or repeated); none named means all the customer's accounts
        // (for a payment, the first of its currency), since a partner's test rarely knows the sandbox's account ids in advance.
        var (prompt, refused) = await grants.PrepareAsync(request, customer, ct);
        if (prompt is null)
        {
            return Error(StatusCodes.Status400BadRequest, Errors.InvalidRequest, refused!);
        }

        var accounts = form["accounts"].SelectMany(a => (a ?? string.Empty).Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)).ToArray();
        if (accounts.Length == 0)
        {
            // A payment or funds check takes one account: the first eligible one (of the payment's currency).
            accounts = prompt.Consent.SingleAccount
                ? [.. prompt.Accounts.Take(1).Select(a => a.AccountId)]
                : [.. prompt.Accounts.Select(a => a.AccountId)];
        }

        await records.StepAsync(journey, JourneySteps.AccountsChosen, JourneyPages.Headless, GrantRecordsText.Accounts(accounts));
        var (principal, error) = await grants.ApproveAsync(request, customer, prompt, accounts, ct);
        if (principal is null)
        {
            return Error(StatusCodes.Status400BadRequest, Errors.InvalidRequest, error!);
        }

        await records.StepAsync(journey, JourneySteps.Approved, JourneyPages.Headless, $"Approved by customer {username.Trim().ToLowerInvariant()}.");
        await grants.IssueCodeAsync(httpContext, principal, customer);
        await records.StepAsync(journey, JourneySteps.CodeIssued, JourneyPages.Headless, "An authorization code was sent to the app's redirect URI.");
        return Results.Empty;
    }

    private static async Task<bool> AuthenticateClientAsync(
        HttpContext httpContext, IFormCollection form, string clientId, IOpenIddictApplicationManager applications,
        OpenIddictServerOptions server, CancellationToken ct)
    {
        var application = await applications.FindByClientIdAsync(clientId, ct);
        if (application is null)
        {
            return false;
        }

        var header = httpContext.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            }
            catch (FormatException)
            {
                return false;
            }

            var separator = decoded.IndexOf(':', StringComparison.Ordinal);
            return separator > 0
                && Uri.UnescapeDataString(decoded[..separator]) == clientId
                && await applications.ValidateClientSecretAsync(application, Uri.UnescapeDataString(decoded[(separator + 1)..]), ct);
        }

        if (form["client_assertion_type"] == ClientAssertionTypes.JwtBearer && form["client_assertion"].ToString() is { Length: > 0 } assertion)
        {
            var keys = await applications.GetJsonWebKeySetAsync(application, ct);
            if (keys is null)
            {
                return false;
            }

            var issuer = server.Issuer!.AbsoluteUri;
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
            {
                ValidTypes = ["client-authentication+jwt"],
                ValidIssuer = clientId,
                ValidAudiences = [issuer, issuer.TrimEnd('/'), new Uri(server.Issuer, SandboxAuthorizationResponse.Path.TrimStart('/')).AbsoluteUri],
                IssuerSigningKeys = keys.GetSigningKeys(),
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
            });
            // A client assertion is single use (RFC 7523 §3): its jti is remembered until it expires.
            return result.IsValid
                && result.ClaimsIdentity.FindFirst("sub")?.Value == clientId
                && result.SecurityToken is JsonWebToken { Id: { Length: > 0 } jti } token
                && httpContext.RequestServices.GetRequiredService<UsedAssertions>().TryUse(clientId, jti, token.ValidTo);
        }

        return false;
    }

    /// <summary>The <c>jti</c>s of client assertions already accepted here, until they expire.</summary>
    internal sealed class UsedAssertions(TimeProvider clock)
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTime> _used = new(StringComparer.Ordinal);

        public bool TryUse(string clientId, string jti, DateTime expires)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (_used.Count > 10_000)
            {
                foreach (var expired in _used.Where(e => e.Value < now).Select(e => e.Key).ToList())
                {
                    _used.TryRemove(expired, out _);
                }
            }

            return _used.TryAdd(clientId + "\n" + jti, expires.AddSeconds(30));
        }
    }

    private static IResult Error(int status, string error, string description)
        => Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: status);

    private static IResult ForbidAccess(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
