using System.Collections.Immutable;
using OpenBanking.Shared;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OpenBanking.Identity.Dpop;

/// <summary>Discovery advertises the DPoP proof algorithms accepted (RFC 9449 §5.1): PS256 and ES256.</summary>
internal sealed class DpopDiscovery : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public const string Metadata = "dpop_signing_alg_values_supported";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<DpopDiscovery>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachAdditionalMetadata.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        context.Metadata[Metadata] = new OpenIddictParameter(ImmutableArray.CreateRange<string?>(MessageSigning.DpopAlgorithms));
        return ValueTask.CompletedTask;
    }
}
