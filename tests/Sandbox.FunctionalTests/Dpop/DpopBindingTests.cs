using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests.Dpop;

/// <summary>The Sandbox trusting a test key, so tests mint DPoP-bound tokens (<c>cnf.jkt</c>) as Identity does.</summary>
public sealed class DpopSandboxFactory : ServiceFactory<Program>
{
    private static readonly RsaSecurityKey SigningKey = new(RSA.Create(2048)) { KeyId = "dpop-test-key" };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = SandboxFactory.Issuer };
            configuration.SigningKeys.Add(SigningKey);
            options.Configuration = configuration;
            options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
        }));
    }

    /// <summary>A client-credentials token bound to <paramref name="jkt"/> (none: unbound).</summary>
    public static string Token(string? jkt)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = "wallet-dpop",
            ["client_id"] = "wallet-dpop",
            [PlatformClaims.OrganisationId] = "org-dpop",
            ["scope"] = PlatformScopes.Accounts,
        };
        if (jkt is not null)
        {
            claims[PlatformClaims.Confirmation] = JsonSerializer.SerializeToElement(new Dictionary<string, string> { [PlatformClaims.ConfirmationJkt] = jkt });
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = SandboxFactory.Issuer,
            Audience = PlatformClaims.OpenBankingAudience,
            Claims = claims,
            Expires = DateTime.UtcNow.AddMinutes(5),
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSsaPssSha256),
        });
    }
}

/// <summary>
/// Zero trust for DPoP: the Sandbox re-checks a bound token's binding (scheme, proof key, method, path, token hash, time)
/// even behind the gateway. It compares the path only (its host name is internal) and leaves replay to the gateway.
/// </summary>
public sealed class DpopBindingTests(DpopSandboxFactory factory) : IClassFixture<DpopSandboxFactory>
{
    private const string Consents = "/open-banking/v3.1/aisp/account-access-consents";
    private const string PublicHtu = "https://api.sandbox.example" + Consents;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ABoundTokenSentAsBearer_IsRefused()
    {
        using var key = DpopKey.Es256();
        var token = DpopSandboxFactory.Token(key.Thumbprint);

        using var response = await PostAsync("Bearer", token, key.Proof("POST", PublicHtu, token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("DPoP", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(_ct));
    }

    [Fact]
    public async Task ABoundTokenWithItsProof_IsAccepted_WhateverHostTheGatewayWasCalledBy()
    {
        using var key = DpopKey.Ps256();
        var token = DpopSandboxFactory.Token(key.Thumbprint);

        using var response = await PostAsync("DPoP", token, key.Proof("POST", PublicHtu, token));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task AProofForAnotherPathOrKey_IsRefused()
    {
        using var key = DpopKey.Es256();
        using var other = DpopKey.Es256();
        var token = DpopSandboxFactory.Token(key.Thumbprint);

        using var wrongPath = await PostAsync("DPoP", token, key.Proof("POST", "https://api.sandbox.example/open-banking/v3.1/aisp/accounts", token));
        using var wrongKey = await PostAsync("DPoP", token, other.Proof("POST", PublicHtu, token));

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPath.StatusCode);
        Assert.Contains("error=\"invalid_dpop_proof\"", wrongPath.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Contains("cnf.jkt", wrongKey.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task AnUnboundTokenAsBearer_IsUnchanged()
    {
        var token = DpopSandboxFactory.Token(jkt: null);

        using var response = await PostAsync("Bearer", token, proof: null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string scheme, string token, string? proof)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Consents)
        {
            Content = new StringContent("""{"Data":{"Permissions":["ReadAccountsBasic"]},"Risk":{}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        if (proof is not null)
        {
            request.Headers.Add(PlatformHeaders.Dpop, proof);
        }

        return await client.SendAsync(request, _ct);
    }
}
