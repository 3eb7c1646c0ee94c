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

/// <summary>A call's detail: what it carried (headers, bodies, the error and why), never the token, only for its own organisation.</summary>
public sealed class CallDetailTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private const string Consents = "/open-banking/v3.1/aisp/account-access-consents";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task ACallsDetail_HasItsHeadersAndBodiesAsSent_ButNeverTheBearerTokenOrCookies()
    {
        var token = await _wallet.ClientTokenAsync();
        var interactionId = Guid.NewGuid().ToString();
        // "+00:00" comes back exactly as sent, not re-encoded.
        const string body = """{"Data":{"Permissions":["ReadAccountsBasic"],"ExpirationDateTime":"2099-01-01T00:00:00+00:00"},"Risk":{}}""";
        string consentId;
        using (var response = await SendAsync(HttpMethod.Post, Consents, token, body, interactionId, cookie: "session=secret-cookie-value"))
        {
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(_ct));
            consentId = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Data").GetProperty("ConsentId").GetString()!;
        }

        var readId = Guid.NewGuid().ToString();
        using (var read = await SendAsync(HttpMethod.Get, $"{Consents}/{consentId}?probe=1", token, null, readId))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using var portal = await PortalAsync();
        var (raw, detail) = await DetailAsync(portal, DevelopmentSeed.DemoOrganisationId, interactionId);

        Assert.True(detail.GetProperty("detailKept").GetBoolean());
        var request = detail.GetProperty("requestBody");
        Assert.Equal(body, request.GetProperty("text").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount(body), request.GetProperty("bytes").GetInt64());
        Assert.False(request.GetProperty("truncated").GetBoolean());
        var answer = detail.GetProperty("responseBody");
        Assert.Contains(consentId, answer.GetProperty("text").GetString());
        Assert.Equal(answer.GetProperty("bytes").GetInt64(), Encoding.UTF8.GetByteCount(answer.GetProperty("text").GetString()!));

        var requestHeaders = Headers(detail.GetProperty("requestHeaders"));
        Assert.Equal(interactionId, requestHeaders["x-fapi-interaction-id"]);
        Assert.StartsWith("application/json", requestHeaders["Content-Type"]);
        Assert.Equal($"Bearer …{token[^6..]} (token not stored)", requestHeaders["Authorization"]);
        Assert.Equal("(not stored)", requestHeaders["Cookie"]);
        Assert.DoesNotContain(token[..^6], raw);
        Assert.DoesNotContain("secret-cookie-value", raw);
        var responseHeaders = Headers(detail.GetProperty("responseHeaders"));
        Assert.StartsWith("application/json", responseHeaders["Content-Type"]);
        Assert.Equal(interactionId, responseHeaders["x-fapi-interaction-id"]);
        Assert.Empty(detail.GetProperty("errorCodes").EnumerateArray());

        // A GET has no request body: zero bytes and no text, and its query string is kept.
        var (_, get) = await DetailAsync(portal, DevelopmentSeed.DemoOrganisationId, readId);
        Assert.Equal(0, get.GetProperty("requestBody").GetProperty("bytes").GetInt64());
        Assert.Equal(JsonValueKind.Null, get.GetProperty("requestBody").GetProperty("text").ValueKind);
        Assert.Equal("?probe=1", get.GetProperty("query").GetString());
    }

    [Fact]
    public async Task AnErrorsDetail_HasEveryErrorCode_AndTheFirstMessage()
    {
        var interactionId = Guid.NewGuid().ToString();
        using (var response = await SendAsync(HttpMethod.Post, Consents, await _wallet.ClientTokenAsync(), """{"Data":{"Permissions":[]},"Risk":{}}""", interactionId))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Errors")[0];
            using var portal = await PortalAsync();
            var (_, detail) = await DetailAsync(portal, DevelopmentSeed.DemoOrganisationId, interactionId);
            Assert.Equal(error.GetProperty("ErrorCode").GetString(), detail.GetProperty("errorCodes")[0].GetString());
            Assert.Equal(error.GetProperty("Message").GetString(), detail.GetProperty("errorMessage").GetString());
            Assert.Equal(error.GetProperty("ErrorCode").GetString(), detail.GetProperty("call").GetProperty("errorCode").GetString());
        }
    }

    [Fact]
    public async Task A401ForARevokedConsent_RecordsWhy_FromTheBearerChallenge()
    {
        var (consentId, tokens) = await _wallet.AuthorisedTokensAsync();
        var clientToken = await _wallet.ClientTokenAsync();
        using (var deleted = await SendAsync(HttpMethod.Delete, $"{Consents}/{consentId}", clientToken, null, Guid.NewGuid().ToString()))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var interactionId = Guid.NewGuid().ToString();
        using (var refused = await SendAsync(HttpMethod.Get, "/open-banking/v3.1/aisp/accounts", tokens.GetProperty("access_token").GetString()!, null, interactionId))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString());
        }

        using var portal = await PortalAsync();
        var (_, detail) = await DetailAsync(portal, DevelopmentSeed.DemoOrganisationId, interactionId);
        Assert.Equal(401, detail.GetProperty("call").GetProperty("statusCode").GetInt32());
        Assert.Equal("invalid_token", detail.GetProperty("call").GetProperty("errorCode").GetString());
        Assert.Equal("invalid_token", Assert.Single(detail.GetProperty("errorCodes").EnumerateArray()).GetString());
        Assert.Contains("consent", detail.GetProperty("errorMessage").GetString());
        Assert.Equal(0, detail.GetProperty("responseBody").GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task AResponseBodyOver16KiB_IsKeptUpTo16KiB_WithItsFullSize()
    {
        var (_, tokens) = await _wallet.AuthorisedTokensAsync();
        var interactionId = Guid.NewGuid().ToString();
        long sent;
        using (var response = await SendAsync(HttpMethod.Get, "/open-banking/v3.1/aisp/transactions", tokens.GetProperty("access_token").GetString()!, null, interactionId))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            sent = (await response.Content.ReadAsByteArrayAsync(_ct)).Length;
        }

        Assert.True(sent > CallCapture.MaxBodyBytes, $"alice's transactions are {sent} bytes; the test needs more than 16 KiB");
        using var portal = await PortalAsync();
        var (_, detail) = await DetailAsync(portal, DevelopmentSeed.DemoOrganisationId, interactionId);
        var body = detail.GetProperty("responseBody");
        Assert.Equal(sent, body.GetProperty("bytes").GetInt64());
        Assert.True(body.GetProperty("truncated").GetBoolean());
        var kept = Encoding.UTF8.GetByteCount(body.GetProperty("text").GetString()!);
        Assert.InRange(kept, CallCapture.MaxBodyBytes - 3, CallCapture.MaxBodyBytes);
    }

    [Fact]
    public void ABodyCutInsideACharacter_EndsBeforeThatCharacter()
    {
        var capture = new BodyCapture { Keep = true };
        // 16,383 ASCII bytes, then "é" (2 bytes) straddles the limit.
        capture.Append(Encoding.UTF8.GetBytes(new string('a', CallCapture.MaxBodyBytes - 1) + "éé"));
        try
        {
            var call = new ApiCall { Method = "POST", Path = "/open-banking/v3.1/aisp/x", StatusCode = 200 };
            var detail = CallDetails.Build(call, new CallCapture
            {
                RequestHeaders = [new("Content-Type", "application/json")],
                ResponseHeaders = [],
                RequestBody = capture,
                ResponseBody = new BodyCapture(),
            });
            Assert.True(detail.RequestBodyTruncated);
            Assert.Equal(new string('a', CallCapture.MaxBodyBytes - 1), detail.RequestBody);
            Assert.Null(detail.ResponseBody);
        }
        finally
        {
            capture.Release();
        }
    }

    [Fact]
    public async Task AnotherOrganisation_CannotReadACallsDetail()
    {
        var other = await RegisterAppAsync("org-d-" + Guid.NewGuid().ToString("N")[..8]);
        var interactionId = Guid.NewGuid().ToString();
        using (await SendAsync(HttpMethod.Post, Consents, await other.Wallet.ClientTokenAsync(), """{"Data":{"Permissions":["ReadBalances"]},"Risk":{}}""", interactionId))
        {
        }

        using var portal = await PortalAsync();
        var (_, theirs) = await DetailAsync(portal, other.OrganisationId, interactionId);
        var id = theirs.GetProperty("call").GetProperty("id").GetInt64();

        using var asDemo = await portal.GetAsync($"/internal/calls/{id}?organisationId={DevelopmentSeed.DemoOrganisationId}", _ct);
        using var asDemoApp = await portal.GetAsync($"/internal/calls/{id}?organisationId={other.OrganisationId}&clientId=demo-wallet", _ct);
        using var unscoped = await portal.GetAsync($"/internal/calls/{id}", _ct);
        using var client = platform.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await other.Wallet.ClientTokenAsync());
        using var bankToken = await client.GetAsync($"/internal/calls/{id}?organisationId={other.OrganisationId}", _ct);

        Assert.Equal(HttpStatusCode.NotFound, asDemo.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, asDemoApp.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unscoped.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bankToken.StatusCode);
    }

    private static Dictionary<string, string> Headers(JsonElement headers)
        => headers.EnumerateArray().ToDictionary(h => h.GetProperty("name").GetString()!, h => h.GetProperty("value").GetString()!, StringComparer.OrdinalIgnoreCase);

    /// <summary>The call with this interaction id, found through the list as the Portal does, then its detail (raw JSON too).</summary>
    private async Task<(string Raw, JsonElement Detail)> DetailAsync(HttpClient portal, string organisationId, string interactionId)
    {
        await platform.Gateway.Services.GetRequiredService<CallLogWriter>().FlushAsync(_ct);
        var page = await portal.GetFromJsonAsync<JsonElement>($"/internal/calls?organisationId={organisationId}&interactionId={interactionId}", _ct);
        var id = Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64();
        using var response = await portal.GetAsync($"/internal/calls/{id}?organisationId={organisationId}", _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync(_ct);
        return (raw, JsonDocument.Parse(raw).RootElement.Clone());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, string? body, string interactionId, string? cookie = null)
    {
        using var client = platform.Gateway.CreateClient();
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("x-fapi-interaction-id", interactionId);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await client.SendAsync(request, _ct);
    }

    private async Task<HttpClient> PortalAsync()
    {
        var identity = platform.Wallet("portal-service", "portal-service-dev-secret");
        var client = platform.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await identity.ClientTokenAsync(PlatformScopes.GatewayCalls));
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
