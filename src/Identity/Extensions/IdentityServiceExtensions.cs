using Microsoft.AspNetCore.Identity;
using OpenBanking.Identity.Infrastructure;
using OpenBanking.ServiceDefaults.Data;
using OpenBanking.Shared;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.Extensions;

internal static class IdentityServiceExtensions
{
    public const string ConnectionName = "IdentityDb";

    public static IHostApplicationBuilder AddIdentityServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<VerifiedSecretCache>();
        builder.AddServiceDatabase<IdentityDbContext, SqliteIdentityDbContext, SqlServerIdentityDbContext>(ConnectionName);

        builder.Services.AddIdentity<ApplicationUser, IdentityRole>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 10;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<IdentityDbContext>()
            .AddDefaultTokenProviders();

        var issuer = new Uri(builder.Configuration["Identity:Issuer"] ?? "http://localhost:5001/", UriKind.Absolute);
        var contentRoot = builder.Environment.ContentRootPath;

        builder.Services.AddOpenIddict()
            .AddCore(options =>
            {
                options.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>();
                options.ReplaceApplicationManager(typeof(CachingApplicationManager<>));
            })
            .AddServer(options =>
            {
                options.SetIssuer(issuer);
                options.SetTokenEndpointUris("connect/token");
                options.AllowClientCredentialsFlow();

                options.RegisterScopes([Scopes.OpenId, Scopes.OfflineAccess, .. PlatformScopes.OpenBanking, PlatformScopes.SandboxInternal, PlatformScopes.IdentityClients, PlatformScopes.GatewayCalls]);

                // Resource servers (gateway, sandbox) validate signed JWTs themselves; an encrypted token would
                // need the server's private key there. Short lifetime bounds what a leaked token can do.
                options.DisableAccessTokenEncryption();
                options.SetAccessTokenLifetime(TimeSpan.FromMinutes(5));

                options.AddEventHandler(StatelessClientCredentialsAccessTokens.Descriptor);

                options.AddSigningCertificate(SigningKeys.Load(builder.Configuration, contentRoot, "Signing"));
                options.AddEncryptionCertificate(SigningKeys.Load(builder.Configuration, contentRoot, "Encryption"));

                var aspNetCore = options.UseAspNetCore().EnableTokenEndpointPassthrough();
                if (issuer.Scheme == Uri.UriSchemeHttp)
                {
                    // Development runs on plain http on loopback; production's issuer is https.
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });

        // FAPI-grade client authentication: client_secret_basic or private_key_jwt only (a secret in the body is
        // refused), and PKCE with S256 only. Discovery advertises exactly these.
        builder.Services.Configure<OpenIddictServerOptions>(options =>
        {
            options.ClientAuthenticationMethods.Remove(ClientAuthenticationMethods.ClientSecretPost);
            options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain);
        });

        builder.Services.AddAuthorization();
        builder.Services.AddRazorPages();
        builder.AddPartnerAccounts();

        builder.Services.AddScoped<IDatabaseSeeder<IdentityDbContext>, ScopeSeeder>();
        builder.Services.AddScoped<IDatabaseSeeder<IdentityDbContext>, ServiceClientSeeder>();
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddScoped<IDatabaseSeeder<IdentityDbContext>, DevelopmentSeeder>();
        }

        return builder;
    }
}
