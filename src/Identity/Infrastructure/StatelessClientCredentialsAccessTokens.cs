using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OpenBanking.Identity.Infrastructure;

/// <summary>
/// A client-credentials access token is a 5-minute signed JWT that resource servers validate on their own and nothing
/// ever looks up, so it gets no row in the tokens table (a write per token was most of the cost of issuing one).
/// Authorization codes and refresh tokens keep their rows: single use and revocation need them.
/// </summary>
internal sealed class StatelessClientCredentialsAccessTokens : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<StatelessClientCredentialsAccessTokens>()
            .SetOrder(OpenIddictServerHandlers.Protection.CreateTokenEntry.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (context.TokenType == TokenTypeIdentifiers.AccessToken && (context.Request ?? context.Transaction.Request)?.IsClientCredentialsGrantType() == true)
        {
            context.CreateTokenEntry = false;
        }

        return ValueTask.CompletedTask;
    }
}
