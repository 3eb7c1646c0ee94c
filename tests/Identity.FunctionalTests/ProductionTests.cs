using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>What Identity refuses outside Development that Development allows for convenience.</summary>
public sealed class ProductionTests(ProductionIdentityFactory factory) : IClassFixture<ProductionIdentityFactory>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("http://localhost:5005/callback")]
    [InlineData("http://127.0.0.1:5005/callback")]
    [InlineData("http://wallet.example/callback")]
    public async Task RegisterApp_WithAnHttpRedirectUri_OutsideDevelopment_Is400(string redirectUri)
    {
        using var portal = await PortalClientAsync();

        using var response = await portal.PostAsJsonAsync("/internal/clients", NewApp(redirectUri), _ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("errors");
        Assert.Equal(["redirectUris[0]"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains("https", errors.GetProperty("redirectUris[0]")[0].GetString());
    }

    [Fact]
    public async Task RegisterApp_WithAnHttpsRedirectUri_OutsideDevelopment_Is201()
    {
        using var portal = await PortalClientAsync();

        using var response = await portal.PostAsJsonAsync("/internal/clients", NewApp("https://wallet.example/callback"), _ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static object NewApp(string redirectUri) => new
    {
        name = "Production Wallet",
        organisationId = "org-production-tests",
        organisationName = "Production Wallet Ltd",
        redirectUris = new[] { redirectUri },
        scopes = new[] { "openid", "accounts" },
        authMethod = "client_secret_basic",
    };

    private async Task<HttpClient> PortalClientAsync()
    {
        var client = factory.CreateClient();
        var wallet = new Wallet(() => client, () => client, "portal-service", ProductionIdentityFactory.PortalServiceSecret);
        using var tokens = wallet.Identity();
        var (status, body) = await wallet.PostAsync(tokens, "/connect/token",
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "identity.clients" });
        Assert.Equal(HttpStatusCode.OK, status);
        var portal = factory.CreateClient();
        portal.DefaultRequestHeaders.Authorization = new("Bearer", body.GetProperty("access_token").GetString());
        return portal;
    }
}
