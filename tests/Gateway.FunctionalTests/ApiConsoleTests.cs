extern alias portal;

using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using portal::OpenBanking.Portal.Extensions;
using portal::OpenBanking.Portal.Reference;

namespace OpenBanking.Gateway.FunctionalTests;

/// <summary>The Portal's try-it console against the real Identity, Gateway and Sandbox: the guided AIS consent flow end to end.</summary>
public sealed class ApiConsoleTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly List<Uri> _sent = [];

    private ApiConsole Console() => new(new PlatformClients(platform, _sent), Options.Create(new PlatformOptions()),
        new ConsoleAccess(new SignedInDeveloper(), new ConsoleRateLimiter(new ConfigurationBuilder().Build())), new ConsoleSession(TimeProvider.System));

    private sealed class SignedInDeveloper : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync()
            => Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "developer-" + Guid.NewGuid().ToString("N"))], "test"))));
    }

    [Fact]
    public async Task GuidedAccountsFlow_TokenConsentAuthorisationAndCodeExchange_EndsWith200OnAccounts()
    {
        var console = Console();
        var credentials = new ApiCredentials("demo-wallet", "demo-wallet-secret");

        var token = await console.ClientCredentialsTokenAsync(credentials, "accounts", _ct);
        Assert.True(token.Status == 200, token.ResponseBody);

        var consent = await console.CallGatewayAsync("POST", ApiInfo.Accounts.ConsentPath, token.Value("access_token")!,
            ConsoleDefaults.AccountAccessConsent, null, _ct);
        Assert.True(consent.Status == 201, consent.ResponseBody);
        Assert.Equal("AwaitingAuthorisation", consent.Value("Data", "Status"));
        Assert.NotNull(consent.InteractionId);

        var pkce = PkcePair.Create();
        var par = await console.PushAuthorizationRequestAsync(credentials, ConsoleDefaults.RedirectUri, "openid accounts",
            consent.Value("Data", "ConsentId")!, "state-1", "nonce-1", pkce, _ct);
        Assert.True(par.Status == 201, par.ResponseBody);

        var authorize = await console.SandboxAuthorizeAsync(credentials, par.Value("request_uri")!,
            ConsoleDefaults.Username, ConsoleDefaults.Password, ConsoleDefaults.Otp, approve: true, _ct);
        Assert.True(authorize.Status == 200, authorize.ResponseBody);
        Assert.Contains("password=••••••••", authorize.RequestBody, StringComparison.Ordinal);
        var redirect = ApiConsole.RedirectParameters(authorize.Value("redirect_uri"));
        Assert.Equal("state-1", redirect["state"]);

        var exchange = await console.ExchangeCodeAsync(credentials, redirect["code"], ConsoleDefaults.RedirectUri, pkce.Verifier, _ct);
        Assert.True(exchange.Status == 200, exchange.ResponseBody);

        var accounts = await console.CallGatewayAsync("GET", "/open-banking/v3.1/aisp/accounts", exchange.Value("access_token")!, null, null, _ct);
        Assert.True(accounts.Status == 200, accounts.ResponseBody);
        Assert.NotEmpty(accounts.Json!["Data"]!["Account"]!.AsArray());
        Assert.Contains(accounts.RequestHeaders, h => h.Key == "Authorization" && h.Value == "Bearer " + ApiConsole.Masked);
        Assert.Equal(accounts.InteractionId, accounts.RequestHeaders.Single(h => h.Key == "x-fapi-interaction-id").Value);
        Assert.Equal("http://localhost:5002/open-banking/v3.1/aisp/accounts", accounts.Url);
    }

    [Fact]
    public async Task WrongSecret_ComesBackAsTheOAuthError_NotAnException()
    {
        var token = await Console().ClientCredentialsTokenAsync(new ApiCredentials("demo-wallet", "wrong"), "accounts", _ct);

        Assert.Equal((int)HttpStatusCode.Unauthorized, token.Status);
        Assert.StartsWith("invalid_client", token.ErrorSummary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerOperation_WithAClientToken_ShowsTheGatewaysRefusal()
    {
        var console = Console();
        var token = await console.ClientCredentialsTokenAsync(new ApiCredentials("demo-wallet", "demo-wallet-secret"), "accounts", _ct);

        var accounts = await console.CallGatewayAsync("GET", "/open-banking/v3.1/aisp/accounts", token.Value("access_token")!, null, null, _ct);

        // The token is valid but of the wrong kind: authenticated, then refused by the route's policy.
        Assert.Equal((int)HttpStatusCode.Forbidden, accounts.Status);
        Assert.Contains("needs a customer token", accounts.ErrorSummary, StringComparison.Ordinal);
        Assert.NotNull(accounts.InteractionId);
    }

    [Theory]
    [InlineData("https://attacker.example/open-banking/v3.1/aisp/accounts")]
    [InlineData("//attacker.example/open-banking/v3.1/aisp/accounts")]
    [InlineData("/open-banking/v3.1/../../health")]
    [InlineData("/open-banking/v3.1/%2e%2e/%2e%2e/health")]
    [InlineData("/open-banking/v3.1/aisp/%2F%2Fattacker.example")]
    [InlineData("/connect/token")]
    [InlineData("open-banking/v3.1/aisp/accounts")]
    public async Task PathsOutsideTheOpenBankingApis_AreRefused_WithoutARequest(string path)
    {
        var result = await Console().CallGatewayAsync("GET", path, "token", null, null, _ct);

        Assert.Null(result.Status);
        Assert.Contains("/open-banking/v3.1/", result.Error, StringComparison.Ordinal);
        Assert.Empty(_sent);
    }

    /// <summary>The console's two named clients, on the in-memory Identity and Gateway (neither follows redirects); notes every request.</summary>
    private sealed class PlatformClients(GatewayPlatform platform, List<Uri> sent) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => name == ApiConsole.IdentityClientName
            ? platform.Identity.CreateDefaultClient(new Uri("http://localhost"), new Noting(sent))
            : platform.Gateway.CreateDefaultClient(new Uri("http://localhost"), new Noting(sent));
    }

    private sealed class Noting(List<Uri> sent) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            sent.Add(request.RequestUri!);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
