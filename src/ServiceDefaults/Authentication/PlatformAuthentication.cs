using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.ServiceDefaults.Authentication.Dpop;

namespace OpenBanking.ServiceDefaults.Authentication;

/// <summary>
/// Bearer-token validation as every resource server of the platform does it: Identity's signed <c>at+jwt</c> access
/// tokens (issuer, audience, signature from the JWKS, lifetime with a 30-second skew), keys fetched over the internal
/// network through service discovery, and fully validated tokens remembered until they expire (<see cref="CachedTokenHandler"/>).
/// Settings: <c>Authentication:Issuer</c> (default http://localhost:5001/) and <c>Authentication:MetadataAddress</c>
/// (default http://identity/.well-known/openid-configuration). DPoP-bound tokens (<c>cnf.jkt</c>) are accepted only
/// with the DPoP scheme and a proof for the request (<see cref="DpopResourceChecks"/>).
/// </summary>
public static class PlatformAuthentication
{
    /// <summary>The named HTTP client that reads Identity's discovery document and keys.</summary>
    public const string MetadataHttpClient = "identity-metadata";

    /// <summary>Adds the JwtBearer scheme accepting tokens for any of <paramref name="audiences"/>; policies check which.</summary>
    public static IHostApplicationBuilder AddPlatformJwtBearer(this IHostApplicationBuilder builder, params string[] audiences)
    {
        var section = builder.Configuration.GetSection("Authentication");
        var issuer = section["Issuer"] ?? "http://localhost:5001/";
        // Metadata and keys are fetched over the internal network (service discovery resolves "identity"); the
        // issuer stays the public URL that tokens carry.
        var metadataAddress = section["MetadataAddress"] ?? "http://identity/.well-known/openid-configuration";

        builder.Services.AddHttpClient(MetadataHttpClient);
        builder.Services.AddSingleton<CachedTokenHandler>();
        // DPoP (RFC 9449): proofs checked on every request; a service that registers an IDpopReplayStore also refuses replays.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp => new DpopProofValidator(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddOptions<DpopResourceOptions>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IHttpClientFactory, CachedTokenHandler>((options, httpClients, handler) =>
            {
                options.MetadataAddress = metadataAddress;
                options.RequireHttpsMetadata = metadataAddress.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
                options.Backchannel = httpClients.CreateClient(MetadataHttpClient);
                options.MapInboundClaims = false;
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(handler);
                options.Events = new JwtBearerEvents().AddDpop();
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = issuer,
                    ValidAudiences = audiences,
                    ValidTypes = ["at+jwt"],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = "sub",
                };
            });

        return builder;
    }

    /// <summary>Tokens carry one space-separated <c>scope</c> claim; the policy splits it.</summary>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder policy, string scope)
        => policy.RequireAssertion(context => HasScope(context.User, scope));

    /// <summary>Whether the token's space-separated <c>scope</c> claim names <paramref name="scope"/>.</summary>
    public static bool HasScope(System.Security.Claims.ClaimsPrincipal user, string scope)
        => user.FindAll("scope").SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(scope, StringComparer.Ordinal);
}
