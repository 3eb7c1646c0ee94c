using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Gateway.CallLog;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests;

/// <summary>
/// Faults on request (<c>x-sandbox-simulate</c>), answered by the gateway and never forwarded, and refusal reasons: the
/// gateway's own and the bank's (internal headers logged, then stripped before the client).
/// </summary>
public sealed class SimulatedFaultTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private const string AccountConsents = "/open-banking/v3.1/aisp/account-access-consents";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task RateLimit_Answers429WithRetryAfter2_AndTheRateLimitsBody_WithoutReachingTheBank()
    {
        var interactionId = Guid.NewGuid().ToString();
        using var response = await SendAsync(HttpMethod.Get, AccountConsents + "/aac-none", await _wallet.ClientTokenAsync(), "rate-limit", interactionId);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal("429 TooManyRequests", body.GetProperty("Code").GetString());
        Assert.Equal("UK.OBIE.UnexpectedError", body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
        Assert.Equal("Too many requests. Retry after 2 seconds.", body.GetProperty("Errors")[0].GetProperty("Message").GetString());
        Assert.False(platform.Forwarded.ContainsKey(interactionId));

        var call = await LoggedAsync(DevelopmentSeed.DemoOrganisationId, interactionId);
        Assert.Equal("simulated.rate-limit", call.Call.GetProperty("refusalRule").GetString());
        Assert.Equal(2, call.Call.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Contains("x-sandbox-simulate", call.Detail.GetProperty("refusalReason").GetString());
    }

    [Fact]
    public async Task RateLimit_OnV4_HasTheV4ErrorShape()
    {
        using var response = await SendAsync(HttpMethod.Get, "/open-banking/v4.0/aisp/account-access-consents/aac-none",
            await _wallet.ClientTokenAsync(), "rate-limit", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.False(body.TryGetProperty("Code", out _));
        Assert.Equal("U000", body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
    }

    [Fact]
    public async Task ServerError_Answers500_AndUnavailable503WithRetryAfter_BothLogged()
    {
        var token = await _wallet.ClientTokenAsync();
        var failed = Guid.NewGuid().ToString();
        using (var response = await SendAsync(HttpMethod.Get, AccountConsents + "/aac-none", token, "server-error", failed))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
            Assert.Equal("UK.OBIE.UnexpectedError", body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
        }

        var unavailable = Guid.NewGuid().ToString();
        using (var response = await SendAsync(HttpMethod.Get, AccountConsents + "/aac-none", token, "unavailable", unavailable))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        }

        Assert.False(platform.Forwarded.ContainsKey(failed));
        Assert.False(platform.Forwarded.ContainsKey(unavailable));
        Assert.Equal("simulated.server-error", (await LoggedAsync(DevelopmentSeed.DemoOrganisationId, failed)).Call.GetProperty("refusalRule").GetString());
        var logged = await LoggedAsync(DevelopmentSeed.DemoOrganisationId, unavailable);
        Assert.Equal("simulated.unavailable", logged.Call.GetProperty("refusalRule").GetString());
        Assert.Equal(503, logged.Call.GetProperty("statusCode").GetInt32());
        Assert.Equal(2, logged.Call.GetProperty("retryAfterSeconds").GetInt32());
    }

    [Fact]
    public async Task AnUnknownFault_Is400_NamingTheAllowedValues()
    {
        var interactionId = Guid.NewGuid().ToString();
        using var response = await SendAsync(HttpMethod.Get, AccountConsents + "/aac-none", await _wallet.ClientTokenAsync(), "meteor-strike", interactionId);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Errors")[0];
        Assert.Equal("UK.OBIE.Header.Invalid", error.GetProperty("ErrorCode").GetString());
        Assert.Equal("x-sandbox-simulate is one of rate-limit, server-error, unavailable (sent \"meteor-strike\").", error.GetProperty("Message").GetString());
        Assert.Equal("request.refused", (await LoggedAsync(DevelopmentSeed.DemoOrganisationId, interactionId)).Call.GetProperty("refusalRule").GetString());
    }

    [Fact]
    public async Task AFault_OnTheSandboxControls_IsAProblemDetails()
    {
        using var response = await SendAsync(HttpMethod.Get, "/sandbox/v1/clock", await _wallet.ClientTokenAsync(), "server-error", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task WithoutAToken_TheFaultIsNotSimulated_The401Stands()
    {
        using var client = platform.Gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, AccountConsents + "/aac-none");
        request.Headers.Add(PlatformHeaders.SandboxSimulate, "server-error");
        using var response = await client.SendAsync(request, _ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TheBanksRefusalReason_IsLogged_AndStrippedBeforeTheClient()
    {
        var interactionId = Guid.NewGuid().ToString();
        using var client = platform.Gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, AccountConsents + "/aac-unknown");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _wallet.ClientTokenAsync());
        request.Headers.Add("x-fapi-interaction-id", interactionId);
        request.Headers.Add(GatewayPlatform.BankRefusalHeader, "consent.revoked|Consent aac-unknown was revoked by the customer; ask for a new consent.");
        using var response = await client.SendAsync(request, _ct);

        Assert.False(response.Headers.Contains(PlatformHeaders.RefusalRule));
        Assert.False(response.Headers.Contains(PlatformHeaders.RefusalReason));
        var logged = await LoggedAsync(DevelopmentSeed.DemoOrganisationId, interactionId);
        Assert.Equal("consent.revoked", logged.Call.GetProperty("refusalRule").GetString());
        Assert.Equal("Consent aac-unknown was revoked by the customer; ask for a new consent.", logged.Detail.GetProperty("refusalReason").GetString());
        Assert.Equal("aac-unknown", logged.Call.GetProperty("consentId").GetString());
    }

    [Fact]
    public async Task TheRealBanksRefusal_OfAnUnknownConsent_IsLoggedWithItsRuleAndReason_AndStripped()
    {
        var interactionId = Guid.NewGuid().ToString();
        using var client = platform.Gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, AccountConsents + "/aac-nobody-made-this");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _wallet.ClientTokenAsync());
        request.Headers.Add("x-fapi-interaction-id", interactionId);
        using var response = await client.SendAsync(request, _ct);

        Assert.False(response.IsSuccessStatusCode);
        Assert.False(response.Headers.Contains(PlatformHeaders.RefusalRule));
        Assert.False(response.Headers.Contains(PlatformHeaders.RefusalReason));
        var logged = await LoggedAsync(DevelopmentSeed.DemoOrganisationId, interactionId);
        Assert.StartsWith(RefusalRules.BankRequestPrefix, logged.Call.GetProperty("refusalRule").GetString());
        Assert.False(string.IsNullOrWhiteSpace(logged.Detail.GetProperty("refusalReason").GetString()));
    }

    [Fact]
    public async Task AMissingScope_IsLoggedWithItsRuleAndReason()
    {
        var interactionId = Guid.NewGuid().ToString();
        // An accounts token on the payments API.
        using var response = await SendAsync(HttpMethod.Get, "/open-banking/v3.1/pisp/domestic-payment-consents/pdc-x", await _wallet.ClientTokenAsync(), null, interactionId);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var logged = await LoggedAsync(DevelopmentSeed.DemoOrganisationId, interactionId);
        Assert.Equal(RefusalRules.ScopeMissing, logged.Call.GetProperty("refusalRule").GetString());
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Errors")[0].GetProperty("Message").GetString();
        Assert.Equal(message, logged.Detail.GetProperty("refusalReason").GetString());
    }

    private async Task<(JsonElement Call, JsonElement Detail)> LoggedAsync(string organisationId, string interactionId)
    {
        await platform.Gateway.Services.GetRequiredService<CallLogWriter>().FlushAsync(_ct);
        using var portal = platform.Gateway.CreateClient();
        var identity = platform.Wallet("portal-service", "portal-service-dev-secret");
        portal.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await identity.ClientTokenAsync(PlatformScopes.GatewayCalls));
        var page = await portal.GetFromJsonAsync<JsonElement>($"/internal/calls?organisationId={organisationId}&interactionId={interactionId}", _ct);
        var call = Assert.Single(page.GetProperty("items").EnumerateArray()).Clone();
        var detail = await portal.GetFromJsonAsync<JsonElement>($"/internal/calls/{call.GetProperty("id").GetInt64()}?organisationId={organisationId}", _ct);
        return (call, detail);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, string? fault, string interactionId)
    {
        using var client = platform.Gateway.CreateClient();
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("x-fapi-interaction-id", interactionId);
        if (fault is not null)
        {
            request.Headers.Add(PlatformHeaders.SandboxSimulate, fault);
        }

        return await client.SendAsync(request, _ct);
    }
}
