using Microsoft.AspNetCore;
using Microsoft.Extensions.Options;
using OpenBanking.ServiceDefaults.Authentication.Dpop;
using OpenBanking.Shared;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OpenBanking.Identity.Dpop;

/// <summary>
/// A DPoP-bound access token is answered with <c>token_type: DPoP</c> (RFC 9449 §5); with nonces on, every token
/// response (errors included, <c>use_dpop_nonce</c> above all) carries a fresh <c>DPoP-Nonce</c> (§8).
/// </summary>
internal sealed class DpopTokenResponse(DpopNonces nonces, IOptions<DpopServerOptions> options) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<DpopTokenResponse>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ProcessJsonResponse<ApplyTokenResponseContext>.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (string.IsNullOrEmpty(context.Error) && !string.IsNullOrEmpty(context.Response.AccessToken)
            && context.Transaction.Properties.ContainsKey(DpopTokenRequestValidation.JktProperty))
        {
            context.Response.TokenType = PlatformHeaders.Dpop;
        }

        if (options.Value.RequireNonce && context.Transaction.GetHttpRequest() is { } request)
        {
            request.HttpContext.Response.Headers[PlatformHeaders.DpopNonce] = nonces.Issue();
        }

        return ValueTask.CompletedTask;
    }
}
