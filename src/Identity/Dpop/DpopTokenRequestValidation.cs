using Microsoft.AspNetCore;
using Microsoft.Extensions.Options;
using OpenBanking.Identity.Clients;
using OpenBanking.ServiceDefaults.Authentication.Dpop;
using OpenBanking.Shared;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OpenBanking.Identity.Dpop;

/// <summary>
/// Checks the <c>DPoP</c> proof of a token request (RFC 9449 §5) once the client is authenticated and the code or
/// refresh token is validated, before anything is issued or redeemed — a refusal leaves the code or refresh token as it
/// was. No proof: fine, unless the app requires DPoP (<c>require_dpop</c>) or the refresh token is bound to a key.
/// A valid proof's thumbprint goes on the transaction for <see cref="DpopTokenBinding"/>.
/// </summary>
internal sealed class DpopTokenRequestValidation(
    IOpenIddictApplicationManager applications,
    DpopProofValidator validator,
    DpopNonces nonces,
    IDpopReplayStore replays,
    IOptions<DpopServerOptions> options) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    /// <summary>The transaction property holding the thumbprint of the request's valid proof.</summary>
    public const string JktProperty = "openbanking:dpop_jkt";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseScopedHandler<DpopTokenRequestValidation>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateAuthentication.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        var http = context.Transaction.GetHttpRequest() ?? throw new InvalidOperationException("DPoP needs the ASP.NET Core host.");
        var proofs = http.Headers[PlatformHeaders.Dpop];
        var boundJkt = context.Request.IsRefreshTokenGrantType() ? context.RefreshTokenPrincipal?.GetClaim(PlatformClaims.DpopJkt) : null;

        if (proofs.Count == 0)
        {
            if (boundJkt is not null)
            {
                context.Reject(Errors.InvalidGrant, "This refresh token is bound to a DPoP key: send a DPoP proof signed with that key.");
            }
            else if (await RequiresDpopAsync(context))
            {
                context.Reject(DpopProofResult.InvalidProof, "This app requires DPoP: send a DPoP proof with every token request.");
            }

            return;
        }

        if (proofs.Count > 1)
        {
            context.Reject(DpopProofResult.InvalidProof, "Send exactly one DPoP header.");
            return;
        }

        // The endpoint as the issuer names it and as this request reached it (tests and a proxy may differ from the issuer).
        var endpoint = $"{http.Scheme}://{http.Host}{http.PathBase}{http.Path}";
        IReadOnlyList<string> uris = context.Options.Issuer is { } issuer ? [new Uri(issuer, "connect/token").AbsoluteUri, endpoint] : [endpoint];
        var result = validator.Validate(new DpopProofRequest(proofs[0]!, http.Method, uris,
            NonceIsValid: options.Value.RequireNonce ? nonces.IsValid : null));
        if (!result.Succeeded)
        {
            context.Reject(result.Error, result.Message);
            return;
        }

        if (boundJkt is not null && !string.Equals(boundJkt, result.Jkt, StringComparison.Ordinal))
        {
            context.Reject(Errors.InvalidGrant, "This refresh token is bound to another DPoP key: sign the proof with the key the token was issued to.");
            return;
        }

        var window = validator.ProofWindow;
        if (!await replays.TryRecordAsync(result.Jkt!, result.Jti!, (result.Iat + window.Lifetime + window.ClockSkew).UtcDateTime, context.CancellationToken))
        {
            context.Reject(DpopProofResult.InvalidProof, "This DPoP proof (jti) was already used: make a fresh proof for each request.");
            return;
        }

        context.Transaction.Properties[JktProperty] = result.Jkt!;
    }

    private async ValueTask<bool> RequiresDpopAsync(ValidateTokenRequestContext context)
    {
        if (string.IsNullOrEmpty(context.ClientId))
        {
            return false;
        }

        // The application manager's per-request cache already holds the row client authentication loaded.
        var application = await applications.FindByClientIdAsync(context.ClientId, context.CancellationToken);
        return application is not null
            && PartnerClientProperties.GetBool(await applications.GetPropertiesAsync(application, context.CancellationToken), PartnerClientProperties.RequireDpop);
    }
}
