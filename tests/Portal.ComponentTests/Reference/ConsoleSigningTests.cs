using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bunit;
using Jose;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Portal.Components.Pages.Reference;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;
using OpenBanking.Portal.Reference;

namespace OpenBanking.Portal.ComponentTests.Reference;

/// <summary>
/// The try-it console's message signing and DPoP, through the real <see cref="ApiConsole"/> over a fake Identity and
/// gateway that check what arrives with jose-jwt (a JOSE library the Portal does not use).
/// </summary>
public sealed class ConsoleSigningTests : PortalTestContext
{
    private const string PaymentConsents = "/open-banking/v3.1/pisp/domestic-payment-consents";
    private const string Body = """{"Data":{"Initiation":{"InstructedAmount":{"Amount":"10.00","Currency":"GBP"}}},"Risk":{}}""";
    private readonly FakePlatform _platform = new();
    private readonly FakeSecurity _security = new();

    public ConsoleSigningTests()
    {
        Services.AddSingleton(TimeProvider.System);
        Services.AddScoped<ConsoleSession>();
        Services.AddScoped<ApiConsole>();
        Services.AddScoped<ConsoleAccess>();
        Services.AddSingleton(_ => new ConsoleRateLimiter(new ConfigurationBuilder().Build()));
        Services.AddSingleton<IHttpClientFactory>(new FakeFactory(_platform));
        Services.AddSingleton<IAppSecurity>(_security);
        Authorization.SetAuthorized("Dev");
        Authorization.SetClaims(new System.Security.Claims.Claim("sub", "developer-1"));
        RenderInteractively();
    }

    private ConsoleSession Session => Services.GetRequiredService<ConsoleSession>();

    private ApiConsole Console => Services.GetRequiredService<ApiConsole>();

    [Fact]
    public async Task WhenTheAppRequiresSigning_APaymentConsentCarriesAnXJwsSignature_ThatVerifiesWithTheConsolesPublicKey()
    {
        Session.ClientId = "app_abc";
        Session.UseAppSettings("app_abc", "org-1", requireSignedRequests: true, requireDpop: false, []);

        var exchange = await Console.CallGatewayAsync("POST", PaymentConsents, "token-1", Body, null, CancellationToken.None);

        var request = _platform.Requests.Single();
        Assert.Equal("Bearer token-1", request.Authorization);
        var signature = request.Headers["x-jws-signature"];
        using var publicKey = PublicKeyOf(Session.SigningPublicJwks);
        Assert.Equal(Encoding.UTF8.GetBytes(Body), JWT.VerifyBytes(signature, publicKey, JwsAlgorithm.PS256, null, request.Body));
        var header = JWT.Headers(signature);
        Assert.Equal(Session.SigningKid, header["kid"]);
        Assert.Matches("^console-[0-9]{12}$", Session.SigningKid);
        Assert.Equal("org-1/app_abc", header["http://openbanking.org.uk/iss"]);
        // The page shows what was sent, signature included.
        Assert.Contains(exchange.RequestHeaders, h => h.Key == "x-jws-signature" && h.Value == signature);
        Assert.DoesNotContain("token-1", string.Join(" ", exchange.RequestHeaders.Select(h => h.Value)));
    }

    [Fact]
    public async Task AnAccountsCall_AndAnAppThatDoesNotRequireSigning_SendNoSignature()
    {
        Session.ClientId = "app_abc";
        Session.UseAppSettings("app_abc", "org-1", requireSignedRequests: true, requireDpop: false, []);
        await Console.CallGatewayAsync("POST", "/open-banking/v3.1/aisp/account-access-consents", "token-1", """{"Data":{},"Risk":{}}""", null, CancellationToken.None);
        Session.UseAppSettings("app_abc", "org-1", requireSignedRequests: false, requireDpop: false, []);
        await Console.CallGatewayAsync("POST", PaymentConsents, "token-1", Body, null, CancellationToken.None);

        Assert.All(_platform.Requests, r => Assert.False(r.Headers.ContainsKey("x-jws-signature")));
        Assert.True(ApiConsole.TakesSignature("PUT", "/open-banking/v4.0/event-subscriptions/es-1"));
        Assert.False(ApiConsole.TakesSignature("POST", "/open-banking/v3.1/events"));
        Assert.False(ApiConsole.TakesSignature("GET", PaymentConsents + "/c-1"));
    }

    [Fact]
    public async Task WithDpop_TheTokenRequestCarriesAProof_TheBoundTokenGoesAsDpop_WithAProofNamingTheCallAndTheToken()
    {
        Session.ClientId = "app_abc";
        Session.ClientSecret = "secret";
        Session.UseAppSettings("app_abc", "org-1", requireSignedRequests: false, requireDpop: true, []);
        _platform.TokenType = "DPoP";

        var token = await Console.ClientCredentialsTokenAsync(Session.Credentials, "payments", CancellationToken.None);
        await Console.CallGatewayAsync("GET", PaymentConsents + "/c-1?x=1", token.Value("access_token")!, null, null, CancellationToken.None);

        var (tokenRequest, call) = (_platform.Requests[0], _platform.Requests[1]);
        var tokenProof = Verify(tokenRequest.Headers["DPoP"]);
        Assert.Equal("POST", tokenProof.GetProperty("htm").GetString());
        Assert.Equal("https://identity.example/connect/token", tokenProof.GetProperty("htu").GetString());
        Assert.False(tokenProof.TryGetProperty("ath", out _));

        Assert.Equal("DPoP bound-token", call.Authorization);
        var proof = Verify(call.Headers["DPoP"]);
        Assert.Equal("GET", proof.GetProperty("htm").GetString());
        Assert.Equal("https://gateway.example" + PaymentConsents + "/c-1", proof.GetProperty("htu").GetString());
        Assert.Equal(Base64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes("bound-token"))), proof.GetProperty("ath").GetString());
        Assert.NotEqual(tokenProof.GetProperty("jti").GetString(), proof.GetProperty("jti").GetString());
    }

    [Fact]
    public async Task WhenIdentityAsksForANonce_TheConsoleRetriesOnce_WithTheNonceInTheProof()
    {
        Session.ClientId = "app_abc";
        Session.ClientSecret = "secret";
        Session.UseDpop = true;
        _platform.TokenType = "DPoP";
        _platform.NonceFirst = "nonce-1";

        var exchange = await Console.ClientCredentialsTokenAsync(Session.Credentials, "accounts", CancellationToken.None);

        Assert.Equal(2, _platform.Requests.Count);
        Assert.False(Verify(_platform.Requests[0].Headers["DPoP"]).TryGetProperty("nonce", out _));
        Assert.Equal("nonce-1", Verify(_platform.Requests[1].Headers["DPoP"]).GetProperty("nonce").GetString());
        Assert.Equal(200, exchange.Status);
        Assert.Contains("use_dpop_nonce", exchange.Note);
        Assert.True(Session.IsDpopBound("bound-token"));
    }

    [Fact]
    public void RegisterThisConsolesKey_AddsItsPublicHalfToTheApp()
    {
        _security.Answer = new IdentityClient("app_abc", "Wallet", "org-1", "Org", [], [], "client_secret_basic", false, false, null, true, false, []);
        Session.ClientId = "app_abc";
        var panel = Render<ConsoleSecurity>();
        panel.WaitForAssertion(() => Assert.Contains("requires signed requests", panel.Find("[data-testid=console-security-app]").TextContent));
        _security.Answer = _security.Answer with { MessageSigningKeys = [new SigningKey(Session.SigningKid, "RSA", "PS256", 2048, "t")] };

        panel.Find("[data-testid=console-register-key]").Click();

        panel.WaitForAssertion(() => Assert.True(Session.ConsoleKeyRegistered));
        using var set = JsonDocument.Parse(Assert.Single(_security.Added)!);
        var key = Assert.Single(set.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal(Session.SigningKid, key.GetProperty("kid").GetString());
        Assert.False(key.TryGetProperty("d", out _));
        Assert.Empty(panel.FindAll("[data-testid=console-register-key]"));
    }

    /// <summary>Verifies a DPoP proof with jose-jwt and the key in its own jwk header; returns its claims.</summary>
    private static JsonElement Verify(string proof)
    {
        var header = JWT.Headers(proof);
        Assert.Equal("dpop+jwt", header["typ"]);
        using var jwk = JsonDocument.Parse(JsonSerializer.Serialize(header["jwk"]));
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.Decode(jwk.RootElement.GetProperty("x").GetString()!), Y = Base64Url.Decode(jwk.RootElement.GetProperty("y").GetString()!) },
        });
        return JsonDocument.Parse(JWT.Decode(proof, key, JwsAlgorithm.ES256)).RootElement.Clone();
    }

    private static RSA PublicKeyOf(string jwks)
    {
        using var set = JsonDocument.Parse(jwks);
        var key = set.RootElement.GetProperty("keys")[0];
        return RSA.Create(new RSAParameters
        {
            Modulus = Base64Url.Decode(key.GetProperty("n").GetString()!),
            Exponent = Base64Url.Decode(key.GetProperty("e").GetString()!),
        });
    }

    private sealed record SeenRequest(string Path, string? Authorization, Dictionary<string, string> Headers, byte[]? Body);

    private sealed class FakePlatform : HttpMessageHandler
    {
        public List<SeenRequest> Requests { get; } = [];
        public string TokenType { get; set; } = "Bearer";
        public string? NonceFirst { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
            Requests.Add(new SeenRequest(request.RequestUri!.AbsolutePath, request.Headers.Authorization?.ToString(), headers,
                request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken)));
            if (request.RequestUri.AbsolutePath == "/connect/token")
            {
                if (NonceFirst is { } nonce)
                {
                    NonceFirst = null;
                    var refusal = Json(HttpStatusCode.BadRequest, """{"error":"use_dpop_nonce","error_description":"Use the nonce."}""");
                    refusal.Headers.Add("DPoP-Nonce", nonce);
                    return refusal;
                }

                return Json(HttpStatusCode.OK, $$"""{"access_token":"bound-token","token_type":"{{TokenType}}","expires_in":300}""");
            }

            return Json(HttpStatusCode.Created, """{"Data":{"ConsentId":"c-1"},"Risk":{}}""");
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string body)
            => new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    private sealed class FakeFactory(FakePlatform handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false)
        {
            BaseAddress = new Uri(name == ApiConsole.IdentityClientName ? "http://identity" : "http://gateway"),
        };
    }

    private sealed class FakeSecurity : IAppSecurity
    {
        public IdentityClient? Answer { get; set; }
        public List<string?> Added { get; } = [];

        public Task<IdentityClient?> FindAsync(string clientId, CancellationToken ct = default) => Task.FromResult(Answer);

        public Task<IdentityClient> SetRequirementsAsync(string clientId, bool? requireSignedRequests, bool? requireDpop, CancellationToken ct = default)
            => Task.FromResult(Answer!);

        public Task<IdentityClient> AddSigningKeysAsync(string clientId, string? jwks, CancellationToken ct = default)
        {
            Added.Add(jwks);
            return Task.FromResult(Answer!);
        }

        public Task<IdentityClient> RemoveSigningKeyAsync(string clientId, string kid, CancellationToken ct = default) => Task.FromResult(Answer!);
    }
}

/// <summary>What the try-it panel says about signing and DPoP for the operation shown.</summary>
public sealed class TryItSigningNoteTests : PortalTestContext
{
    public TryItSigningNoteTests()
    {
        Services.AddSingleton(TimeProvider.System);
        Services.AddScoped<ConsoleSession>();
        Services.AddScoped<ApiConsole>();
        Services.AddScoped<ConsoleAccess>();
        Services.AddSingleton(_ => new ConsoleRateLimiter(new ConfigurationBuilder().Build()));
        Services.AddSingleton<IHttpClientFactory>(new NoNetwork());
        RenderInteractively();
        Render<MudBlazor.MudPopoverProvider>();
    }

    [Fact]
    public void APaymentConsent_SaysWhichKeySignsIt_AndThatItMustBeRegistered_AnAccountsOperationSaysNothing()
    {
        var session = Services.GetRequiredService<ConsoleSession>();
        session.ClientId = "app_abc";
        session.UseAppSettings("app_abc", "org-1", requireSignedRequests: true, requireDpop: true, []);
        var catalog = new ApiCatalog(Microsoft.Extensions.Options.Options.Create(new ApiReferenceOptions()));
        var payments = catalog.Get(ApiInfo.Payments).Operations.First(o => o.Method == "POST" && o.FullPath.EndsWith("/domestic-payment-consents", StringComparison.Ordinal));
        var accounts = catalog.Get(ApiInfo.Accounts).Operations.First(o => o.Method == "POST");

        var panel = Render<TryItPanel>(p => p.Add(x => x.Api, ApiInfo.Payments).Add(x => x.Operation, payments));
        var other = Render<TryItPanel>(p => p.Add(x => x.Api, ApiInfo.Accounts).Add(x => x.Operation, accounts));

        Assert.Contains($"signed with the console's key {session.SigningKid}", panel.Find("[data-testid=try-signing]").TextContent);
        Assert.Contains("Register that key on the app first", panel.Find("[data-testid=try-signing]").TextContent);
        Assert.Contains("Authorization: DPoP", panel.Find("[data-testid=try-dpop]").TextContent);
        Assert.Empty(other.FindAll("[data-testid=try-signing]"));
    }

    private sealed class NoNetwork : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("No call is made by rendering.");
    }
}
