using OpenBanking.Shared;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OpenBanking.Identity.Grants;

/// <summary>
/// Records each app's successful code exchanges, refresh grants and revocations (the readiness report's token checks,
/// the consent inspector's timeline). OpenIddict handlers rather than the token endpoint's own code: the revocation
/// endpoint has no application part, and only the response handlers know that OpenIddict really answered with
/// tokens. What was granted is noted during sign-in; it is written once the response carries no error.
/// </summary>
public static class TokenActivityHandlers
{
    private const string PendingProperty = ".openbanking_token_activity";

    public static IEnumerable<OpenIddictServerHandlerDescriptor> Descriptors { get; } =
    [
        // Once the principals exist, as the DPoP binding does; whether the exchange succeeded is known at the response.
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseSingletonHandler<NoteGrant>()
            .SetOrder(OpenIddictServerHandlers.GenerateAccessToken.Descriptor.Order - 400)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleRevocationRequestContext>()
            .UseSingletonHandler<NoteRevocation>()
            .SetOrder(int.MaxValue - 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<WriteTokenActivity>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyRevocationResponseContext>()
            .UseSingletonHandler<WriteRevocationActivity>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
    ];

    private sealed record Pending(string ClientId, string Kind, string? ConsentId);

    private sealed class NoteGrant : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public ValueTask HandleAsync(ProcessSignInContext context)
        {
            if (context.EndpointType != OpenIddictServerEndpointType.Token || context.IsRejected || context.Request is not { } request)
            {
                return ValueTask.CompletedTask;
            }

            var kind = request.IsAuthorizationCodeGrantType() ? TokenActivityKinds.CodeExchange
                : request.IsRefreshTokenGrantType() ? TokenActivityKinds.Refresh
                : null;
            var clientId = request.ClientId ?? context.Principal?.GetPresenters().FirstOrDefault();
            if (kind is not null && clientId is not null)
            {
                context.Transaction.SetProperty(PendingProperty, new Pending(clientId, kind, context.Principal?.GetClaim(PlatformClaims.ConsentId)));
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class NoteRevocation : IOpenIddictServerHandler<HandleRevocationRequestContext>
    {
        public ValueTask HandleAsync(HandleRevocationRequestContext context)
        {
            // The client as authenticated; OpenIddict only lets a client revoke its own tokens (its presenter).
            if (!context.IsRejected && (context.Request.ClientId ?? context.GenericTokenPrincipal?.GetPresenters().FirstOrDefault()) is { } clientId)
            {
                context.Transaction.SetProperty(PendingProperty,
                    new Pending(clientId, TokenActivityKinds.Revocation, context.GenericTokenPrincipal?.GetClaim(PlatformClaims.ConsentId)));
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class WriteTokenActivity(GrantRecords records) : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public async ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            if (string.IsNullOrEmpty(context.Response.Error) && context.Transaction.GetProperty<Pending>(PendingProperty) is { } pending)
            {
                await records.TokenActivityAsync(pending.ClientId, pending.Kind, pending.ConsentId);
            }
        }
    }

    private sealed class WriteRevocationActivity(GrantRecords records) : IOpenIddictServerHandler<ApplyRevocationResponseContext>
    {
        public async ValueTask HandleAsync(ApplyRevocationResponseContext context)
        {
            if (string.IsNullOrEmpty(context.Response.Error) && context.Transaction.GetProperty<Pending>(PendingProperty) is { } pending)
            {
                await records.TokenActivityAsync(pending.ClientId, pending.Kind, pending.ConsentId);
            }
        }
    }
}
