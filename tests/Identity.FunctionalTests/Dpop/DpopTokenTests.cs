using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Shared;
using OpenBanking.TestKit;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.FunctionalTests.Dpop;

/// <summary>
/// DPoP (RFC 9449) at the token endpoint, with proofs made by jose-jwt (<see cref="DpopKey"/>) and thumbprints computed
/// in the test: binding of access and refresh tokens for every grant the platform uses, and each refusal.
/// </summary>
public sealed class DpopTokenTests(ConsentJourneyFixture platform) : IClassFixture<ConsentJourneyFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task Discovery_AdvertisesTheProofAlgorithms()
    {
        using var client = platform.Identity.CreateClient();

        var discovery = await client.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration", _ct);

        Assert.Equal(["PS256", "ES256"], discovery.GetProperty("dpop_signing_alg_values_supported").EnumerateArray().Select(a => a.GetString()));
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("PS256")]
    public async Task ClientCredentials_WithAProof_GiveADpopTokenBoundToTheKey(string algorithm)
    {
        using var key = algorithm == "ES256" ? DpopKey.Es256() : DpopKey.Ps256();

        var body = await _wallet.ClientTokenAsync(key);

        Assert.Equal("DPoP", body.GetProperty("token_type").GetString());
        var cnf = Payload(body.GetProperty("access_token").GetString()!).GetProperty("cnf");
        Assert.Equal(JsonValueKind.Object, cnf.ValueKind);
        Assert.Equal(key.Thumbprint, cnf.GetProperty("jkt").GetString());
    }

    [Fact]
    public async Task ClientCredentials_WithoutAProof_StayBearer()
    {
        var (status, body, _) = await _wallet.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "accounts" }, dpop: null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.False(Payload(body.GetProperty("access_token").GetString()!).TryGetProperty("cnf", out _));
    }

    [Fact]
    public async Task CodeAndRefresh_WithProofs_AreBoundToTheKey_AndTheRefreshTokenOnlyWorksWithThatKey()
    {
        using var key = DpopKey.Es256();
        using var other = DpopKey.Es256();
        var (_, tokens) = await _wallet.AuthorisedTokensAsync(key);
        Assert.Equal("DPoP", tokens.GetProperty("token_type").GetString());
        Assert.Equal(key.Thumbprint, Payload(tokens.GetProperty("access_token").GetString()!).GetProperty("cnf").GetProperty("jkt").GetString());
        Assert.False(Payload(tokens.GetProperty("access_token").GetString()!).TryGetProperty(PlatformClaims.DpopJkt, out _));
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;

        var (otherStatus, otherBody) = await _wallet.RefreshAsync(refreshToken, other);
        var (bareStatus, bareBody) = await _wallet.RefreshAsync(refreshToken, dpop: null);

        Assert.Equal(HttpStatusCode.BadRequest, otherStatus);
        Assert.Equal(Errors.InvalidGrant, otherBody.GetProperty("error").GetString());
        Assert.Contains("bound to another DPoP key", otherBody.GetProperty("error_description").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bareStatus);
        Assert.Equal(Errors.InvalidGrant, bareBody.GetProperty("error").GetString());
        Assert.Contains("bound to a DPoP key", bareBody.GetProperty("error_description").GetString());

        // The refusals redeemed nothing: the right key still refreshes, and the new refresh token is bound as well.
        var (status, refreshed) = await _wallet.RefreshAsync(refreshToken, key);
        Assert.True(status == HttpStatusCode.OK, refreshed.ToString());
        Assert.Equal("DPoP", refreshed.GetProperty("token_type").GetString());
        Assert.Equal(key.Thumbprint, Payload(refreshed.GetProperty("access_token").GetString()!).GetProperty("cnf").GetProperty("jkt").GetString());
        var (againStatus, again) = await _wallet.RefreshAsync(refreshed.GetProperty("refresh_token").GetString()!, other);
        Assert.Equal(HttpStatusCode.BadRequest, againStatus);
        Assert.Equal(Errors.InvalidGrant, again.GetProperty("error").GetString());
    }

    [Fact]
    public async Task UnboundRefreshToken_WithAProof_GivesABoundAccessToken()
    {
        using var key = DpopKey.Es256();
        var (_, tokens) = await _wallet.AuthorisedTokensAsync();
        Assert.Equal("Bearer", tokens.GetProperty("token_type").GetString());

        var (status, refreshed) = await _wallet.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!, key);

        Assert.True(status == HttpStatusCode.OK, refreshed.ToString());
        Assert.Equal("DPoP", refreshed.GetProperty("token_type").GetString());
        Assert.Equal(key.Thumbprint, Payload(refreshed.GetProperty("access_token").GetString()!).GetProperty("cnf").GetProperty("jkt").GetString());
    }

    [Fact]
    public async Task AProofUsedTwice_IsRefusedTheSecondTime()
    {
        using var key = DpopKey.Es256();
        var proof = key.Proof("POST", _wallet.TokenEndpoint());
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "accounts" };

        var (first, _, _) = await _wallet.TokenAsync(form, key, proof: proof);
        var (second, body, _) = await _wallet.TokenAsync(form, key, proof: proof);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.BadRequest, second);
        Assert.Equal("invalid_dpop_proof", body.GetProperty("error").GetString());
        Assert.Contains("already used", body.GetProperty("error_description").GetString());
    }

    [Theory]
    [InlineData("GET", "http://localhost/connect/token", "htm is 'GET'")]
    [InlineData("POST", "http://localhost/connect/authorize", "htu is 'http://localhost/connect/authorize'")]
    [InlineData("POST", "https://localhost/connect/token", "htu is")]
    public async Task AProofForAnotherRequest_IsRefused(string method, string htu, string message)
    {
        using var key = DpopKey.Es256();

        var (status, body, _) = await _wallet.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "accounts" },
            key, proof: key.Proof(method, htu));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_dpop_proof", body.GetProperty("error").GetString());
        Assert.Contains(message, body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task AProofWithTheQueryInHtuOrAnUpperCaseHost_StillNamesTheEndpoint()
    {
        using var key = DpopKey.Es256();

        var (status, body, _) = await _wallet.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "accounts" },
            key, proof: key.Proof("POST", "HTTP://LOCALHOST:80/connect/token?x=1#y"));

        Assert.True(status == HttpStatusCode.OK, body.ToString());
    }

    [Fact]
    public async Task AnOldProof_IsRefused()
    {
        using var key = DpopKey.Es256();

        var (status, body, _) = await _wallet.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "accounts" },
            key, proof: key.Proof("POST", _wallet.TokenEndpoint(), iat: DateTimeOffset.UtcNow.AddMinutes(-5)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_dpop_proof", body.GetProperty("error").GetString());
        Assert.Contains("iat", body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task AnAppThatRequiresDpop_GetsNoTokenWithoutAProof_AndABoundOneWithIt()
    {
        var wallet = platform.Wallet(await RegisterClientAsync("dpop-required-wallet", requireDpop: true), Secret);
        using var key = DpopKey.Es256();
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "accounts" };

        var (status, body, _) = await wallet.TokenAsync(form, dpop: null);
        var (okStatus, ok, _) = await wallet.TokenAsync(form, key);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_dpop_proof", body.GetProperty("error").GetString());
        Assert.Equal("This app requires DPoP: send a DPoP proof with every token request.", body.GetProperty("error_description").GetString());
        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.Equal("DPoP", ok.GetProperty("token_type").GetString());
    }

    private const string Secret = "dpop-wallet-secret-0123456789";

    private async Task<string> RegisterClientAsync(string clientId, bool requireDpop)
    {
        using var scope = platform.Identity.Services.CreateScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await applications.FindByClientIdAsync(clientId, _ct) is null)
        {
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = clientId,
                ClientSecret = Secret,
                ClientType = ClientTypes.Confidential,
                DisplayName = "DPoP Wallet",
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials, Permissions.Prefixes.Scope + "accounts" },
            };
            descriptor.Properties[PlatformClaims.OrganisationId] = JsonSerializer.SerializeToElement(DevelopmentSeed.DemoOrganisationId);
            descriptor.Properties["require_dpop"] = JsonSerializer.SerializeToElement(requireDpop);
            await applications.CreateAsync(descriptor, _ct);
        }

        return clientId;
    }

    /// <summary>A JWT's payload, decoded here (not by the platform's libraries).</summary>
    internal static JsonElement Payload(string jwt)
        => JsonDocument.Parse(Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(jwt.Split('.')[1]))).RootElement.Clone();
}

/// <summary>Identity with server nonces on (<c>Identity:Dpop:RequireNonce</c>).</summary>
public sealed class NonceIdentityFactory : ServiceFactory<Program>
{
    public NonceIdentityFactory() => WithSetting("Identity:Dpop:RequireNonce", "true");
}

public sealed class DpopNonceTests(NonceIdentityFactory factory) : IClassFixture<NonceIdentityFactory>
{
    [Fact]
    public async Task WithNoncesOn_AProofWithoutTheNonceGetsOne_AndTheRetryWithItGetsTheToken()
    {
        var wallet = new Wallet(() => factory.CreateClient(), () => factory.CreateClient());
        using var key = DpopKey.Es256();
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "accounts" };

        var (status, body, nonce) = await wallet.TokenAsync(form, key);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("use_dpop_nonce", body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(nonce));

        var (bogusStatus, bogus, _) = await wallet.TokenAsync(form, key, nonce: "not-a-nonce-of-this-server");
        Assert.Equal(HttpStatusCode.BadRequest, bogusStatus);
        Assert.Equal("use_dpop_nonce", bogus.GetProperty("error").GetString());

        var (retryStatus, retry, next) = await wallet.TokenAsync(form, key, nonce: nonce);
        Assert.True(retryStatus == HttpStatusCode.OK, retry.ToString());
        Assert.Equal("DPoP", retry.GetProperty("token_type").GetString());
        Assert.False(string.IsNullOrEmpty(next));
    }
}
