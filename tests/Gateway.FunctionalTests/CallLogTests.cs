using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Gateway.CallLog;
using OpenBanking.Gateway.Infrastructure;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests;

/// <summary>The call log: every call recorded off the request path, readable by the Portal one organisation at a time.</summary>
public sealed class CallLogTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private const string Consents = "/open-banking/v3.1/aisp/account-access-consents";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task EveryCall_IsRecordedWithItsFields_AndReadableThroughTheQueryApi()
    {
        var token = await _wallet.ClientTokenAsync();
        var created = Guid.NewGuid().ToString();
        var refused = Guid.NewGuid().ToString();
        const string body = """{"Data":{"Permissions":["ReadAccountsBasic","ReadBalances"]},"Risk":{}}""";
        using (var response = await SendAsync(HttpMethod.Post, Consents, token, body, created))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        string errorCode;
        using (var response = await SendAsync(HttpMethod.Post, Consents, token, """{"Data":{"Permissions":[]},"Risk":{}}""", refused))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.False(response.Headers.Contains("x-obie-error-code"));
            errorCode = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Errors")[0].GetProperty("ErrorCode").GetString()!;
        }

        await FlushAsync();
        using var portal = await PortalAsync();

        var page = await portal.GetFromJsonAsync<JsonElement>($"/internal/calls?organisationId={DevelopmentSeed.DemoOrganisationId}&interactionId={created}", _ct);
        var call = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("demo-wallet", call.GetProperty("clientId").GetString());
        Assert.Equal("POST", call.GetProperty("method").GetString());
        Assert.Equal(Consents, call.GetProperty("routeTemplate").GetString());
        Assert.Equal(Consents, call.GetProperty("path").GetString());
        Assert.Equal(201, call.GetProperty("statusCode").GetInt32());
        Assert.True(call.GetProperty("durationMs").GetDouble() > 0);
        Assert.Equal(Encoding.UTF8.GetByteCount(body), call.GetProperty("requestBytes").GetInt64());
        Assert.True(call.GetProperty("responseBytes").GetInt64() > 100);
        Assert.False(call.TryGetProperty("errorCode", out var none) && none.ValueKind == JsonValueKind.String);

        var failed = await portal.GetFromJsonAsync<JsonElement>($"/internal/calls?organisationId={DevelopmentSeed.DemoOrganisationId}&interactionId={refused}", _ct);
        var refusal = Assert.Single(failed.GetProperty("items").EnumerateArray());
        Assert.Equal(400, refusal.GetProperty("statusCode").GetInt32());
        Assert.Equal(errorCode, refusal.GetProperty("errorCode").GetString());

        var errors = await portal.GetFromJsonAsync<JsonElement>($"/internal/calls?organisationId={DevelopmentSeed.DemoOrganisationId}&status=4xx&pageSize=200", _ct);
        Assert.All(errors.GetProperty("items").EnumerateArray(), c => Assert.InRange(c.GetProperty("statusCode").GetInt32(), 400, 499));

        var stats = await portal.GetFromJsonAsync<JsonElement>($"/internal/calls/stats?organisationId={DevelopmentSeed.DemoOrganisationId}&bucket=minute", _ct);
        Assert.True(stats.GetProperty("calls").GetInt32() >= 2);
        Assert.True(stats.GetProperty("errorRate").GetDouble() > 0);
        var endpoint = stats.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("routeTemplate").GetString() == Consents && e.GetProperty("method").GetString() == "POST");
        Assert.True(endpoint.GetProperty("p95Ms").GetDouble() >= endpoint.GetProperty("p50Ms").GetDouble());
        Assert.NotEmpty(stats.GetProperty("series").EnumerateArray());
    }

    [Fact]
    public async Task ACallWithoutAnAuthenticatedClient_IsCounted_NotStored()
    {
        var recorder = platform.Gateway.Services.GetRequiredService<CallRecorder>();
        var before = recorder.Anonymous;
        var interactionId = Guid.NewGuid().ToString();

        using (var response = await SendAsync(HttpMethod.Post, Consents, "not-a-jwt", """{"Data":{"Permissions":["ReadBalances"]},"Risk":{}}""", interactionId))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await FlushAsync();

        Assert.True(recorder.Anonymous > before);
        await using var scope = platform.Gateway.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        Assert.False(await db.ApiCalls.AnyAsync(c => c.InteractionId == interactionId, _ct));
    }

    [Fact]
    public async Task OneOrganisation_NeverSeesAnothersCalls()
    {
        using var portal = await PortalAsync();
        var other = await RegisterAppAsync("org-b-" + Guid.NewGuid().ToString("N")[..8]);
        var otherInteraction = Guid.NewGuid().ToString();
        var demoInteraction = Guid.NewGuid().ToString();
        using (await SendAsync(HttpMethod.Post, Consents, await other.Wallet.ClientTokenAsync(), """{"Data":{"Permissions":["ReadBalances"]},"Risk":{}}""", otherInteraction))
        using (await SendAsync(HttpMethod.Post, Consents, await _wallet.ClientTokenAsync(), """{"Data":{"Permissions":["ReadBalances"]},"Risk":{}}""", demoInteraction))
        {
        }

        await FlushAsync();

        var demo = await portal.GetFromJsonAsync<JsonElement>($"/internal/calls?organisationId={DevelopmentSeed.DemoOrganisationId}&pageSize=200", _ct);
        var theirs = await portal.GetFromJsonAsync<JsonElement>($"/internal/calls?organisationId={other.OrganisationId}&pageSize=200", _ct);
        Assert.DoesNotContain(demo.GetProperty("items").EnumerateArray(), c => c.GetProperty("interactionId").GetString() == otherInteraction);
        Assert.Contains(demo.GetProperty("items").EnumerateArray(), c => c.GetProperty("interactionId").GetString() == demoInteraction);
        var only = Assert.Single(theirs.GetProperty("items").EnumerateArray());
        Assert.Equal(otherInteraction, only.GetProperty("interactionId").GetString());

        using var unscoped = await portal.GetAsync("/internal/calls", _ct);
        Assert.Equal(HttpStatusCode.BadRequest, unscoped.StatusCode);
        Assert.Contains("organisationId", await unscoped.Content.ReadAsStringAsync(_ct));
    }

    [Fact]
    public async Task QueryApi_RefusesBankApiTokens()
    {
        using var client = platform.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _wallet.ClientTokenAsync());

        using var response = await client.GetAsync($"/internal/calls?organisationId={DevelopmentSeed.DemoOrganisationId}", _ct);
        using var anonymous = await platform.Gateway.CreateClient().GetAsync($"/internal/calls?organisationId={DevelopmentSeed.DemoOrganisationId}", _ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task StoppedBank_Is503InTheObieShape_WithoutHanging()
    {
        var token = await _wallet.ClientTokenAsync();
        using var client = platform.StoppedBankGateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await client.PostAsync(Consents,
            new StringContent("""{"Data":{"Permissions":["ReadBalances"]},"Risk":{}}""", Encoding.UTF8, "application/json"), _ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal("UK.OBIE.UnexpectedError", body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
        Assert.True(response.Headers.Contains("x-fapi-interaction-id"));
    }

    private async Task FlushAsync() => await platform.Gateway.Services.GetRequiredService<CallLogWriter>().FlushAsync(_ct);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, string body, string interactionId)
    {
        using var client = platform.Gateway.CreateClient();
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("x-fapi-interaction-id", interactionId);
        return await client.SendAsync(request, _ct);
    }

    /// <summary>The Portal's client of the call log: a real portal-service token with scope gateway.calls.</summary>
    private async Task<HttpClient> PortalAsync(string scope = PlatformScopes.GatewayCalls)
    {
        var identity = platform.Wallet("portal-service", "portal-service-dev-secret");
        var client = platform.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await identity.ClientTokenAsync(scope));
        return client;
    }

    private async Task<(string OrganisationId, Wallet Wallet)> RegisterAppAsync(string organisationId)
    {
        var portalIdentity = platform.Wallet("portal-service", "portal-service-dev-secret");
        using var identity = platform.Identity.CreateClient();
        identity.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await portalIdentity.ClientTokenAsync(PlatformScopes.IdentityClients));
        using var created = await identity.PostAsJsonAsync("/internal/clients", new
        {
            name = "Other Wallet",
            organisationId,
            organisationName = "Other Wallet Ltd",
            redirectUris = new[] { "https://other.example/callback" },
            scopes = new[] { "accounts" },
            authMethod = "client_secret_basic",
        }, _ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var app = await created.Content.ReadFromJsonAsync<JsonElement>(_ct);
        return (organisationId, platform.Wallet(app.GetProperty("clientId").GetString()!, app.GetProperty("clientSecret").GetString()!));
    }
}
