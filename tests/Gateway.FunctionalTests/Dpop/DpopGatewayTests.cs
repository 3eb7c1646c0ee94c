using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Gateway.CallLog;
using OpenBanking.Gateway.Infrastructure;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests.Dpop;

/// <summary>
/// The platform, plus a second gateway instance on the same database file as the first (two instances behind one
/// load balancer share their replay cache that way).
/// </summary>
public sealed class DpopGatewayFixture : IDisposable
{
    public DpopGatewayFixture()
    {
        Platform = new GatewayPlatform();
        Second = new GatewayPlatform.GatewayFactory(Platform);
        Second.WithSetting("Database:DataDirectory", Platform.Gateway.DataDirectory);
        _ = Second.Server;
    }

    public GatewayPlatform Platform { get; }

    public GatewayPlatform.GatewayFactory Second { get; }

    public void Dispose()
    {
        Second.Dispose();
        Platform.Dispose();
    }
}

/// <summary>
/// DPoP at the gateway (RFC 9449 §7) with tokens from the real Identity and proofs made by jose-jwt: a bound token is
/// accepted only with the DPoP scheme and a proof for this request; every refusal is a 401 with a DPoP challenge,
/// recorded in the call log with the rule and the app.
/// </summary>
public sealed class DpopGatewayTests(DpopGatewayFixture fixture) : IClassFixture<DpopGatewayFixture>
{
    private const string Consents = "/open-banking/v3.1/aisp/account-access-consents";
    private const string Body = """{"Data":{"Permissions":["ReadAccountsBasic","ReadBalances"]},"Risk":{}}""";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly GatewayPlatform _platform = fixture.Platform;
    private readonly Wallet _wallet = fixture.Platform.Wallet();

    private static string Htu(string path) => "http://localhost" + path;

    [Fact]
    public async Task ABoundTokenWithAValidProof_IsForwarded_WithTheKeyForTheSandbox_AndLoggedAsDpopBound()
    {
        using var key = DpopKey.Es256();
        var token = await TokenAsync(key);
        var interactionId = Guid.NewGuid().ToString();

        using var response = await SendAsync(fixture.Platform.Gateway, HttpMethod.Post, Consents, "DPoP", token,
            key.Proof("POST", Htu(Consents), token), interactionId);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(key.Thumbprint, _platform.Forwarded[interactionId].GetValues(PlatformHeaders.DpopJkt).Single());
        var call = await CallAsync(interactionId);
        Assert.True(call.DpopBound);
        Assert.Equal(key.Thumbprint, call.DpopJkt);
        Assert.Null(call.RefusalRule);
    }

    [Fact]
    public async Task ABoundTokenSentAsBearer_IsRefused_NoDowngrade()
    {
        using var key = DpopKey.Es256();
        var token = await TokenAsync(key);
        var interactionId = Guid.NewGuid().ToString();

        using var response = await SendAsync(fixture.Platform.Gateway, HttpMethod.Post, Consents, "Bearer", token,
            key.Proof("POST", Htu(Consents), token), interactionId);

        await AssertRefusedAsync(response, "invalid_token", "DPoP-bound");
        var call = await CallAsync(interactionId);
        Assert.Equal(RefusalRules.DpopDowngrade, call.RefusalRule);
        Assert.Equal("demo-wallet", call.ClientId);
        Assert.Equal(DevelopmentSeed.DemoOrganisationId, call.OrganisationId);
        Assert.Equal(401, call.StatusCode);
    }

    public static TheoryData<string, string, string> Mismatches => new()
    {
        { "htm", RefusalRules.DpopHtm, "htm is 'GET'; this request is 'POST'" },
        { "htu", RefusalRules.DpopHtu, "htu is 'http://localhost/open-banking/v3.1/aisp/accounts'" },
        { "ath", RefusalRules.DpopAth, "ath is not the base64url SHA-256 of this access token" },
        { "iat", RefusalRules.DpopIat, "make a fresh proof" },
        { "jkt", RefusalRules.DpopJkt, "is not the key this access token is bound to" },
        { "missing", RefusalRules.DpopMissing, "Send a DPoP proof" },
        { "typ", RefusalRules.DpopMalformed, "dpop+jwt" },
        { "private-jwk", RefusalRules.DpopMalformed, "private member 'd'" },
        { "no-jti", RefusalRules.DpopMissingClaim + ":jti", "lacks the 'jti' claim" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public async Task AProofThatDoesNotMatchThisRequest_IsRefused(string what, string rule, string description)
    {
        using var key = DpopKey.Es256();
        using var other = DpopKey.Es256();
        var token = await TokenAsync(key);
        var proof = what switch
        {
            "htm" => key.Proof("GET", Htu(Consents), token),
            "htu" => key.Proof("POST", Htu("/open-banking/v3.1/aisp/accounts"), token),
            "ath" => key.Proof("POST", Htu(Consents), await TokenAsync(key)),
            "iat" => key.Proof("POST", Htu(Consents), token, iat: DateTimeOffset.UtcNow.AddMinutes(-3)),
            "jkt" => other.Proof("POST", Htu(Consents), token),
            "typ" => key.Proof("POST", Htu(Consents), token, header: new Dictionary<string, object?> { ["typ"] = "JWT" }),
            "private-jwk" => key.Proof("POST", Htu(Consents), token, header: new Dictionary<string, object?>
            {
                ["jwk"] = new Dictionary<string, object>(key.PublicJwk) { ["d"] = "AAAA" },
            }),
            "no-jti" => key.Proof("POST", Htu(Consents), token, claims: new Dictionary<string, object?> { ["jti"] = null }),
            _ => null,
        };
        var interactionId = Guid.NewGuid().ToString();

        using var response = await SendAsync(fixture.Platform.Gateway, HttpMethod.Post, Consents, "DPoP", token, proof, interactionId);

        await AssertRefusedAsync(response, "invalid_dpop_proof", description);
        var call = await CallAsync(interactionId);
        Assert.Equal(rule, call.RefusalRule);
        Assert.Equal("demo-wallet", call.ClientId);
        Assert.False(call.DpopBound);
    }

    [Fact]
    public async Task AProofReplayed_IsRefused_ByTheSameInstance_AndByAnotherSharingTheDatabase()
    {
        using var key = DpopKey.Es256();
        var token = await TokenAsync(key);
        var proof = key.Proof("POST", Htu(Consents), token);
        var second = Guid.NewGuid().ToString();

        using var first = await SendAsync(fixture.Platform.Gateway, HttpMethod.Post, Consents, "DPoP", token, proof, Guid.NewGuid().ToString());
        using var again = await SendAsync(fixture.Platform.Gateway, HttpMethod.Post, Consents, "DPoP", token, proof, Guid.NewGuid().ToString());
        using var elsewhere = await SendAsync(fixture.Second, HttpMethod.Post, Consents, "DPoP", token, proof, second);
        using var fresh = await SendAsync(fixture.Second, HttpMethod.Post, Consents, "DPoP", token, key.Proof("POST", Htu(Consents), token), Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await AssertRefusedAsync(again, "invalid_dpop_proof", "already used");
        await AssertRefusedAsync(elsewhere, "invalid_dpop_proof", "already used");
        Assert.Equal(HttpStatusCode.Created, fresh.StatusCode);
    }

    [Fact]
    public async Task AnUnboundTokenSentWithTheDpopScheme_IsRefused()
    {
        using var key = DpopKey.Es256();
        var token = await _wallet.ClientTokenAsync();

        using var response = await SendAsync(fixture.Platform.Gateway, HttpMethod.Post, Consents, "DPoP", token,
            key.Proof("POST", Htu(Consents), token), Guid.NewGuid().ToString());

        await AssertRefusedAsync(response, "invalid_token", "not DPoP-bound");
    }

    [Fact]
    public async Task AnInvalidTokenWithTheDpopScheme_GetsADpopChallenge()
    {
        using var key = DpopKey.Es256();

        using var response = await SendAsync(fixture.Platform.Gateway, HttpMethod.Post, Consents, "DPoP", "not-a-jwt",
            key.Proof("POST", Htu(Consents), "not-a-jwt"), Guid.NewGuid().ToString());

        await AssertRefusedAsync(response, "invalid_token", "not valid");
    }

    private async Task<string> TokenAsync(DpopKey key) => (await _wallet.ClientTokenAsync(key)).GetProperty("access_token").GetString()!;

    private async Task AssertRefusedAsync(HttpResponseMessage response, string error, string description)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("DPoP", challenge.Scheme);
        Assert.Contains($"error=\"{error}\"", challenge.Parameter);
        Assert.Contains("error_description=\"", challenge.Parameter);
        Assert.Contains(description, challenge.Parameter);
        Assert.Contains("algs=\"PS256 ES256\"", challenge.Parameter);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(_ct));
    }

    private async Task<ApiCall> CallAsync(string interactionId)
    {
        await _platform.Gateway.Services.GetRequiredService<CallLogWriter>().FlushAsync(_ct);
        await using var scope = _platform.Gateway.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        return await db.ApiCalls.AsNoTracking().SingleAsync(c => c.InteractionId == interactionId, _ct);
    }

    private async Task<HttpResponseMessage> SendAsync(GatewayPlatform.GatewayFactory gateway, HttpMethod method, string path, string scheme, string token, string? proof, string interactionId)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        request.Headers.Add("x-fapi-interaction-id", interactionId);
        if (proof is not null)
        {
            request.Headers.Add(PlatformHeaders.Dpop, proof);
        }

        return await client.SendAsync(request, _ct);
    }
}
