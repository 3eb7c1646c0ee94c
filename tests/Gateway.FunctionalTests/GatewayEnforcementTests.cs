using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests;

/// <summary>Every route group and token kind through the real gateway, with real tokens and the real Sandbox behind it.</summary>
public sealed class GatewayEnforcementTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private const string Ob = "/open-banking/v3.1";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    public static TheoryData<string, string> Routes => new()
    {
        { "GET", $"{Ob}/aisp/accounts" },
        { "POST", $"{Ob}/aisp/account-access-consents" },
        { "GET", $"{Ob}/aisp/account-access-consents/x" },
        { "POST", $"{Ob}/pisp/domestic-payment-consents" },
        { "GET", $"{Ob}/pisp/domestic-payment-consents/x/funds-confirmation" },
        { "POST", $"{Ob}/pisp/domestic-payments" },
        { "GET", $"{Ob}/pisp/domestic-payments/x" },
        { "POST", $"{Ob}/cbpii/funds-confirmation-consents" },
        { "POST", $"{Ob}/cbpii/funds-confirmations" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task EveryRoute_WithoutAToken_Is401WithAChallengeAndNoBody(string method, string path)
    {
        using var client = platform.Gateway.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json("{}") }, _ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(_ct));
        Assert.True(Guid.TryParse(response.Headers.GetValues("x-fapi-interaction-id").Single(), out _));
    }

    [Fact]
    public async Task ABadSignature_Is401()
    {
        var token = await _wallet.ClientTokenAsync();
        var tampered = token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA");

        using var response = await SendAsync("POST", $"{Ob}/aisp/account-access-consents", tampered, ConsentBody);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ClientToken_CreatesAConsent_ButCannotReadAccountData()
    {
        var token = await _wallet.ClientTokenAsync();

        using var consent = await SendAsync("POST", $"{Ob}/aisp/account-access-consents", token, ConsentBody);
        using var accounts = await SendAsync("GET", $"{Ob}/aisp/accounts", token);

        Assert.Equal(HttpStatusCode.Created, consent.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, accounts.StatusCode);
        var error = await accounts.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal("403 Forbidden", error.GetProperty("Code").GetString());
        Assert.Contains("customer token", error.GetProperty("Errors")[0].GetProperty("Message").GetString());
    }

    [Fact]
    public async Task CustomerToken_ReadsAccountData_ButCannotCreateConsents()
    {
        var (_, tokens) = await _wallet.AuthorisedTokensAsync();
        var token = tokens.GetProperty("access_token").GetString()!;

        using var accounts = await SendAsync("GET", $"{Ob}/aisp/accounts", token);
        using var consent = await SendAsync("POST", $"{Ob}/aisp/account-access-consents", token, ConsentBody);

        Assert.Equal(HttpStatusCode.OK, accounts.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, consent.StatusCode);
        Assert.Contains("client-credentials", (await consent.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Message").GetString());
    }

    [Fact]
    public async Task IdentitysPs256SignedTokens_AreAcceptedByTheGatewayAndTheSandbox()
    {
        var clientToken = await _wallet.ClientTokenAsync();
        var (_, tokens) = await _wallet.AuthorisedTokensAsync();
        var customerToken = tokens.GetProperty("access_token").GetString()!;

        using var consent = await SendAsync("POST", $"{Ob}/aisp/account-access-consents", clientToken, ConsentBody);
        using var accounts = await SendAsync("GET", $"{Ob}/aisp/accounts", customerToken);

        Assert.Equal("PS256", new JsonWebToken(clientToken).Alg);
        Assert.Equal("PS256", new JsonWebToken(customerToken).Alg);
        Assert.Equal(HttpStatusCode.Created, consent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accounts.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/pisp/domestic-payment-consents", "accounts")]
    [InlineData("GET", "/pisp/domestic-payments/x", "accounts")]
    [InlineData("POST", "/cbpii/funds-confirmation-consents", "payments")]
    [InlineData("POST", "/aisp/account-access-consents", "payments fundsconfirmations")]
    public async Task TokenWithoutTheApisScope_Is403WithAnObieBody(string method, string path, string scope)
    {
        var token = await _wallet.ClientTokenAsync(scope);

        using var response = await SendAsync(method, Ob + path, token, "{}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal("UK.OBIE.Header.Invalid", body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
    }

    [Theory]
    [InlineData("POST", "/pisp/domestic-payments", "payments")]
    [InlineData("GET", "/pisp/domestic-payment-consents/x/funds-confirmation", "payments")]
    [InlineData("POST", "/cbpii/funds-confirmations", "fundsconfirmations")]
    public async Task CustomerOnlyEndpoints_RefuseAClientToken(string method, string path, string scope)
    {
        var token = await _wallet.ClientTokenAsync(scope);

        using var response = await SendAsync(method, Ob + path, token, "{}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/pisp/domestic-payment-consents", "payments")]
    [InlineData("GET", "/pisp/domestic-payments/x", "payments")]
    [InlineData("POST", "/cbpii/funds-confirmation-consents", "fundsconfirmations")]
    public async Task ClientEndpoints_OfPaymentsAndFunds_LetAClientTokenThrough(string method, string path, string scope)
    {
        var token = await _wallet.ClientTokenAsync(scope);

        using var response = await SendAsync(method, Ob + path, token, "{}");

        // Past the gateway's policy: whatever the bank answers, it is not the gateway's 401/403.
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task TokenInTheQueryString_IsRefused()
    {
        var token = await _wallet.ClientTokenAsync();
        using var client = platform.Gateway.CreateClient();

        using var response = await client.GetAsync($"{Ob}/aisp/account-access-consents/x?access_token={token}", _ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_request", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task InternalHeadersSentByTheClient_AreDropped_AndTrustedOnesSetFromTheToken()
    {
        var token = await _wallet.ClientTokenAsync();
        var interactionId = Guid.NewGuid().ToString();
        using var client = platform.Gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Ob}/aisp/account-access-consents") { Content = Json(ConsentBody) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("x-fapi-interaction-id", interactionId);
        request.Headers.Add("x-ob-client-id", "someone-else");
        request.Headers.Add("x-ob-organisation-id", "another-org");
        request.Headers.Add("x-internal-admin", "true");
        request.Headers.Add("X-Forwarded-For", "10.9.8.7");

        using var response = await client.SendAsync(request, _ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var forwarded = platform.Forwarded[interactionId];
        Assert.Equal("demo-wallet", forwarded.GetValues("x-ob-client-id").Single());
        Assert.Equal(Shared.DevelopmentSeed.DemoOrganisationId, forwarded.GetValues("x-ob-organisation-id").Single());
        Assert.False(forwarded.Contains("x-internal-admin"));
        Assert.DoesNotContain("10.9.8.7", forwarded.TryGetValues("X-Forwarded-For", out var chain) ? string.Join(",", chain) : string.Empty);
        Assert.StartsWith("Bearer ", forwarded.GetValues("Authorization").Single());
    }

    [Fact]
    public async Task InteractionId_IsEchoedWhenValid_AndGeneratedOtherwise()
    {
        var token = await _wallet.ClientTokenAsync();
        var sent = Guid.NewGuid().ToString();

        using var echoed = await SendAsync("POST", $"{Ob}/aisp/account-access-consents", token, ConsentBody, sent);
        using var replaced = await SendAsync("POST", $"{Ob}/aisp/account-access-consents", token, ConsentBody, "not a uuid");
        using var unrouted = await SendAsync("GET", $"{Ob}/nothing-here", token, interactionId: sent);

        Assert.Equal(sent, echoed.Headers.GetValues("x-fapi-interaction-id").Single());
        Assert.True(Guid.TryParse(replaced.Headers.GetValues("x-fapi-interaction-id").Single(), out _));
        Assert.Equal(sent, unrouted.Headers.GetValues("x-fapi-interaction-id").Single());
        Assert.True(echoed.Headers.Date is not null);
        Assert.False(echoed.Headers.Contains("Server"));
        Assert.False(echoed.Headers.Contains("x-obie-error-code"));
    }

    [Fact]
    public async Task UnroutedBankPath_Is404WithoutABody()
    {
        var token = await _wallet.ClientTokenAsync();

        using var response = await SendAsync("GET", $"{Ob}/vrp/domestic-vrp-consents", token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(_ct));
    }

    [Fact]
    public async Task FundsConfirmationScope_AfterItsBurst_Is429WithRetryAfter()
    {
        var token = await _wallet.ClientTokenAsync("fundsconfirmations");
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6 && limited is null; i++)
        {
            var response = await SendAsync("POST", $"{Ob}/cbpii/funds-confirmation-consents", token, "{}");
            statuses.Add(response.StatusCode);
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
            Assert.Equal("429 TooManyRequests", (await limited.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Code").GetString());
        }

        // Another scope's bucket is untouched.
        using var accounts = await SendAsync("POST", $"{Ob}/aisp/account-access-consents", await _wallet.ClientTokenAsync(), ConsentBody);
        Assert.Equal(HttpStatusCode.Created, accounts.StatusCode);
    }

    [Fact]
    public async Task BodyOverTheLimit_Is413BeforeForwarding()
    {
        var token = await _wallet.ClientTokenAsync();
        var large = "{\"Data\":{\"Permissions\":[\"ReadBalances\"]},\"Risk\":{\"Padding\":\"" + new string('x', 5000) + "\"}}";

        using var response = await SendAsync("POST", $"{Ob}/aisp/account-access-consents", token, large);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("UK.OBIE.Field.Invalid", (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
    }

    private const string ConsentBody = """{"Data":{"Permissions":["ReadAccountsBasic","ReadBalances"]},"Risk":{}}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string token, string? body = null, string? interactionId = null)
    {
        using var client = platform.Gateway.CreateClient();
        var request = new HttpRequestMessage(new HttpMethod(method), path);
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
}
