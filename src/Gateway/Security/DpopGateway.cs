using Microsoft.Extensions.Options;
using OpenBanking.Gateway.Extensions;
using OpenBanking.Gateway.Infrastructure;
using OpenBanking.ServiceDefaults.Authentication.Dpop;

namespace OpenBanking.Gateway.Security;

/// <summary>
/// The gateway checks DPoP in full (RFC 9449 §7, <see cref="DpopResourceChecks"/>), replay included: a proof's
/// <c>jti</c> goes into the gateway database's <c>DpopProofs</c> table, which every gateway instance shares, so a proof
/// replayed against another instance is refused too. <c>Gateway:PublicBaseUrl</c> (optional) is the origin partners
/// call, for proofs whose <c>htu</c> names it while the request arrives through a proxy under another name.
/// </summary>
internal static class DpopGateway
{
    public static IHostApplicationBuilder AddGatewayDpop(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DpopResourceOptions>()
            .Configure<IOptions<GatewayOptions>>((options, gateway) => options.PublicBaseUrl = gateway.Value.PublicBaseUrl);
        builder.Services.AddSingleton<IDpopReplayStore, EfDpopReplayStore<GatewayDbContext>>();
        builder.Services.AddHostedService<DpopProofCleanup<GatewayDbContext>>();
        return builder;
    }
}
