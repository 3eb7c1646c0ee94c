using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

public sealed class ClientCredentialsTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Discovery_NamesTheIssuerAndTokenEndpoint()
    {
        using var client = factory.CreateClient();

        var discovery = await client.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration", _ct);

        Assert.Equal("http://localhost:5001/", discovery.GetProperty("issuer").GetString());
        Assert.EndsWith("/connect/token", discovery.GetProperty("token_endpoint").GetString());
    }

    [Fact]
    public async Task DemoWallet_WithItsSecret_GetsASignedFiveMinuteTokenForTheOpenBankingApi()
    {
        using var client = factory.CreateClient();

        using var response = await RequestTokenAsync(client, "demo-wallet", "demo-wallet-secret", "accounts");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        var token = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal(TimeSpan.FromMinutes(5), token.ValidTo - token.IssuedAt);
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 295, 300);
        Assert.Equal("at+jwt", token.Typ);
        Assert.Equal("http://localhost:5001/", token.Issuer);
        Assert.Contains(PlatformClaims.OpenBankingAudience, token.Audiences);
        Assert.Equal("demo-wallet", token.GetClaim("client_id").Value);
        Assert.Equal(DevelopmentSeed.DemoOrganisationId, token.GetClaim(PlatformClaims.OrganisationId).Value);
        Assert.Equal("accounts", token.GetClaim("scope").Value);
    }

    [Fact]
    public async Task Discovery_AdvertisesExactlyTheSupportedClientAuthentication()
    {
        using var client = factory.CreateClient();

        var discovery = await client.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration", _ct);

        var methods = discovery.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(m => m.GetString()).Order();
        Assert.Equal(["client_secret_basic", "private_key_jwt"], methods);
        Assert.DoesNotContain("password", discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()));
        Assert.DoesNotContain("implicit", discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()));
    }

    [Fact]
    public async Task SecretInTheRequestBody_IsRefused()
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "demo-wallet",
            ["client_secret"] = "demo-wallet-secret",
            ["scope"] = "accounts",
        }), _ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task ServiceClient_GetsAnInternalTokenForTheSandboxAudienceOnly()
    {
        using var client = factory.CreateClient();

        using var response = await RequestTokenAsync(client, "identity-service", "identity-service-dev-secret", PlatformScopes.SandboxInternal);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = new JsonWebToken((await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("access_token").GetString());
        Assert.Equal([PlatformClaims.SandboxAudience], token.Audiences);
        Assert.Equal(PlatformScopes.SandboxInternal, token.GetClaim("scope").Value);
    }

    [Fact]
    public async Task PartnerApp_CannotAskForAnInternalScope()
    {
        using var client = factory.CreateClient();

        using var response = await RequestTokenAsync(client, "demo-wallet", "demo-wallet-secret", PlatformScopes.SandboxInternal);

        // OpenIddict answers a known scope the client may not use with invalid_request (ID2051), an unknown one with
        // invalid_scope; either way no token.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
        Assert.False(body.TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task DemoWallet_WithAWrongSecret_IsRefused()
    {
        using var client = factory.CreateClient();

        using var response = await RequestTokenAsync(client, "demo-wallet", "not-the-secret", "accounts");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task UnknownScope_IsRefused()
    {
        using var client = factory.CreateClient();

        using var response = await RequestTokenAsync(client, "demo-wallet", "demo-wallet-secret", "admin");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal("invalid_scope", body.GetProperty("error").GetString());
    }

    private async Task<HttpResponseMessage> RequestTokenAsync(HttpClient client, string clientId, string secret, string scope)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["scope"] = scope,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        return await client.SendAsync(request, _ct);
    }
}
