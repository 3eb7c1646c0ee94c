using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Gateway.CallLog;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests;

/// <summary>
/// <c>/sandbox/v1/customers</c>: the partner's custom test customers go to the Sandbox with a client-credentials token
/// (policy <c>sandbox:client</c>), an uploaded history up to 2 MiB, logged under <c>{CustomerId}</c>.
/// </summary>
public sealed class CustomersRouteTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Theory]
    [InlineData("GET", "/sandbox/v1/customers")]
    [InlineData("POST", "/sandbox/v1/customers")]
    [InlineData("GET", "/sandbox/v1/customers/cus-1")]
    [InlineData("DELETE", "/sandbox/v1/customers/cus-1")]
    public async Task WithoutAToken_Is401_WithAClientToken_ItIsForwarded(string method, string path)
    {
        using var client = platform.Gateway.CreateClient();
        using (var anonymous = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), _ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var interactionId = Guid.NewGuid().ToString();
        using var request = Request(method, path, await _wallet.ClientTokenAsync(), interactionId, method == "POST" ? "{}" : null);
        using var response = await client.SendAsync(request, _ct);
        Assert.True(platform.Forwarded.ContainsKey(interactionId), $"{method} {path} was not forwarded ({(int)response.StatusCode})");
    }

    [Fact]
    public async Task AHistoryOver256KiB_IsForwarded_OneOver2MiB_Is413_AndLogged()
    {
        using var client = platform.Gateway.CreateClient();
        var token = await _wallet.ClientTokenAsync();
        var large = Guid.NewGuid().ToString();
        using (var response = await client.SendAsync(Request("POST", "/sandbox/v1/customers", token, large, Body(300 * 1024)), _ct))
        {
            Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }

        Assert.True(platform.Forwarded.ContainsKey(large));

        var tooLarge = Guid.NewGuid().ToString();
        using (var response = await client.SendAsync(Request("POST", "/sandbox/v1/customers", token, tooLarge, Body(2 * 1024 * 1024 + 1)), _ct))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }

        Assert.False(platform.Forwarded.ContainsKey(tooLarge));
        await platform.Gateway.Services.GetRequiredService<CallLogWriter>().FlushAsync(_ct);
        using var portal = platform.Gateway.CreateClient();
        var identity = platform.Wallet("portal-service", "portal-service-dev-secret");
        portal.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await identity.ClientTokenAsync(PlatformScopes.GatewayCalls));
        var page = await portal.GetFromJsonAsync<JsonElement>(
            $"/internal/calls?organisationId={DevelopmentSeed.DemoOrganisationId}&path=/sandbox/v1/customers&status=413", _ct);
        var refused = page.GetProperty("items").EnumerateArray().First();
        Assert.Equal(RefusalRules.RequestRefused, refused.GetProperty("refusalRule").GetString());
        Assert.Equal("/sandbox/v1/customers", refused.GetProperty("routeTemplate").GetString());
    }

    /// <summary>A JSON body of exactly <paramref name="bytes"/> bytes.</summary>
    private static string Body(int bytes) => "{\"Username\":\"" + new string('a', bytes - 15) + "\"}";

    private static HttpRequestMessage Request(string method, string path, string token, string interactionId, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // Not a bank-API path: the id only lets the test see what the gateway forwarded.
        request.Headers.Add("x-fapi-interaction-id", interactionId);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return request;
    }
}
