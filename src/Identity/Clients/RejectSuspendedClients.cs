using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OpenBanking.Identity.Clients;

/// <summary>
/// A suspended partner app gets nothing: no token (client credentials, code exchange, refresh), no pushed or direct
/// authorization request, no introspection. It runs once the client is identified (and, where it authenticates,
/// authenticated — so the answer tells an outsider nothing) and before any token or request_uri in the request is
/// looked at. Revocation stays open: a suspended app may still give tokens up.
/// </summary>
internal sealed class RejectSuspendedClients(IOpenIddictApplicationManager applications)
    : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseScopedHandler<RejectSuspendedClients>()
            .SetOrder(OpenIddictServerHandlers.ValidateClientCertificate.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (context.EndpointType is not (OpenIddictServerEndpointType.Token
                or OpenIddictServerEndpointType.Authorization
                or OpenIddictServerEndpointType.PushedAuthorization
                or OpenIddictServerEndpointType.Introspection
                or OpenIddictServerEndpointType.DeviceAuthorization)
            || string.IsNullOrEmpty(context.ClientId))
        {
            return;
        }

        // The application manager's per-request cache already holds the row ValidateClientId loaded, and the parsed
        // properties are memoised by the store: no extra query on the token path, and no stale flag either.
        var application = await applications.FindByClientIdAsync(context.ClientId, context.CancellationToken);
        if (application is null)
        {
            return;
        }

        var properties = await applications.GetPropertiesAsync(application, context.CancellationToken);
        if (PartnerClientProperties.IsSuspended(properties))
        {
            context.Reject(error: Errors.InvalidClient, description: "The client is suspended.");
        }
    }
}
