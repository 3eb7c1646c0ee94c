using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Gateway.CallLog;
using OpenBanking.Gateway.OpenBanking;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests;

/// <summary>
/// The Events API through the gateway — subscriptions and aggregated polling in both versions — with an app's
/// client-credentials token of any bank scope, never a customer's; and the bank's public signing keys at
/// <c>/.well-known/jwks.json</c> for anyone, without a token, as the Sandbox publishes them.
/// </summary>
public sealed class EventRoutesTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    public static TheoryData<string, string> Operations()
    {
        var data = new TheoryData<string, string>();
        foreach (var version in new[] { "v3.1", "v4.0" })
        {
            var ob = $"/open-banking/{version}";
            data.Add("POST", $"{ob}/event-subscriptions");
            data.Add("GET", $"{ob}/event-subscriptions");
            data.Add("PUT", $"{ob}/event-subscriptions/es-x");
            data.Add("DELETE", $"{ob}/event-subscriptions/es-x");
            data.Add("POST", $"{ob}/events");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task EveryOperation_WithAClientTokenOfAnyBankScope_IsForwardedToTheBank(string method, string path)
    {
        foreach (var scope in new[] { "accounts", "payments", "fundsconfirmations" })
        {
            var token = await _wallet.ClientTokenAsync(scope);
            var interactionId = Guid.NewGuid().ToString();

            using var response = await SendAsync(method, path, token, interactionId, """{"returnImmediately":true}""");

            Assert.True(platform.Forwarded.ContainsKey(interactionId), $"{method} {path} with {scope} was not forwarded: {(int)response.StatusCode}");
        }
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task EveryOperation_WithoutAToken_Is401_AndWithACustomerToken_Is403_NeitherForwarded(string method, string path)
    {
        var customer = await CustomerTokenAsync();
        var anonymousId = Guid.NewGuid().ToString();
        var customerId = Guid.NewGuid().ToString();

        using var anonymous = await SendAsync(method, path, token: null, anonymousId);
        using var refused = await SendAsync(method, path, customer, customerId);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(platform.Forwarded.ContainsKey(anonymousId));
        Assert.False(platform.Forwarded.ContainsKey(customerId));
    }

    [Theory]
    [InlineData("PATCH", "/open-banking/v3.1/event-subscriptions/es-x")]
    [InlineData("GET", "/open-banking/v4.0/event-subscriptions/es-x")]
    [InlineData("GET", "/open-banking/v3.1/events")]
    public async Task OperationsTheSpecDoesNotDefine_Are404AndNotForwarded(string method, string path)
    {
        var token = await _wallet.ClientTokenAsync("accounts");
        var interactionId = Guid.NewGuid().ToString();

        using var response = await SendAsync(method, path, token, interactionId);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(platform.Forwarded.ContainsKey(interactionId), $"{method} {path} was forwarded");
    }

    [Fact]
    public async Task SubscribeAndPoll_ThroughTheGateway_AndTheCallLogNamesTheTemplates()
    {
        var token = await _wallet.ClientTokenAsync("payments");
        var subscribeId = Guid.NewGuid().ToString();
        var pollId = Guid.NewGuid().ToString();
        var deleteId = Guid.NewGuid().ToString();

        using var created = await SendAsync("POST", "/open-banking/v4.0/event-subscriptions", token, subscribeId, """{"Data":{"Version":"4.0"}}""");
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Data").GetProperty("EventSubscriptionId").GetString()!;
        using var polled = await SendAsync("POST", "/open-banking/v3.1/events", token, pollId, """{"returnImmediately":true}""");
        using var deleted = await SendAsync("DELETE", $"/open-banking/v4.0/event-subscriptions/{id}", token, deleteId);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith("http://localhost:5002/open-banking/v4.0/event-subscriptions/", created.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, polled.StatusCode);
        Assert.Equal("""{"sets":{},"moreAvailable":false}""", await polled.Content.ReadAsStringAsync(_ct));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await platform.Gateway.Services.GetRequiredService<CallLogWriter>().FlushAsync(_ct);
        using var portal = platform.Gateway.CreateClient();
        portal.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await platform.Wallet("portal-service", "portal-service-dev-secret").ClientTokenAsync(PlatformScopes.GatewayCalls));
        Assert.Equal("/open-banking/v4.0/event-subscriptions", await TemplateOfAsync(portal, subscribeId));
        Assert.Equal("/open-banking/v3.1/events", await TemplateOfAsync(portal, pollId));
        Assert.Equal("/open-banking/v4.0/event-subscriptions/{EventSubscriptionId}", await TemplateOfAsync(portal, deleteId));
    }

    [Fact]
    public async Task ALongPoll_OutlastsTheBanksUsualTimeout_AndEndsEmpty()
    {
        // The Sandbox waits Events:LongPollTimeout (10 s) for an event; the usual cluster gives up on a silent bank
        // after 10 s, so polling has a cluster of its own with a longer one.
        var token = await _wallet.ClientTokenAsync("accounts");

        using var response = await SendAsync("POST", "/open-banking/v4.0/events", token, Guid.NewGuid().ToString(), """{"maxEvents":1}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"sets":{},"moreAvailable":false}""", await response.Content.ReadAsStringAsync(_ct));
    }

    [Fact]
    public async Task Jwks_IsPublishedToAnyone_WithTheBanksCacheControl_AndLeavesNoCallLogTrace()
    {
        var recorder = platform.Gateway.Services.GetRequiredService<CallRecorder>();
        var (recorded, anonymous) = (recorder.Recorded, recorder.Anonymous);
        using var client = platform.Gateway.CreateClient();

        using var response = await client.GetAsync("/.well-known/jwks.json", _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jwk-set+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.NotNull(response.Headers.CacheControl?.MaxAge);
        var key = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("keys").EnumerateArray());
        Assert.Equal(("RSA", "sig"), (key.GetProperty("kty").GetString(), key.GetProperty("use").GetString()));
        Assert.False(key.TryGetProperty("d", out _));
        Assert.Equal((recorded, anonymous), (recorder.Recorded, recorder.Anonymous));
    }

    [Theory]
    [InlineData("/open-banking/v3.1/event-subscriptions", "/open-banking/v3.1/event-subscriptions")]
    [InlineData("/open-banking/v4.0/event-subscriptions/es-0123456789abcdef0123", "/open-banking/v4.0/event-subscriptions/{EventSubscriptionId}")]
    [InlineData("/open-banking/v3.1/events", "/open-banking/v3.1/events")]
    [InlineData("/open-banking/v3.1/aisp/accounts/acc-1", "/open-banking/v3.1/aisp/accounts/{AccountId}")]
    public void RouteTemplate_OfTheEventsApi_HasNoApiSegment(string path, string template)
        => Assert.Equal(template, RouteTemplates.For(new PathString(path)));

    private async Task<string?> TemplateOfAsync(HttpClient portal, string interactionId)
    {
        var page = await portal.GetFromJsonAsync<JsonElement>(
            $"/internal/calls?organisationId={DevelopmentSeed.DemoOrganisationId}&interactionId={interactionId}", _ct);
        return Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("routeTemplate").GetString();
    }

    /// <summary>A customer token: the gateway looks only at its kind, so a domestic payment consent stands in.</summary>
    private async Task<string> CustomerTokenAsync()
    {
        var consent = await _wallet.CreatePaymentConsentAsync("""
            {"InstructionIdentification":"ii-ev","EndToEndIdentification":"e2e-ev","InstructedAmount":{"Amount":"1.00","Currency":"GBP"},
            "CreditorAccount":{"SchemeName":"UK.OBIE.SortCodeAccountNumber","Identification":"20000012345678","Name":"Jane Smith"}}
            """);
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        return (await _wallet.AuthoriseConsentAsync(consentId, "openid payments")).GetProperty("access_token").GetString()!;
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? token, string interactionId, string body = "{}")
    {
        using var client = platform.Gateway.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is not "GET" and not "DELETE")
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        request.Headers.TryAddWithoutValidation("x-fapi-interaction-id", interactionId);
        return await client.SendAsync(request, _ct);
    }
}
