using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Extensions;

/// <summary>
/// Zero trust: the Sandbox validates every bearer token itself (issuer, audience, signature, lifetime), even
/// behind the gateway.
/// </summary>
internal static class AuthenticationExtensions
{
    public const string MetadataHttpClient = "identity-metadata";

    public static IHostApplicationBuilder AddSandboxAuthentication(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Authentication");
        var issuer = section["Issuer"] ?? "http://localhost:5001/";
        // Metadata and keys are fetched over the internal network (service discovery resolves "identity"); the
        // issuer stays the public URL that tokens carry.
        var metadataAddress = section["MetadataAddress"] ?? "http://identity/.well-known/openid-configuration";

        builder.Services.AddHttpClient(MetadataHttpClient);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IHttpClientFactory>((options, httpClients) =>
            {
                options.MetadataAddress = metadataAddress;
                options.RequireHttpsMetadata = metadataAddress.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
                options.Backchannel = httpClients.CreateClient(MetadataHttpClient);
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = issuer,
                    // Bank-API tokens and internal tokens; each policy below also demands its own scope.
                    ValidAudiences = [PlatformClaims.OpenBankingAudience, PlatformClaims.SandboxAudience],
                    ValidTypes = ["at+jwt"],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = "sub",
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PlatformScopes.Accounts, policy => policy.RequireAuthenticatedUser()
                .RequireClaim("aud", PlatformClaims.OpenBankingAudience).RequireScope(PlatformScopes.Accounts))
            .AddPolicy(PlatformScopes.SandboxInternal, policy => policy.RequireAuthenticatedUser()
                .RequireClaim("aud", PlatformClaims.SandboxAudience).RequireScope(PlatformScopes.SandboxInternal));

        return builder;
    }

    /// <summary>Tokens carry one space-separated <c>scope</c> claim; the policy splits it.</summary>
    private static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder policy, string scope)
        => policy.RequireAssertion(context => context.User.FindAll("scope")
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal));
}
