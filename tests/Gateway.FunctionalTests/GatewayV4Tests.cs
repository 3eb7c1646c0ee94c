using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Gateway.CallLog;
using OpenBanking.Gateway.OpenBanking;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests;

/// <summary>
/// The v4.0 routes: the same token-kind, scope and rate-limit decisions as v3.1, the gateway's own refusals in the
/// v4.0 error shape (validated against the v4.0 YAML), unrouted v4.0 paths, and the version in the call log. Only the
/// gateway's decisions are asserted: whether it refused a call, or forwarded it — never what the bank answered.
/// </summary>
public sealed class GatewayV4Tests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private const string V4 = "/open-banking/v4.0";
    private const string V3 = "/open-banking/v3.1";
    private const string ConsentBody = """{"Data":{"Permissions":["ReadAccountsBasic","ReadBalances"]},"Risk":{}}""";
    private static readonly OpenApiContract Ais = OpenApiContract.Load("obie-v4.0/account-info-openapi.yaml");
    private static readonly OpenApiContract Pis = OpenApiContract.Load("obie-v4.0/payment-initiation-openapi.yaml");

    // The vendored v4.0 CBPII YAML repeats a key (x-fapi-auth-date's pattern) and does not load; its OBErrorResponse1
    // is the same structure as the others' (a four-character ErrorCode, only Errors required), so CBPII refusals are
    // validated against the payment-initiation one.
    private static readonly OpenApiContract Cof = Pis;

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    public static TheoryData<string, string> Routes => new()
    {
        { "GET", $"{V4}/aisp/accounts" },
        { "GET", $"{V4}/aisp/accounts/x/transactions" },
        { "POST", $"{V4}/aisp/account-access-consents" },
        { "GET", $"{V4}/aisp/account-access-consents/x" },
        { "POST", $"{V4}/pisp/domestic-payment-consents" },
        { "GET", $"{V4}/pisp/domestic-payment-consents/x/funds-confirmation" },
        { "POST", $"{V4}/pisp/domestic-payments" },
        { "GET", $"{V4}/pisp/domestic-payments/x" },
        { "POST", $"{V4}/cbpii/funds-confirmation-consents" },
        { "POST", $"{V4}/cbpii/funds-confirmations" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task EveryV4Route_WithoutAToken_Is401WithAChallengeAndNoBody(string method, string path)
    {
        using var client = platform.Gateway.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json("{}") }, _ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(_ct));
        Assert.True(Guid.TryParse(response.Headers.GetValues("x-fapi-interaction-id").Single(), out _));
    }

    [Fact]
    public async Task ClientToken_OnV4AccountData_Is403InTheV4Shape()
    {
        var token = await _wallet.ClientTokenAsync();

        using var response = await SendAsync("GET", $"{V4}/aisp/accounts", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Ais.AssertResponse("/accounts", "GET", 403, body);
        AssertV4Error(body, "U006");
        Assert.Contains("customer token", body.GetProperty("Errors")[0].GetProperty("Message").GetString());
        Assert.Equal("Authorization", body.GetProperty("Errors")[0].GetProperty("Path").GetString());
        Assert.False(body.TryGetProperty("Id", out _));
    }

    [Fact]
    public async Task CustomerToken_OnV4ClientEndpoints_Is403_AndOnV4AccountData_IsForwardedWithItsConsent()
    {
        var (consentId, tokens) = await _wallet.AuthorisedTokensAsync();
        var token = tokens.GetProperty("access_token").GetString()!;
        var forwarded = Guid.NewGuid().ToString();

        using var consent = await SendAsync("POST", $"{V4}/aisp/account-access-consents", token, ConsentBody);
        using var read = await SendAsync("GET", $"{V4}/aisp/account-access-consents/{consentId}", token);
        using var accounts = await SendAsync("GET", $"{V4}/aisp/accounts", token, interactionId: forwarded);

        Assert.Equal(HttpStatusCode.Forbidden, consent.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        var body = await consent.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Ais.AssertResponse("/account-access-consents", "POST", 403, body);
        AssertV4Error(body, "U006");
        Assert.Contains("client-credentials", body.GetProperty("Errors")[0].GetProperty("Message").GetString());
        // A v3.1 account-access consent may be used through v4.0 (the Sandbox decides); the gateway passes it on.
        Assert.Equal(consentId, platform.Forwarded[forwarded].GetValues("x-ob-consent-id").Single());
    }

    [Fact]
    public async Task PaymentsCustomerToken_IsRefusedOnV4PaymentClientEndpoints_AndForwardedOnSubmission()
    {
        var consent = await _wallet.CreatePaymentConsentAsync("""
            {"InstructionIdentification":"ii-v4","EndToEndIdentification":"e2e-v4","InstructedAmount":{"Amount":"1.00","Currency":"GBP"},
            "CreditorAccount":{"SchemeName":"UK.OBIE.SortCodeAccountNumber","Identification":"20000012345678","Name":"Jane Smith"}}
            """);
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        var token = (await _wallet.AuthoriseConsentAsync(consentId, "openid payments")).GetProperty("access_token").GetString()!;
        var submitted = Guid.NewGuid().ToString();
        var funds = Guid.NewGuid().ToString();

        using var create = await SendAsync("POST", $"{V4}/pisp/domestic-payment-consents", token, "{}");
        using var status = await SendAsync("GET", $"{V4}/pisp/domestic-payments/x", token);
        using var submit = await SendAsync("POST", $"{V4}/pisp/domestic-payments", token, "{}", submitted);
        using var check = await SendAsync("GET", $"{V4}/pisp/domestic-payment-consents/{consentId}/funds-confirmation", token, interactionId: funds);

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, status.StatusCode);
        var body = await status.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Pis.AssertResponse("/domestic-payments/{DomesticPaymentId}", "GET", 403, body);
        AssertV4Error(body, "U006");
        Assert.True(platform.Forwarded.ContainsKey(submitted));
        Assert.True(platform.Forwarded.ContainsKey(funds));
    }

    [Theory]
    [InlineData("POST", "/pisp/domestic-payments", "payments")]
    [InlineData("GET", "/pisp/domestic-payment-consents/x/funds-confirmation", "payments")]
    [InlineData("POST", "/cbpii/funds-confirmations", "fundsconfirmations")]
    [InlineData("GET", "/aisp/balances", "accounts")]
    public async Task V4CustomerOnlyEndpoints_RefuseAClientToken(string method, string path, string scope)
    {
        var token = await _wallet.ClientTokenAsync(scope);

        using var response = await SendAsync(method, V4 + path, token, "{}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        AssertV4Error(body, "U006");
        Assert.Contains("customer token", body.GetProperty("Errors")[0].GetProperty("Message").GetString());
    }

    [Theory]
    [InlineData("POST", "/pisp/domestic-payment-consents", "accounts", "/domestic-payment-consents")]
    [InlineData("GET", "/pisp/domestic-payments/x", "accounts", "/domestic-payments/{DomesticPaymentId}")]
    [InlineData("POST", "/cbpii/funds-confirmation-consents", "payments", "/funds-confirmation-consents")]
    [InlineData("POST", "/aisp/account-access-consents", "payments fundsconfirmations", "/account-access-consents")]
    public async Task V4TokenWithoutTheApisScope_Is403WithAV4Body(string method, string path, string scope, string specPath)
    {
        var token = await _wallet.ClientTokenAsync(scope);

        using var response = await SendAsync(method, V4 + path, token, "{}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        if (path.StartsWith("/cbpii", StringComparison.Ordinal))
        {
            AssertValid(Cof, body);
        }
        else
        {
            (path.StartsWith("/aisp", StringComparison.Ordinal) ? Ais : Pis).AssertResponse(specPath, method, 403, body);
        }

        AssertV4Error(body, "U006");
    }

    [Theory]
    [InlineData("POST", "/aisp/account-access-consents", "accounts")]
    [InlineData("GET", "/aisp/account-access-consents/x", "accounts")]
    [InlineData("POST", "/pisp/domestic-payment-consents", "payments")]
    [InlineData("GET", "/pisp/domestic-payment-consents/x", "payments")]
    [InlineData("GET", "/pisp/domestic-payments/x", "payments")]
    [InlineData("POST", "/cbpii/funds-confirmation-consents", "fundsconfirmations")]
    public async Task V4ClientEndpoints_ForwardAClientTokenToTheBank(string method, string path, string scope)
    {
        var token = await _wallet.ClientTokenAsync(scope);
        var interactionId = Guid.NewGuid().ToString();

        using var response = await SendAsync(method, V4 + path, token, "{}", interactionId);

        // Past the gateway's policy: the call reached the bank, whatever the bank answers.
        Assert.True(platform.Forwarded.ContainsKey(interactionId), $"{method} {path} was not forwarded: {(int)response.StatusCode}");
        Assert.Equal(interactionId, response.Headers.GetValues("x-fapi-interaction-id").Single());
    }

    [Theory]
    [InlineData("GET", "/open-banking/v4.0/pisp/international-scheduled-payment-consents")]
    [InlineData("GET", "/open-banking/v4.0/pisp/international-scheduled-payments/x")]
    [InlineData("DELETE", "/open-banking/v4.0/pisp/domestic-standing-orders/x")]
    [InlineData("POST", "/open-banking/v4.0/pisp/domestic-payments/x")]
    [InlineData("POST", "/open-banking/v4.0/event-notifications")]
    [InlineData("GET", "/open-banking/v4.1/aisp/accounts")]
    [InlineData("GET", "/open-banking/v3.1.11/aisp/accounts")]
    public async Task UnroutedV4AndUnknownVersionPaths_Are404WithoutABody(string method, string path)
    {
        var token = await _wallet.ClientTokenAsync("accounts payments");
        var interactionId = Guid.NewGuid().ToString();

        using var response = await SendAsync(method, path, token, method == "POST" ? "{}" : null, interactionId);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(_ct));
        Assert.Equal(interactionId, response.Headers.GetValues("x-fapi-interaction-id").Single());
        Assert.False(platform.Forwarded.ContainsKey(interactionId));
    }

    [Fact]
    public async Task OutsideTheBankApis_The404NamesBothVersions()
    {
        using var client = platform.Gateway.CreateClient();

        using var response = await client.GetAsync("/aisp/accounts", _ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("detail").GetString();
        Assert.Contains("/open-banking/v3.1/", detail);
        Assert.Contains("/open-banking/v4.0/", detail);
    }

    [Fact]
    public async Task V4Scope_AfterItsBurst_Is429WithRetryAfterAndAV4Body()
    {
        // An app of its own: the burst (2 funds confirmations) is per client, and other tests use the demo wallet's.
        var app = await RegisterAppAsync("org-v4-" + Guid.NewGuid().ToString("N")[..8], "fundsconfirmations");
        var token = await app.ClientTokenAsync("fundsconfirmations");
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6 && limited is null; i++)
        {
            var response = await SendAsync("POST", $"{V4}/cbpii/funds-confirmation-consents", token, "{}");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        using (limited)
        {
            Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
            Assert.True(limited.Headers.Contains("x-fapi-interaction-id"));
            var body = await limited.Content.ReadFromJsonAsync<JsonElement>(_ct);
            AssertValid(Cof, body);
            AssertV4Error(body, "U000");
            Assert.Contains("Too many requests", body.GetProperty("Errors")[0].GetProperty("Message").GetString());
        }
    }

    [Fact]
    public async Task JunkTokens_BeyondTheAddressLimit_OnAV4Path_Are429WithAV4Body()
    {
        const string address = "203.0.113.40";
        for (var i = 0; i < 3; i++)
        {
            using var admitted = await SendFromAsync(address, $"{V4}/aisp/account-access-consents");
            Assert.Equal(HttpStatusCode.Unauthorized, admitted.StatusCode);
        }

        using var limited = await SendFromAsync(address, $"{V4}/aisp/account-access-consents");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("Retry-After"));
        var body = await limited.Content.ReadFromJsonAsync<JsonElement>(_ct);
        AssertValid(Ais, body);
        AssertV4Error(body, "U000");
    }

    [Fact]
    public async Task V4BodyOverTheLimit_Is413WithU002()
    {
        var token = await _wallet.ClientTokenAsync();
        var large = "{\"Data\":{\"Permissions\":[\"ReadBalances\"]},\"Risk\":{\"Padding\":\"" + new string('x', 5000) + "\"}}";

        using var response = await SendAsync("POST", $"{V4}/aisp/account-access-consents", token, large);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        AssertValid(Ais, body);
        AssertV4Error(body, "U002");
    }

    [Fact]
    public async Task StoppedBank_OnAV4Path_Is503WithU000AndAnId_WhileV3StaysInItsShape()
    {
        var token = await _wallet.ClientTokenAsync();
        using var client = platform.StoppedBankGateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var v4 = await client.PostAsync($"{V4}/aisp/account-access-consents", Json(ConsentBody), _ct);
        using var v3 = await client.PostAsync($"{V3}/aisp/account-access-consents", Json(ConsentBody), _ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, v4.StatusCode);
        var body = await v4.Content.ReadFromJsonAsync<JsonElement>(_ct);
        AssertValid(Ais, body);
        AssertV4Error(body, "U000");
        Assert.False(string.IsNullOrEmpty(body.GetProperty("Id").GetString()));
        var old = await v3.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal("503 ServiceUnavailable", old.GetProperty("Code").GetString());
        Assert.Equal("UK.OBIE.UnexpectedError", old.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
    }

    [Fact]
    public async Task CallLog_ShowsEachCallsApiVersion_AndFiltersByIt()
    {
        var token = await _wallet.ClientTokenAsync();
        var v4 = Guid.NewGuid().ToString();
        var v3 = Guid.NewGuid().ToString();
        var unrouted = Guid.NewGuid().ToString();
        // The v4.0 call is refused by the gateway itself (a client token on account data): no bank answer is needed.
        using (await SendAsync("GET", $"{V4}/aisp/accounts", token, interactionId: v4))
        using (await SendAsync("POST", $"{V3}/aisp/account-access-consents", token, ConsentBody, v3))
        using (await SendAsync("GET", "/open-banking/v9.9/aisp/accounts", token, interactionId: unrouted))
        {
        }

        await platform.Gateway.Services.GetRequiredService<CallLogWriter>().FlushAsync(_ct);
        using var portal = await PortalAsync();
        var list = $"/internal/calls?organisationId={DevelopmentSeed.DemoOrganisationId}&pageSize=200";

        var v4Call = await SingleCallAsync(portal, v4);
        var v3Call = await SingleCallAsync(portal, v3);
        var otherCall = await SingleCallAsync(portal, unrouted);
        Assert.Equal("v4.0", v4Call.GetProperty("apiVersion").GetString());
        Assert.Equal("U006", v4Call.GetProperty("errorCode").GetString());
        Assert.Equal("/open-banking/v4.0/aisp/accounts", v4Call.GetProperty("routeTemplate").GetString());
        Assert.Equal("v3.1.11", v3Call.GetProperty("apiVersion").GetString());
        Assert.False(otherCall.TryGetProperty("apiVersion", out var none) && none.ValueKind != JsonValueKind.Null);

        var onlyV4 = await portal.GetFromJsonAsync<JsonElement>($"{list}&apiVersion=v4.0", _ct);
        Assert.Contains(onlyV4.GetProperty("items").EnumerateArray(), c => c.GetProperty("interactionId").GetString() == v4);
        Assert.All(onlyV4.GetProperty("items").EnumerateArray(), c => Assert.Equal("v4.0", c.GetProperty("apiVersion").GetString()));
        var onlyV3 = await portal.GetFromJsonAsync<JsonElement>($"{list}&apiVersion=v3.1.11", _ct);
        Assert.DoesNotContain(onlyV3.GetProperty("items").EnumerateArray(), c => c.GetProperty("interactionId").GetString() == v4);

        var detail = await portal.GetFromJsonAsync<JsonElement>(
            $"/internal/calls/{v4Call.GetProperty("id").GetInt64()}?organisationId={DevelopmentSeed.DemoOrganisationId}", _ct);
        Assert.Equal("v4.0", detail.GetProperty("call").GetProperty("apiVersion").GetString());
        Assert.Equal("U006", Assert.Single(detail.GetProperty("errorCodes").EnumerateArray()).GetString());

        var stats = await portal.GetFromJsonAsync<JsonElement>($"/internal/calls/stats?organisationId={DevelopmentSeed.DemoOrganisationId}&bucket=minute", _ct);
        var endpoint = stats.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("routeTemplate").GetString() == "/open-banking/v4.0/aisp/accounts");
        Assert.Equal("v4.0", endpoint.GetProperty("apiVersion").GetString());

        using var wrong = await portal.GetAsync($"{list}&apiVersion=v3.1", _ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("apiVersion", await wrong.Content.ReadAsStringAsync(_ct));
    }

    [Theory]
    [InlineData("/open-banking/v4.0/aisp/accounts/x", "U011")]
    [InlineData("/open-banking/v3.1/aisp/accounts/x", "UK.OBIE.Resource.NotFound")]
    public void CallLogErrorCode_OfAV4Call_IsTheBodysCode_WhateverTheBanksHeaderSaid(string path, string listed)
    {
        // The bank's internal header says the v3.1 code; the body the client got says U011.
        var call = new ApiCall { Method = "GET", Path = path, StatusCode = 400, ErrorCode = "UK.OBIE.Resource.NotFound" };
        var body = new BodyCapture { Keep = true };
        body.Append("""{"Errors":[{"ErrorCode":"U011","Message":"No account has that id."}]}"""u8);

        var detail = CallDetails.Build(call, new CallCapture
        {
            RequestHeaders = [],
            ResponseHeaders = [new("Content-Type", "application/json")],
            RequestBody = new BodyCapture(),
            ResponseBody = body,
        });

        Assert.Equal(listed, call.ErrorCode);
        Assert.Equal("U011", detail.ErrorCodes);
        body.Release();
    }

    [Theory]
    [InlineData("/open-banking/v3.1/aisp/accounts", "v3.1.11")]
    [InlineData("/open-banking/v4.0/pisp/domestic-payments/x", "v4.0")]
    [InlineData("/OPEN-BANKING/V4.0/cbpii/funds-confirmations", "v4.0")]
    [InlineData("/open-banking/v4.0", "v4.0")]
    [InlineData("/open-banking/v4.01/aisp/accounts", null)]
    [InlineData("/open-banking/v3.1.11/aisp/accounts", null)]
    [InlineData("/internal/calls", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void ApiVersion_IsReadFromThePathsVersionSegment(string? path, string? version)
        => Assert.Equal(version, ApiVersions.Of(path));

    /// <summary>v4.0's OBErrorResponse1: <c>Errors</c> only (no deprecated <c>Code</c> or <c>Message</c>), a four-character code.</summary>
    private static void AssertV4Error(JsonElement body, string errorCode)
    {
        Assert.False(body.TryGetProperty("Code", out _), body.ToString());
        Assert.False(body.TryGetProperty("Message", out _), body.ToString());
        var error = Assert.Single(body.GetProperty("Errors").EnumerateArray());
        Assert.Equal(errorCode, error.GetProperty("ErrorCode").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("Message").GetString()));
    }

    private static void AssertValid(OpenApiContract contract, JsonElement body)
    {
        var errors = contract.Validate("OBErrorResponse1", body);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private async Task<JsonElement> SingleCallAsync(HttpClient portal, string interactionId)
    {
        var page = await portal.GetFromJsonAsync<JsonElement>(
            $"/internal/calls?organisationId={DevelopmentSeed.DemoOrganisationId}&interactionId={interactionId}", _ct);
        return Assert.Single(page.GetProperty("items").EnumerateArray());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string token, string? body = null, string? interactionId = null)
    {
        using var client = platform.Gateway.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = Json(body);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (interactionId is not null)
        {
            request.Headers.TryAddWithoutValidation("x-fapi-interaction-id", interactionId);
        }

        return await client.SendAsync(request, _ct);
    }

    private async Task<HttpResponseMessage> SendFromAsync(string address, string path)
    {
        using var client = platform.LimitedGateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(ConsentBody) };
        request.Headers.Add(GatewayPlatform.LimitedGatewayFactory.AddressHeader, address);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-jwt");
        return await client.SendAsync(request, _ct);
    }

    /// <summary>The Portal's client of the call log: a real portal-service token with scope gateway.calls.</summary>
    private async Task<HttpClient> PortalAsync()
    {
        var identity = platform.Wallet("portal-service", "portal-service-dev-secret");
        var client = platform.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await identity.ClientTokenAsync(PlatformScopes.GatewayCalls));
        return client;
    }

    private async Task<Wallet> RegisterAppAsync(string organisationId, string scope)
    {
        var portalIdentity = platform.Wallet("portal-service", "portal-service-dev-secret");
        using var identity = platform.Identity.CreateClient();
        identity.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await portalIdentity.ClientTokenAsync(PlatformScopes.IdentityClients));
        using var created = await identity.PostAsJsonAsync("/internal/clients", new
        {
            name = "V4 Wallet",
            organisationId,
            organisationName = "V4 Wallet Ltd",
            redirectUris = new[] { "https://v4.example/callback" },
            scopes = new[] { scope },
            authMethod = "client_secret_basic",
        }, _ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var app = await created.Content.ReadFromJsonAsync<JsonElement>(_ct);
        return platform.Wallet(app.GetProperty("clientId").GetString()!, app.GetProperty("clientSecret").GetString()!);
    }
}
