using System.Text.Json;
using OpenBanking.Shared;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OpenBanking.Identity.Dpop;

/// <summary>
/// Binds the tokens of a request that came with a valid proof: the access token gets <c>"cnf": {"jkt": …}</c> (RFC 9449
/// §6), and a refresh token issued from a code gets the private claim <c>dpop_jkt</c> (never in an access token; it
/// comes back with the refresh token, where <see cref="DpopTokenRequestValidation"/> demands a proof of that key).
/// A refresh of an unbound refresh token with a proof binds the new access token only: the refresh token keeps the
/// terms it was issued with.
/// </summary>
internal sealed class DpopTokenBinding : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseSingletonHandler<DpopTokenBinding>()
            // After every Prepare*Principal handler (the principals exist), before the tokens are generated.
            .SetOrder(OpenIddictServerHandlers.GenerateAccessToken.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.EndpointType != OpenIddictServerEndpointType.Token
            || !context.Transaction.Properties.TryGetValue(DpopTokenRequestValidation.JktProperty, out var value) || value is not string jkt)
        {
            return ValueTask.CompletedTask;
        }

        context.AccessTokenPrincipal?.SetClaim(PlatformClaims.Confirmation,
            JsonSerializer.SerializeToElement(new Dictionary<string, string> { [PlatformClaims.ConfirmationJkt] = jkt }));

        if (context.RefreshTokenPrincipal is { } refresh && context.Request?.IsRefreshTokenGrantType() != true)
        {
            refresh.SetClaim(PlatformClaims.DpopJkt, jkt);
        }

        return ValueTask.CompletedTask;
    }
}
