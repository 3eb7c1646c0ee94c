using Microsoft.AspNetCore.Identity;
using OpenBanking.Identity.Consents;
using OpenBanking.Identity.Customers;
using OpenBanking.Identity.Dpop;
using OpenBanking.Identity.Grants;
using OpenBanking.Identity.Infrastructure;
using OpenBanking.Identity.Platform;
using OpenBanking.ServiceDefaults.Data;
using OpenBanking.ServiceDefaults.DataProtection;
using OpenBanking.ServiceDefaults.Encryption;
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
        builder.AddDataProtectionKeys<IdentityDbContext>(PlatformServices.Identity);
        builder.AddColumnProtection();
        builder.Services.AddSingleton<IProtectedStore, ProtectedUserTokens>();

        builder.Services.AddIdentity<ApplicationUser, IdentityRole>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 10;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<IdentityDbContext>()
            .AddUserStore<ProtectedUserStore>()
            .AddErrorDescriber<Accounts.PlainIdentityErrors>()
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
                options.SetTokenEndpointUris("connect/token")
                    .SetAuthorizationEndpointUris("connect/authorize", SandboxAuthorizationResponse.Path.TrimStart('/'))
                    .SetPushedAuthorizationEndpointUris("connect/par")
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetEndSessionEndpointUris("connect/endsession")
                    .SetUserInfoEndpointUris("connect/userinfo");
                options.AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow()
                    .AllowRefreshTokenFlow();

                // FAPI 2.0 baseline: the authorization request is pushed (never in the front channel), PKCE always,
                // codes live 60 s and are single use (a second redemption revokes what the first gave), a refresh
                // token is rotated on use. The previous refresh token keeps working for a short leeway, so a client
                // that lost the response can retry; used again after that, it revokes the whole chain.
                options.RequirePushedAuthorizationRequests();
                options.RequireProofKeyForCodeExchange();
                options.SetAuthorizationCodeLifetime(TimeSpan.FromSeconds(60));
                options.SetRefreshTokenLifetime(TimeSpan.FromDays(90));
                options.SetRefreshTokenReuseLeeway(builder.Configuration.GetValue("Identity:RefreshTokenReuseLeeway", TimeSpan.FromSeconds(30)));

                options.RegisterScopes([Scopes.OpenId, Scopes.OfflineAccess, Scopes.Profile, Scopes.Email, Scopes.Roles, .. PlatformScopes.OpenBanking, PlatformScopes.SandboxInternal, PlatformScopes.IdentityClients, PlatformScopes.IdentityClientsRead, PlatformScopes.GatewayCalls]);

                // Resource servers (gateway, sandbox) validate signed JWTs themselves; an encrypted token would
                // need the server's private key there. Short lifetime bounds what a leaked token can do.
                options.DisableAccessTokenEncryption();
                options.SetAccessTokenLifetime(TimeSpan.FromMinutes(5));

                options.AddEventHandler(StatelessClientCredentialsAccessTokens.Descriptor);
                options.AddEventHandler(ConsentRequestValidation.Descriptor);
                options.AddEventHandler(SandboxAuthorizationResponse.Descriptor);
                foreach (var descriptor in TokenActivityHandlers.Descriptors)
                {
                    options.AddEventHandler(descriptor);
                }

                options.AddDpop();

                // FAPI 2.0 signs with PS256 or ES256, never RS256 (PKCS#1 v1.5): Identity:SigningAlgorithm.
                options.AddSigningCredentials(SigningKeys.LoadSigningCredentials(builder.Configuration, contentRoot));
                options.AddEncryptionCertificate(SigningKeys.Load(builder.Configuration, contentRoot, "Encryption"));

                var aspNetCore = options.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough();
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

            // A request_uri is good for 5 minutes (FAPI 2.0: under 600 s), time for the customer's two factors.
            options.RequestTokenLifetime = TimeSpan.FromMinutes(5);

            // Customers are named to each client by a pairwise subject (PairwiseSubjects).
            options.SubjectTypes.Clear();
            options.SubjectTypes.Add(SubjectTypes.Pairwise);
        });

        builder.Services.AddCustomerAuthentication();
        builder.Services.AddSingleton(new PairwiseSubjects(SigningKeys.LoadSecret(builder.Configuration, contentRoot, "PairwiseSubjectKey")));
        builder.Services.AddSingleton<ServiceTokens>();
        builder.Services.AddTransient<ServiceTokens.SandboxHandler>();
        builder.Services.AddHttpClient<SandboxClient>(client => client.BaseAddress = new Uri(builder.Configuration["Identity:SandboxUrl"] ?? $"http://{PlatformServices.Sandbox}/"))
            .AddHttpMessageHandler<ServiceTokens.SandboxHandler>();
        builder.Services.AddScoped<ConsentGrants>();
        builder.Services.AddSingleton<GrantRecords>();
        builder.Services.AddHostedService<GrantRecordsCleanup>();
        // Issue 22: dead tokens and authorizations, and Development's mail files, go after a stated retention.
        builder.Services.AddOptions<Retention.IdentityRetentionOptions>().BindConfiguration(Retention.IdentityRetentionOptions.SectionName)
            .Validate(o => o.SchedulingIsValid && o.TokenDays > 0 && o.MailDays > 0,
                $"{Retention.IdentityRetentionOptions.SectionName}: TokenDays, MailDays, Interval, RetryDelay and BatchSize must be positive, StartupDelay not negative.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Retention.IdentityRetention>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Retention.IdentityRetention>());
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddSingleton<Endpoints.SandboxAuthorizeEndpoint.UsedAssertions>();

        builder.Services.AddAuthorization();
        builder.Services.AddRazorPages();
        builder.AddPartnerAccounts();

        builder.Services.AddScoped<IDatabaseSeeder<IdentityDbContext>, ScopeSeeder>();
        builder.Services.AddScoped<IDatabaseSeeder<IdentityDbContext>, ServiceClientSeeder>();
        builder.Services.AddScoped<IDatabaseSeeder<IdentityDbContext>, PortalClientSeeder>();
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddScoped<IDatabaseSeeder<IdentityDbContext>, DevelopmentSeeder>();
        }

        return builder;
    }
}
