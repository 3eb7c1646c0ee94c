using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests;

/// <summary>
/// The per-address limit ahead of authentication (3 requests per address on <see cref="GatewayPlatform.LimitedGateway"/>):
/// what a caller without a valid token can make the gateway do is bounded. Each test uses addresses of its own.
/// </summary>
public sealed class AddressRateLimitTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private const string Consents = "/open-banking/v3.1/aisp/account-access-consents";
    private const string ConsentBody = """{"Data":{"Permissions":["ReadAccountsBasic","ReadBalances"]},"Risk":{}}""";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task JunkTokens_BeyondTheAddressLimit_Are429WithRetryAfterAndAnObieBody_WithoutValidatingTheToken()
    {
        const string address = "203.0.113.10";
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await SendAsync(address, HttpMethod.Post, Consents, "not-a-jwt", ConsentBody);
            statuses.Add(response.StatusCode);
        }

        using var limited = await SendAsync(address, HttpMethod.Post, Consents, "not-a-jwt", ConsentBody);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.True(Guid.TryParse(limited.Headers.GetValues("x-fapi-interaction-id").Single(), out _));
        var body = await limited.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal("429 TooManyRequests", body.GetProperty("Code").GetString());
        Assert.Equal("UK.OBIE.UnexpectedError", body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
        // The refused call never reached the bearer handler: three looks for three admitted calls.
        Assert.Equal(3, platform.LimitedGateway.Authentications[address]);
    }

    [Fact]
    public async Task ALimitedAddress_DoesNotStopAnother_WithAValidToken()
    {
        const string flooder = "198.51.100.20";
        for (var i = 0; i < 4; i++)
        {
            using var junk = await SendAsync(flooder, HttpMethod.Get, Consents + "/x", token: null);
        }

        var token = await platform.Wallet().ClientTokenAsync();
        using var refused = await SendAsync(flooder, HttpMethod.Post, Consents, token, ConsentBody);
        using var served = await SendAsync("198.51.100.21", HttpMethod.Post, Consents, token, ConsentBody);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, served.StatusCode);
    }

    [Fact]
    public async Task IPv6Addresses_OfOneSlash64_ShareABucket()
    {
        for (var i = 1; i <= 3; i++)
        {
            using var response = await SendAsync($"2001:db8:1:2::{i}", HttpMethod.Get, Consents + "/x", token: null);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var sameNetwork = await SendAsync("2001:db8:1:2:ffff::9", HttpMethod.Get, Consents + "/x", token: null);
        using var otherNetwork = await SendAsync("2001:db8:1:3::1", HttpMethod.Get, Consents + "/x", token: null);

        Assert.Equal(HttpStatusCode.TooManyRequests, sameNetwork.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherNetwork.StatusCode);
    }

    [Fact]
    public async Task OutsideTheBankApis_TheLimitAnswersWithProblemDetails_AndHealthProbesAreExempt()
    {
        const string address = "192.0.2.30";
        for (var i = 0; i < 3; i++)
        {
            using var _ = await SendAsync(address, HttpMethod.Get, "/internal/calls", token: null);
        }

        using var limited = await SendAsync(address, HttpMethod.Get, "/internal/calls", token: null);
        using var alive = await SendAsync(address, HttpMethod.Get, "/alive", token: null);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string address, HttpMethod method, string path, string? token, string? body = null)
    {
        using var client = platform.LimitedGateway.CreateClient();
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add(GatewayPlatform.LimitedGatewayFactory.AddressHeader, address);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request, _ct);
    }
}
