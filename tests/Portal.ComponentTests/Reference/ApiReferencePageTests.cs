using System.Net;
using System.Text;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenBanking.Portal.Components.Pages.Reference;
using OpenBanking.Portal.Reference;

namespace OpenBanking.Portal.ComponentTests.Reference;

public sealed class ApiReferencePageTests : PortalTestContext
{
    private const string Secret = "s3cret-under-test";
    private const string AccessToken = "eyJhbGciOiJQUzI1NiJ9.client-token.signature";
    private readonly StubHandler _platform = new();
    private int _callsPerWindow = 100;

    public ApiReferencePageTests()
    {
        // The real catalog (the spec files ship in the Portal's output) and the real console over a stubbed network.
        Services.AddSingleton(new ApiCatalog(Options.Create(new ApiReferenceOptions())));
        Services.AddSingleton(TimeProvider.System);
        Services.AddScoped<ConsoleSession>();
        Services.AddScoped<ApiConsole>();
        Services.AddScoped<ConsoleAccess>();
        Services.AddSingleton<BrowserAuthorisations>();
        // Read when the page first renders, so a test can lower it; the hour-long window never rolls over mid-test.
        Services.AddSingleton(_ => new ConsoleRateLimiter(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ApiReference:Console:CallsPerWindow"] = _callsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ApiReference:Console:Window"] = "01:00:00",
        }).Build()));
        Services.AddSingleton<IHttpClientFactory>(new StubFactory(_platform));
        Authorization.SetAuthorized("Dev");
        Authorization.SetClaims(new System.Security.Claims.Claim("sub", "developer-1"));
        RenderInteractively();
        Render<MudBlazor.MudPopoverProvider>();
    }

    [Fact]
    public void AccountsReference_ListsTheOperationsGroupedByTag()
    {
        var page = RenderPage();

        Assert.Equal("Account and Transaction API", page.Find("[data-testid=api-title]").TextContent.Trim());
        var paths = page.FindAll("[data-testid=operation-path]").Select(p => p.TextContent).ToList();
        Assert.Contains("/open-banking/v3.1/aisp/account-access-consents", paths);
        Assert.Contains("/open-banking/v3.1/aisp/accounts/{AccountId}/balances", paths);
        var groups = page.FindAll("[data-testid=tag-group] h3").Select(h => h.TextContent.Trim()).ToList();
        Assert.Contains("Account Access", groups);
        Assert.Contains("Balances", groups);
        Assert.Equal(paths.Count + " operations", page.Find("[data-testid=result-count]").TextContent.Trim());
        Assert.All(page.FindAll("[data-testid=operation-toggle]"), b => Assert.Equal("false", b.GetAttribute("aria-expanded")));
    }

    [Fact]
    public void Search_FiltersByPathOperationIdAndSchemaName()
    {
        var page = RenderPage();

        InputOf(page, "search").Input("balances");
        page.WaitForAssertion(() => Assert.All(page.FindAll("[data-testid=operation-path]"), p => Assert.Contains("balances", p.TextContent, StringComparison.Ordinal)));
        Assert.Contains("of", page.Find("[data-testid=result-count]").TextContent, StringComparison.Ordinal);

        InputOf(page, "search").Input("OBReadConsent1");
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=operation]"), o => o.GetAttribute("data-operation-id") == "CreateAccountAccessConsents"));

        InputOf(page, "search").Input("no-such-operation");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=operation]")));
        Assert.StartsWith("0 of", page.Find("[data-testid=result-count]").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void ExpandedOperation_ShowsParametersRequiredFieldsEnumsAndAnExample()
    {
        var page = RenderPage();

        var toggle = Toggle(page, "CreateAccountAccessConsents");
        toggle.Click();

        toggle = Toggle(page, "CreateAccountAccessConsents");
        Assert.Equal("true", toggle.GetAttribute("aria-expanded"));
        Assert.NotNull(page.Find("#" + toggle.GetAttribute("aria-controls")));
        var parameters = page.FindAll("[data-testid=parameter]").Select(p => p.GetAttribute("data-name")).ToList();
        Assert.Contains("x-fapi-interaction-id", parameters);
        Assert.Contains("x-fapi-auth-date", parameters);

        var schema = page.Find("[data-testid=request-schema]");
        var permissions = schema.QuerySelectorAll("[data-testid=schema-property]").Single(p => p.GetAttribute("data-name") == "Permissions");
        Assert.NotNull(permissions.QuerySelector("[data-testid=required]"));
        Assert.Contains("ReadAccountsBasic", permissions.QuerySelector("[data-testid=enum-values]")!.TextContent, StringComparison.Ordinal);
        var expiration = schema.QuerySelectorAll("[data-testid=schema-property]").Single(p => p.GetAttribute("data-name") == "ExpirationDateTime");
        Assert.Null(expiration.QuerySelector("[data-testid=required]"));
        Assert.Contains("string (date-time)", expiration.TextContent, StringComparison.Ordinal);

        Assert.Contains("\"Permissions\"", page.Find("[data-testid=request-example]").TextContent, StringComparison.Ordinal);
        Assert.Contains(page.FindAll("[data-testid=response]"), r => r.GetAttribute("data-status") == "201");
    }

    [Fact]
    public void ClientId_IsPrefilledFromTheQuery_AndTryIt_AsksForTheSecretBeforeCallingAnything()
    {
        var page = RenderPage("?clientId=demo-wallet");
        Toggle(page, "CreateAccountAccessConsents").Click();

        Send(page).Click();

        Assert.Equal("demo-wallet", InputOf(page, "client-id").GetAttribute("value"));
        Assert.Equal("password", InputOf(page, "client-secret").GetAttribute("type"));
        Assert.Contains("client secret", page.Find("[data-testid=try-validation]").TextContent, StringComparison.Ordinal);
        Assert.Empty(_platform.Requests);
    }

    [Fact]
    public void TryIt_DisablesSendWhileRunning_AndShowsTheExchangesWithAuthorizationMasked()
    {
        var page = RenderPage("?clientId=demo-wallet");
        InputOf(page, "client-secret").Input(Secret);
        Toggle(page, "CreateAccountAccessConsents").Click();

        Send(page).Click();

        page.WaitForAssertion(() =>
        {
            var send = Send(page);
            Assert.True(send.HasAttribute("disabled"));
            Assert.Contains("Sending", send.TextContent, StringComparison.Ordinal);
        });
        _platform.Release();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=exchange]").Count));

        Assert.False(Send(page).HasAttribute("disabled"));
        var requests = page.FindAll("[data-testid=exchange-request]").Select(r => r.TextContent).ToList();
        Assert.Contains("Authorization: Basic ••••••••", requests[0], StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer ••••••••", requests[1], StringComparison.Ordinal);
        Assert.Contains("POST https://gateway.example/open-banking/v3.1/aisp/account-access-consents", requests[1], StringComparison.Ordinal);
        Assert.DoesNotContain(AccessToken, requests[1], StringComparison.Ordinal);
        Assert.All(page.FindAll("[data-testid=exchange]"), e => Assert.DoesNotContain(Secret, e.TextContent, StringComparison.Ordinal));
        Assert.Contains("AwaitingAuthorisation", page.FindAll("[data-testid=exchange-response]")[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("ia-1", page.FindAll("[data-testid=interaction-id] code")[0].TextContent);
        Assert.Equal("Bearer " + AccessToken, _platform.Requests[1].Headers.Authorization!.ToString());
    }

    [Fact]
    public void TryIt_ShowsAnObieErrorClearly()
    {
        _platform.Release();
        _platform.ConsentStatus = HttpStatusCode.BadRequest;
        var page = RenderPage("?clientId=demo-wallet");
        InputOf(page, "client-secret").Input(Secret);
        Toggle(page, "CreateAccountAccessConsents").Click();

        Send(page).Click();

        page.WaitForAssertion(() => Assert.Contains("UK.OBIE.Field.Invalid (Data.Permissions)",
            page.Find("[data-testid=exchange-error]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void TryIt_OverThePersonsRateLimit_Shows429_AndSendsNothing()
    {
        _platform.Release();
        _callsPerWindow = 1;
        var page = RenderPage("?clientId=demo-wallet");
        InputOf(page, "client-secret").Input(Secret);
        Toggle(page, "CreateAccountAccessConsents").Click();

        Send(page).Click();

        page.WaitForAssertion(() => Assert.Contains("429 Too Many Requests",
            page.Find("[data-testid=exchange-error]").TextContent, StringComparison.Ordinal));
        Assert.Equal("/connect/token", Assert.Single(_platform.Requests).RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task SignedOut_SeesTheReferenceButNoConsole_AndTheConsoleRefusesToCall()
    {
        Authorization.SetNotAuthorized();
        var page = RenderPage("?clientId=demo-wallet");

        Assert.NotEmpty(page.FindAll("[data-testid=operation-path]"));
        Assert.NotNull(page.Find("[data-testid=console-sign-in]"));
        Assert.Empty(page.FindAll("[data-testid=credentials]"));
        Toggle(page, "CreateAccountAccessConsents").Click();
        Assert.Empty(page.FindAll("[data-testid=try-send]"));

        var exchange = await Services.GetRequiredService<ApiConsole>()
            .ClientCredentialsTokenAsync(new ApiCredentials("demo-wallet", Secret), "accounts", Xunit.TestContext.Current.CancellationToken);
        Assert.Equal(ConsoleAccess.SignInFirst, exchange.Error);
        Assert.Empty(_platform.Requests);
    }

    [Fact]
    public void WithoutAVersion_TheReferenceIsV3111_AndTheSwitchOffersV40()
    {
        var page = RenderPage();

        Assert.All(page.FindAll("[data-testid=operation-path]"), p => Assert.StartsWith("/open-banking/v3.1/aisp/", p.TextContent, StringComparison.Ordinal));
        var current = page.Find("[data-testid=version-switch] [aria-current=page]");
        Assert.Equal("v3.1.11", current.TextContent.Trim());
        Assert.Equal("reference/ais?version=4.0", page.Find("[data-testid='version-v4.0']").GetAttribute("href"));
    }

    [Fact]
    public void V40Reference_ListsTheV40Paths_WithTheirIsoStatusCodes()
    {
        var page = RenderPage("?version=4.0");

        Assert.Equal("v4.0", page.Find("[data-testid=version-switch] [aria-current=page]").TextContent.Trim());
        var paths = page.FindAll("[data-testid=operation-path]").Select(p => p.TextContent).ToList();
        Assert.Contains("/open-banking/v4.0/aisp/account-access-consents", paths);
        Assert.All(paths, p => Assert.StartsWith("/open-banking/v4.0/aisp/", p, StringComparison.Ordinal));
        Assert.Contains("https://gateway.example/open-banking/v4.0/aisp", page.Find("[data-testid=api-facts]").TextContent, StringComparison.Ordinal);
        Assert.Contains("guides/migrating-to-v4", page.Find("[data-testid=version-note]").InnerHtml, StringComparison.Ordinal);

        Toggle(page, "CreateAccountAccessConsents").Click();
        var status = page.FindAll("[data-testid=schema-property]").First(p => p.GetAttribute("data-name") == "Status");
        Assert.Contains("AWAU", status.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("AwaitingAuthorisation", status.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "GetAccountsAccountIdBalances", "reference/ais?version=4.0&operation=GetAccountsAccountIdBalances#op-GetAccountsAccountIdBalances")]
    [InlineData("?version=4.0", "GetAccountsAccountIdBalances", "reference/ais?operation=GetAccountsAccountIdBalances#op-GetAccountsAccountIdBalances")]
    [InlineData("?version=4.0&operation=CreateAccountAccessConsents", null, "reference/ais?operation=CreateAccountAccessConsents#op-CreateAccountAccessConsents")]
    public void Switch_KeepsTheOpenOperation(string query, string? open, string expected)
    {
        var page = RenderPage(query);
        if (open is not null)
        {
            Toggle(page, open).Click();
        }

        var other = page.FindAll("[data-testid=version-switch] a").Single(a => a.GetAttribute("aria-current") is null);

        Assert.Equal(expected, other.GetAttribute("href"));
    }

    [Fact]
    public void Switch_WithTheOperationClosedAgain_LeadsToTheTopOfTheOtherVersion()
    {
        var page = RenderPage();
        Toggle(page, "GetAccounts").Click();
        Toggle(page, "GetAccounts").Click();

        Assert.Equal("reference/ais?version=4.0", page.Find("[data-testid='version-v4.0']").GetAttribute("href"));
    }

    [Fact]
    public void UnknownVersion_SaysSo_AndLinksTheVersionsThereAre()
    {
        var page = RenderPage("?version=9.9");

        var message = page.Find("[data-testid=version-not-found]");
        Assert.Contains("9.9", message.TextContent, StringComparison.Ordinal);
        Assert.Equal(["reference/ais", "reference/ais?version=4.0"], message.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
        Assert.Empty(page.FindAll("[data-testid=operation]"));
    }

    [Fact]
    public void TryIt_OnV40_CallsTheV40Path_AndSendsTheV40Body()
    {
        _platform.Release();
        var page = RenderPage("?version=4.0&clientId=demo-wallet", api: "pis");
        InputOf(page, "client-secret").Input(Secret);
        Toggle(page, "CreateDomesticPaymentConsents").Click();

        page.Find("[data-operation-id=CreateDomesticPaymentConsents] [data-testid=try-send]").Click();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=exchange]").Count));
        var consent = _platform.Requests[1];
        Assert.Equal("/open-banking/v4.0/pisp/domestic-payment-consents", consent.RequestUri!.AbsolutePath);
        Assert.Contains("AWAU", page.FindAll("[data-testid=exchange-response]")[1].TextContent, StringComparison.Ordinal);
        var body = _platform.Bodies[1];
        Assert.Contains("\"Structured\"", body, StringComparison.Ordinal);
        Assert.Contains("\"CategoryPurposeCode\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsentFlow_OnV40_CreatesTheConsentAtTheV40Path_AndKeepsItApartFromV3111()
    {
        _platform.Release();
        var page = RenderPage("?version=4.0&clientId=demo-wallet");
        InputOf(page, "client-secret").Input(Secret);
        page.Find("[data-testid=consent-flow-panel] .mud-expand-panel-header").Click();

        Assert.Contains("POST /open-banking/v4.0/aisp/account-access-consents", page.Find("[data-testid=consent-flow]").TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=flow-consent]").Click();

        page.WaitForAssertion(() => Assert.Equal("c-4", InputOf(page, "flow-consent-id").GetAttribute("value")));
        Assert.Equal("/open-banking/v4.0/aisp/account-access-consents", _platform.Requests.Last().RequestUri!.AbsolutePath);
        var session = Services.GetRequiredService<ConsoleSession>();
        Assert.Equal("c-4", session.ConsentId(ObieVersion.V4.ConsoleKey(ApiInfo.Accounts)));
        Assert.Null(session.ConsentId(ApiInfo.Accounts.Key));
    }

    [Fact]
    public void UnknownApi_SaysSo()
    {
        var page = RenderPage(api: "nope");

        Assert.Contains("API not found", page.Markup, StringComparison.Ordinal);
    }

    private IRenderedComponent<ApiReference> RenderPage(string query = "", string api = "ais")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/reference/{api}{query}");
        return Render<ApiReference>(p => p.Add(x => x.ApiKey, api));
    }

    private static IElement Toggle(IRenderedComponent<ApiReference> page, string operationId)
        => page.Find($"[data-operation-id={operationId}] [data-testid=operation-toggle]");

    private static IElement Send(IRenderedComponent<ApiReference> page)
        => page.Find("[data-operation-id=CreateAccountAccessConsents] [data-testid=try-send]");

    private static IElement InputOf(IRenderedComponent<ApiReference> page, string testId)
    {
        var element = page.Find($"[data-testid={testId}]");
        return element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea")!;
    }

    /// <summary>Identity and the gateway as the console sees them; answers wait until the test releases them.</summary>
    private sealed class StubHandler : HttpMessageHandler
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<HttpRequestMessage> Requests { get; } = [];

        /// <summary>The body of each request, read when it was sent (the request is disposed after the call).</summary>
        public List<string?> Bodies { get; } = [];

        public HttpStatusCode ConsentStatus { get; set; } = HttpStatusCode.Created;

        public void Release() => _released.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            Bodies.Add(request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken));
            await _released.Task.WaitAsync(cancellationToken);
            if (request.RequestUri!.AbsolutePath == "/connect/token")
            {
                return Json(HttpStatusCode.OK, $$"""{"access_token":"{{AccessToken}}","token_type":"Bearer","expires_in":300}""");
            }

            var response = ConsentStatus == HttpStatusCode.Created
                ? Json(HttpStatusCode.Created, request.RequestUri.AbsolutePath.StartsWith("/open-banking/v4.0/", StringComparison.Ordinal)
                    ? """{"Data":{"ConsentId":"c-4","Status":"AWAU"},"Risk":{}}"""
                    : """{"Data":{"ConsentId":"c-1","Status":"AwaitingAuthorisation"},"Risk":{}}""")
                : Json(ConsentStatus, """{"Code":"400 BadRequest","Message":"Bad request","Errors":[{"ErrorCode":"UK.OBIE.Field.Invalid","Message":"No account permission","Path":"Data.Permissions"}]}""");
            response.Headers.Add("x-fapi-interaction-id", "ia-1");
            return response;
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string body)
            => new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    private sealed class StubFactory(StubHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false)
        {
            BaseAddress = new Uri(name == ApiConsole.IdentityClientName ? "http://identity" : "http://gateway"),
        };
    }
}
