using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Sandbox.FunctionalTests.MessageSigning;
using OpenBanking.Sandbox.Platform;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// The Sandbox with its real token validation, trusting a test signing key instead of Identity's JWKS, so tests
/// mint tokens of every kind (and bad ones) without the authorization server.
/// </summary>
public sealed class SandboxFactory : ServiceFactory<Program>
{
    public const string Issuer = "http://localhost:5001/";

    private static readonly RsaSecurityKey SigningKey = new(RSA.Create(2048)) { KeyId = "test-key" };

    /// <summary>The service's clock: real time plus an offset a test may move forward.</summary>
    public TestClock Clock { get; } = new();

    /// <summary>Apps' message-signing settings as Identity would give them; unknown apps require nothing.</summary>
    public FakeAppSecurityDirectory AppSecurity { get; } = new();

    public SandboxFactory()
    {
        // Tests move payments along their lifecycle themselves (Payments.Settle), with the clock, never by waiting.
        WithSetting("Payments:WorkerEnabled", "false");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IAppSecurityDirectory>(AppSecurity);
            services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
                configuration.SigningKeys.Add(SigningKey);
                options.Configuration = configuration;
                options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
            });
        });
    }

    /// <summary>A token of an internal client (Identity) with the Sandbox's internal scope.</summary>
    public static string InternalToken(string scope = PlatformScopes.SandboxInternal)
        => ClientToken(clientId: "identity-service", organisationId: "platform", scope: scope, audience: PlatformClaims.SandboxAudience);

    /// <summary>A client-credentials token as Identity issues it.</summary>
    public static string ClientToken(
        string clientId = "wallet-a",
        string organisationId = "org-a",
        string scope = PlatformScopes.Accounts,
        string? consentId = null,
        TimeSpan? lifetime = null,
        DateTime? issuedAt = null,
        string issuer = Issuer,
        string audience = PlatformClaims.OpenBankingAudience,
        SecurityKey? key = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = clientId,
            ["client_id"] = clientId,
            [PlatformClaims.OrganisationId] = organisationId,
            ["scope"] = scope,
        };
        if (consentId is not null)
        {
            claims[PlatformClaims.ConsentId] = consentId;
        }

        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(5));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = issuedAt ?? (expires < now ? expires.AddMinutes(-5) : now),
            NotBefore = expires < now ? expires.AddMinutes(-5) : now,
            Expires = expires,
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }
}

/// <summary>System time shifted by <see cref="Offset"/>, so a test can make a consent expire without waiting.</summary>
public sealed class TestClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
