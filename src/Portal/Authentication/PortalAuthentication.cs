using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace OpenBanking.Portal.Authentication;

/// <summary>
/// Partners and admins sign in at Identity with OpenID Connect: authorization code with PKCE, the request pushed
/// (PAR, as Identity requires of every client), the Portal a confidential client (<c>Authentication:Oidc</c>:
/// <c>ClientId</c>, <c>ClientSecret</c>, <c>MetadataAddress</c>). Tokens stay on the server, in the encrypted
/// session cookie; the browser only ever holds that cookie (HttpOnly, SameSite=Lax).
/// </summary>
public static class PortalAuthentication
{
    public const string MetadataHttpClient = "identity-oidc";

    public static IHostApplicationBuilder AddPortalAuthentication(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Authentication:Oidc");
        var lifetime = builder.Configuration.GetValue("Authentication:SessionLifetime", TimeSpan.FromHours(12));
        builder.Services.AddTransient<ClientSecretBasicHandler>();
        builder.Services.AddHttpClient(MetadataHttpClient).AddHttpMessageHandler<ClientSecretBasicHandler>();
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(options =>
            {
                options.Cookie.Name = "__portal";
                options.Cookie.HttpOnly = true;
                // Lax, not Strict: the session must come along on the top-level redirect back from Identity.
                options.Cookie.SameSite = SameSiteMode.Lax;
                // Development runs on plain http; everywhere else the session cookie never travels without TLS
                // (browsers treat http://localhost as secure, so docker compose still works).
                options.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.AccessDeniedPath = "/forbidden";
                options.Events.OnSigningIn = context => SessionLifetime.Stamp(context, lifetime);
                options.Events.OnValidatePrincipal = context => SessionLifetime.EnforceAsync(context);
            })
            // The correlation and nonce cookies keep the framework's defaults, Secure and SameSite=None in every
            // environment: SameSite=None needs Secure (browsers drop it otherwise), and browsers accept Secure cookies
            // from http://localhost, so Development works too.
            .AddOpenIdConnect();
        builder.Services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<IHttpClientFactory>((options, httpClients) =>
            {
                // Discovery and keys over the internal network ("identity" resolves through service discovery); the
                // endpoints it names are the ones the browser uses.
                options.MetadataAddress = section["MetadataAddress"] ?? "http://identity/.well-known/openid-configuration";
                options.RequireHttpsMetadata = options.MetadataAddress.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
                options.Backchannel = httpClients.CreateClient(MetadataHttpClient);
                options.ClientId = section["ClientId"] ?? "portal";
                options.ClientSecret = section["ClientSecret"];
                options.ResponseType = OpenIdConnectResponseType.Code;
                // The code comes back in the query (with iss): form_post needs an inline script, which Identity's
                // content security policy does not allow.
                options.ResponseMode = OpenIdConnectResponseMode.Query;
                options.UsePkce = true;
                options.PushedAuthorizationBehavior = PushedAuthorizationBehavior.Require;
                options.SaveTokens = true;
                options.MapInboundClaims = false;
                options.GetClaimsFromUserInfoEndpoint = false;
                options.Scope.Clear();
                foreach (var scope in new[] { "openid", "profile", "email", "roles" })
                {
                    options.Scope.Add(scope);
                }

                options.TokenValidationParameters.NameClaimType = "name";
                options.TokenValidationParameters.RoleClaimType = "role";

                // Discovery is read over the internal network, and Identity names its endpoints after the host it was
                // asked on (http://identity:8080 under docker compose): the browser is sent to the public address.
                options.Events.OnRedirectToIdentityProvider = context =>
                {
                    // The page to return to, pushed with the request: if the person creates an account on the way,
                    // Identity sends them back here through /account/sign-in once the confirmation mail is opened.
                    context.ProtocolMessage.SetParameter("portal_return_path", context.Properties.RedirectUri);
                    return UsePublicAddress(context.ProtocolMessage, context.HttpContext);
                };
                options.Events.OnRedirectToIdentityProviderForSignOut = context => UsePublicAddress(context.ProtocolMessage, context.HttpContext);
            });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<UserStanding>();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RevalidatingPortalAuthenticationStateProvider>();
        return builder;
    }

    /// <summary><c>/account/sign-in</c> starts the OpenID Connect sign-in; <c>/account/sign-out</c> (POST) ends both sessions.</summary>
    public static IEndpointRouteBuilder MapPortalAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account").ExcludeFromDescription();
        group.MapGet("/sign-in", (string? returnUrl) => TypedResults.Challenge(
            new AuthenticationProperties { RedirectUri = LocalOrHome(returnUrl) },
            [OpenIdConnectDefaults.AuthenticationScheme]));
        // A form post with the antiforgery token: another site cannot sign the user out.
        group.MapPost("/sign-out", () => TypedResults.SignOut(
            new AuthenticationProperties { RedirectUri = "/" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]))
            .WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute(true));
        return app;
    }

    private static Task UsePublicAddress(OpenIdConnectMessage message, HttpContext context)
    {
        var identity = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<OpenBanking.Portal.Extensions.PlatformOptions>>().Value.IdentityUrl;
        if (Uri.TryCreate(message.IssuerAddress, UriKind.Absolute, out var endpoint))
        {
            message.IssuerAddress = new UriBuilder(endpoint) { Scheme = identity.Scheme, Host = identity.Host, Port = identity.Port }.Uri.ToString();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Where to go after sign-in: a path on this site, or home. The framework's check (the one <c>LocalRedirect</c>
    /// uses) also refuses control characters, which browsers strip: <c>/\t/evil.example</c> would become <c>//evil.example</c>.
    /// </summary>
    internal static string LocalOrHome(string? returnUrl)
        => !string.IsNullOrEmpty(returnUrl) && Microsoft.AspNetCore.Http.HttpResults.RedirectHttpResult.IsLocalUrl(returnUrl) ? returnUrl : "/";
}
