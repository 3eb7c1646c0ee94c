using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenBanking.Identity.Infrastructure;
using OpenBanking.ServiceDefaults.Authentication.Dpop;
using OpenIddict.Server;

namespace OpenBanking.Identity.Dpop;

/// <summary><c>Identity:Dpop</c> settings.</summary>
public sealed class DpopServerOptions
{
    public const string SectionName = "Identity:Dpop";

    /// <summary>Demand a server nonce in every proof (RFC 9449 §8): off by default; on, a proof without the current nonce gets <c>use_dpop_nonce</c>.</summary>
    public bool RequireNonce { get; set; }
}

/// <summary>
/// DPoP (RFC 9449) at the token endpoint on OpenIddict's extension points: the proof is checked when the request is
/// validated (<see cref="DpopTokenRequestValidation"/>), the tokens are bound when they are made
/// (<see cref="DpopTokenBinding"/>), the answer says <c>token_type: DPoP</c> (<see cref="DpopTokenResponse"/>), and
/// discovery lists the proof algorithms (<see cref="DpopDiscovery"/>).
/// </summary>
internal static class DpopServerExtensions
{
    public static OpenIddictServerBuilder AddDpop(this OpenIddictServerBuilder server)
    {
        var services = server.Services;
        services.AddOptions<DpopServerOptions>().BindConfiguration(DpopServerOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new DpopProofValidator(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<DpopNonces>();
        // Replay: Identity's own DpopProofs table, so every Identity instance refuses a proof any of them has seen.
        services.TryAddSingleton<IDpopReplayStore, EfDpopReplayStore<IdentityDbContext>>();
        services.AddHostedService<DpopProofCleanup<IdentityDbContext>>();

        return server.AddEventHandler(DpopTokenRequestValidation.Descriptor)
            .AddEventHandler(DpopTokenBinding.Descriptor)
            .AddEventHandler(DpopTokenResponse.Descriptor)
            .AddEventHandler(DpopDiscovery.Descriptor);
    }
}
