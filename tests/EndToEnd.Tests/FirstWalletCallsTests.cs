using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>The first calls a wallet developer makes, over real HTTP between the real services.</summary>
public sealed class FirstWalletCallsTests(PlatformFixture platform)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task IdentityServiceClient_WithARealInternalToken_ReadsTheDemoTenantsTestCustomers()
    {
        using var identity = new HttpClient { BaseAddress = platform.EndpointOf("identity") };
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "sandbox.internal" }),
        };
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("identity-service:identity-service-dev-secret")));
        using var tokenResponse = await identity.SendAsync(tokenRequest, _ct);
        var accessToken = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("access_token").GetString();

        using var sandbox = new HttpClient { BaseAddress = platform.EndpointOf("sandbox") };
        sandbox.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var customers = await sandbox.GetFromJsonAsync<JsonElement[]>($"/internal/tenants/{OpenBanking.Shared.DevelopmentSeed.DemoOrganisationId}/customers", _ct);

        Assert.Contains(customers!, c => c.GetProperty("Username").GetString() == "alice");
    }

    [Fact]
    public async Task DemoWallet_GetsATokenFromIdentity_AndCreatesAConsentThroughTheGateway()
    {
        using var identity = new HttpClient { BaseAddress = platform.EndpointOf("identity") };
        var discovery = await identity.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration", _ct);
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["scope"] = "accounts",
            }),
        };
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo-wallet:demo-wallet-secret")));
        using var tokenResponse = await identity.SendAsync(tokenRequest, _ct);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var accessToken = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("access_token").GetString();

        using var gateway = new HttpClient { BaseAddress = platform.EndpointOf("gateway") };
        gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        gateway.DefaultRequestHeaders.Add("x-fapi-interaction-id", "0b3b2d5e-0000-4000-8000-000000000001");
        using var consent = await gateway.PostAsync(
            "/open-banking/v3.1/aisp/account-access-consents",
            new StringContent("""{"Data":{"Permissions":["ReadAccountsBasic","ReadBalances"]},"Risk":{}}""", Encoding.UTF8, "application/json"),
            _ct);

        Assert.Equal("http://localhost:5001/", discovery.GetProperty("issuer").GetString());
        Assert.Equal(HttpStatusCode.Created, consent.StatusCode);
        Assert.Equal("0b3b2d5e-0000-4000-8000-000000000001", consent.Headers.GetValues("x-fapi-interaction-id").Single());
        var data = (await consent.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Data");
        Assert.Equal("AwaitingAuthorisation", data.GetProperty("Status").GetString());
    }
}
