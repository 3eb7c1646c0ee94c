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
/// Scheduled payments, standing orders, VRP and international payments in both versions, and the partner's sandbox
/// controls (the test clock, the FX desk's rates and contracts): each route demands the
/// token kind its operation needs (consents and reads a client-credentials token; submissions and VRP funds
/// confirmation a customer token). Only the gateway's decision is asserted — refused, or forwarded to the bank —
/// never what the bank answered, so these hold whatever the Sandbox serves behind them.
/// </summary>
public sealed class RecurringPaymentRoutesTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    /// <summary>Operations a client-credentials token with scope payments may call, per the YAMLs.</summary>
    public static TheoryData<string, string> ClientOperations()
    {
        var data = new TheoryData<string, string>();
        foreach (var version in new[] { "v3.1", "v4.0" })
        {
            var pisp = $"/open-banking/{version}/pisp";
            data.Add("POST", $"{pisp}/domestic-scheduled-payment-consents");
            data.Add("GET", $"{pisp}/domestic-scheduled-payment-consents/sdc-x");
            data.Add("GET", $"{pisp}/domestic-scheduled-payments/sdp-x");
            data.Add("GET", $"{pisp}/domestic-scheduled-payments/sdp-x/payment-details");
            data.Add("POST", $"{pisp}/domestic-standing-order-consents");
            data.Add("GET", $"{pisp}/domestic-standing-order-consents/soc-x");
            data.Add("GET", $"{pisp}/domestic-standing-orders/so-x");
            data.Add("GET", $"{pisp}/domestic-standing-orders/so-x/payment-details");
            data.Add("POST", $"{pisp}/domestic-vrp-consents");
            data.Add("GET", $"{pisp}/domestic-vrp-consents/vrc-x");
            data.Add("DELETE", $"{pisp}/domestic-vrp-consents/vrc-x");
            data.Add("GET", $"{pisp}/domestic-vrps/vrp-x");
            data.Add("GET", $"{pisp}/domestic-vrps/vrp-x/payment-details");
            data.Add("GET", $"{pisp}/domestic-payments/dp-x/payment-details");
            data.Add("POST", $"{pisp}/international-payment-consents");
            data.Add("GET", $"{pisp}/international-payment-consents/ipc-x");
            data.Add("GET", $"{pisp}/international-payments/ip-x");
            data.Add("GET", $"{pisp}/international-payments/ip-x/payment-details");
        }

        // v4.0 adds PUT and PATCH of a VRP consent (migration of a v3.1 consent).
        data.Add("PUT", "/open-banking/v4.0/pisp/domestic-vrp-consents/vrc-x");
        data.Add("PATCH", "/open-banking/v4.0/pisp/domestic-vrp-consents/vrc-x");
        return data;
    }

    /// <summary>Operations that act for the customer: a token from the authorization code grant.</summary>
    public static TheoryData<string, string> CustomerOperations()
    {
        var data = new TheoryData<string, string>();
        foreach (var version in new[] { "v3.1", "v4.0" })
        {
            var pisp = $"/open-banking/{version}/pisp";
            data.Add("POST", $"{pisp}/domestic-scheduled-payments");
            data.Add("POST", $"{pisp}/domestic-standing-orders");
            data.Add("POST", $"{pisp}/domestic-vrp-consents/vrc-x/funds-confirmation");
            data.Add("POST", $"{pisp}/domestic-vrps");
            data.Add("GET", $"{pisp}/international-payment-consents/ipc-x/funds-confirmation");
            data.Add("POST", $"{pisp}/international-payments");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ClientOperations))]
    public async Task ClientOperation_WithAPaymentsClientToken_IsForwardedToTheBank(string method, string path)
    {
        var token = await _wallet.ClientTokenAsync("payments");
        var interactionId = Guid.NewGuid().ToString();

        using var response = await SendAsync(method, path, token, interactionId);

        Assert.True(platform.Forwarded.ContainsKey(interactionId), $"{method} {path} was not forwarded: {(int)response.StatusCode}");
    }

    [Theory]
    [MemberData(nameof(ClientOperations))]
    public async Task ClientOperation_WithAnAccountsOnlyToken_Is403AndNotForwarded(string method, string path)
    {
        var token = await _wallet.ClientTokenAsync("accounts");
        var interactionId = Guid.NewGuid().ToString();

        using var response = await SendAsync(method, path, token, interactionId);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(platform.Forwarded.ContainsKey(interactionId));
    }

    [Theory]
    [MemberData(nameof(CustomerOperations))]
    public async Task CustomerOperation_WithAClientToken_Is403NamingTheCustomerToken(string method, string path)
    {
        var token = await _wallet.ClientTokenAsync("payments");
        var interactionId = Guid.NewGuid().ToString();

        using var response = await SendAsync(method, path, token, interactionId);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Contains("customer token", body.GetProperty("Errors")[0].GetProperty("Message").GetString());
        Assert.False(platform.Forwarded.ContainsKey(interactionId));
    }

    [Theory]
    [MemberData(nameof(CustomerOperations))]
    [InlineData("GET", "/open-banking/v4.0/pisp/domestic-vrps/vrp-x")]
    [InlineData("POST", "/open-banking/v3.1/pisp/domestic-standing-order-consents")]
    public async Task EveryNewRoute_WithoutAToken_Is401WithoutABody(string method, string path)
    {
        using var client = platform.Gateway.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json("{}") }, _ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(_ct));
    }

    [Fact]
    public async Task PaymentsCustomerToken_IsForwardedOnEverySubmission_AndRefusedOnEveryClientOperation()
    {
        var token = await CustomerTokenAsync();

        foreach (var row in CustomerOperations())
        {
            var (method, path) = row.Data;
            var interactionId = Guid.NewGuid().ToString();
            using var response = await SendAsync(method, path, token, interactionId);
            Assert.True(platform.Forwarded.ContainsKey(interactionId), $"{method} {path} was not forwarded: {(int)response.StatusCode}");
        }

        foreach (var row in ClientOperations())
        {
            var (method, path) = row.Data;
            var interactionId = Guid.NewGuid().ToString();
            using var response = await SendAsync(method, path, token, interactionId);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode}");
            Assert.False(platform.Forwarded.ContainsKey(interactionId), $"{method} {path} was forwarded");
        }
    }

    [Theory]
    [InlineData("PUT", "/open-banking/v3.1/pisp/domestic-vrp-consents/vrc-x")]
    [InlineData("PATCH", "/open-banking/v3.1/pisp/domestic-vrp-consents/vrc-x")]
    [InlineData("DELETE", "/open-banking/v4.0/pisp/domestic-vrps/vrp-x")]
    [InlineData("DELETE", "/open-banking/v3.1/pisp/domestic-scheduled-payments/sdp-x")]
    [InlineData("DELETE", "/open-banking/v4.0/pisp/international-payment-consents/ipc-x")]
    [InlineData("POST", "/open-banking/v3.1/pisp/international-payment-consents/ipc-x/funds-confirmation")]
    public async Task OperationsNeitherSpecDefines_Are404AndNotForwarded(string method, string path)
    {
        // v3.1.11 has no PUT/PATCH of a VRP consent (v4.0 added them for migration); payments are never deleted.
        var token = await _wallet.ClientTokenAsync("payments");
        var interactionId = Guid.NewGuid().ToString();

        using var response = await SendAsync(method, path, token, interactionId);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(platform.Forwarded.ContainsKey(interactionId), $"{method} {path} was forwarded");
    }

    [Fact]
    public async Task SandboxClock_ThroughTheGateway_ReadsAndMovesWithAClientToken()
    {
        var token = await _wallet.ClientTokenAsync("payments");
        using var client = platform.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var before = await client.GetFromJsonAsync<JsonElement>("/sandbox/v1/clock", _ct);
        using var moved = await client.PostAsync("/sandbox/v1/clock", Json("""{"Advance":"P1D"}"""), _ct);
        using var backwards = await client.PostAsync("/sandbox/v1/clock",
            Json($$"""{"Set":"{{DateTimeOffset.Parse(before.GetProperty("Now").GetString()!, System.Globalization.CultureInfo.InvariantCulture).AddDays(-2):yyyy-MM-ddTHH:mm:ssZ}}"}"""), _ct);

        var now = DateTimeOffset.Parse(before.GetProperty("Now").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(before.GetProperty("Frozen").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var after = await moved.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.True(DateTimeOffset.Parse(after.GetProperty("Now").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= now.AddDays(1));
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("never moves backwards", await backwards.Content.ReadAsStringAsync(_ct));
    }

    [Theory]
    [InlineData("GET", "/sandbox/v1/fx-rates")]
    [InlineData("GET", "/sandbox/v1/fx-contracts")]
    [InlineData("POST", "/sandbox/v1/fx-contracts")]
    [InlineData("GET", "/sandbox/v1/fx-contracts/fxc-x")]
    [InlineData("GET", "/sandbox/v1/fx-tariff")]
    [InlineData("PUT", "/sandbox/v1/fx-tariff")]
    [InlineData("DELETE", "/sandbox/v1/fx-tariff")]
    public async Task FxDesk_WithAClientToken_IsForwarded_AndWithACustomerToken_Is403(string method, string path)
    {
        var forwardedId = Guid.NewGuid().ToString();
        var refusedId = Guid.NewGuid().ToString();

        using var forwarded = await SendAsync(method, path, await _wallet.ClientTokenAsync("payments"), forwardedId);
        using var refused = await SendAsync(method, path, await CustomerTokenAsync(), refusedId);

        Assert.True(platform.Forwarded.ContainsKey(forwardedId), $"{method} {path} was not forwarded: {(int)forwarded.StatusCode}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(platform.Forwarded.ContainsKey(refusedId));
    }

    [Fact]
    public async Task SandboxClock_RefusesACustomerToken_AndNoToken_AndIsNotForwardedThen()
    {
        var token = await CustomerTokenAsync();
        var refusedId = Guid.NewGuid().ToString();
        var anonymousId = Guid.NewGuid().ToString();

        using var refused = await SendAsync("POST", "/sandbox/v1/clock", token, refusedId, """{"Advance":"P1D"}""");
        using var anonymous = await SendAsync("GET", "/sandbox/v1/clock", token: null, anonymousId);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.False(platform.Forwarded.ContainsKey(refusedId));
        Assert.False(platform.Forwarded.ContainsKey(anonymousId));
    }

    [Fact]
    public async Task CallLog_NamesTheNewOperationsAndTheClock_ByTheirTemplates()
    {
        var token = await _wallet.ClientTokenAsync("payments");
        var vrp = Guid.NewGuid().ToString();
        var clock = Guid.NewGuid().ToString();
        using (await SendAsync("GET", "/open-banking/v4.0/pisp/domestic-vrps/vrp-123/payment-details", token, vrp))
        using (await SendAsync("GET", "/sandbox/v1/clock", token, clock))
        {
        }

        await platform.Gateway.Services.GetRequiredService<CallLogWriter>().FlushAsync(_ct);
        using var portal = platform.Gateway.CreateClient();
        var identity = platform.Wallet("portal-service", "portal-service-dev-secret");
        portal.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await identity.ClientTokenAsync(PlatformScopes.GatewayCalls));

        Assert.Equal("/open-banking/v4.0/pisp/domestic-vrps/{DomesticVRPId}/payment-details", await TemplateOfAsync(portal, vrp));
        Assert.Equal("/sandbox/v1/clock", await TemplateOfAsync(portal, clock));
    }

    [Theory]
    [InlineData("/open-banking/v3.1/pisp/domestic-vrp-consents/vrc-1/funds-confirmation", "/open-banking/v3.1/pisp/domestic-vrp-consents/{ConsentId}/funds-confirmation")]
    [InlineData("/open-banking/v4.0/pisp/domestic-vrps/vrp-1", "/open-banking/v4.0/pisp/domestic-vrps/{DomesticVRPId}")]
    [InlineData("/open-banking/v3.1/pisp/domestic-scheduled-payments/sdp-1/payment-details", "/open-banking/v3.1/pisp/domestic-scheduled-payments/{DomesticScheduledPaymentId}/payment-details")]
    [InlineData("/open-banking/v4.0/pisp/domestic-standing-orders/so-1", "/open-banking/v4.0/pisp/domestic-standing-orders/{DomesticStandingOrderId}")]
    [InlineData("/open-banking/v4.0/pisp/domestic-standing-order-consents/soc-1", "/open-banking/v4.0/pisp/domestic-standing-order-consents/{ConsentId}")]
    [InlineData("/sandbox/v1/clock", "/sandbox/v1/clock")]
    [InlineData("/open-banking/v4.0/pisp/international-payments/ip-1/payment-details", "/open-banking/v4.0/pisp/international-payments/{InternationalPaymentId}/payment-details")]
    [InlineData("/open-banking/v3.1/pisp/international-payment-consents/ipc-1/funds-confirmation", "/open-banking/v3.1/pisp/international-payment-consents/{ConsentId}/funds-confirmation")]
    [InlineData("/sandbox/v1/fx-contracts/fxc-0123456789abcdef01234567", "/sandbox/v1/fx-contracts/{ContractIdentification}")]
    [InlineData("/sandbox/v1/fx-contracts", "/sandbox/v1/fx-contracts")]
    [InlineData("/sandbox/v1/fx-rates", "/sandbox/v1/fx-rates")]
    [InlineData("/sandbox/v1/customers", "/sandbox/v1/customers")]
    [InlineData("/sandbox/v1/customers/cus-0123456789", "/sandbox/v1/customers/{CustomerId}")]
    [InlineData("/sandboxes/v1/clock", null)]
    public void RouteTemplate_UsesTheSpecsPlaceholders(string path, string? template)
        => Assert.Equal(template, RouteTemplates.For(new PathString(path)));

    private async Task<string?> TemplateOfAsync(HttpClient portal, string interactionId)
    {
        var page = await portal.GetFromJsonAsync<JsonElement>(
            $"/internal/calls?organisationId={DevelopmentSeed.DemoOrganisationId}&interactionId={interactionId}", _ct);
        return Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("routeTemplate").GetString();
    }

    /// <summary>
    /// A customer token with scope payments. The gateway only looks at the token's kind and scope, so a domestic
    /// payment consent (which exists on main) stands in for the new kinds.
    /// </summary>
    private async Task<string> CustomerTokenAsync()
    {
        var consent = await _wallet.CreatePaymentConsentAsync("""
            {"InstructionIdentification":"ii-rec","EndToEndIdentification":"e2e-rec","InstructedAmount":{"Amount":"1.00","Currency":"GBP"},
            "CreditorAccount":{"SchemeName":"UK.OBIE.SortCodeAccountNumber","Identification":"20000012345678","Name":"Jane Smith"}}
            """);
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        return (await _wallet.AuthoriseConsentAsync(consentId, "openid payments")).GetProperty("access_token").GetString()!;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? token, string interactionId, string body = "{}")
    {
        using var client = platform.Gateway.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is not "GET" and not "DELETE")
        {
            request.Content = Json(body);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        request.Headers.TryAddWithoutValidation("x-fapi-interaction-id", interactionId);
        return await client.SendAsync(request, _ct);
    }
}
