using System.Net;
using System.Text;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Portal.Components.Pages.Reference;
using OpenBanking.Portal.Reference;

namespace OpenBanking.Portal.ComponentTests.Reference;

/// <summary>The callback catcher: what arrived, what each part means, and finishing a try-it authorisation server-side.</summary>
public sealed class CallbackCatcherTests : PortalTestContext
{
    private const string Issuer = "https://identity.example/";
    private const string Secret = "s3cret-under-test";
    private readonly TokenStub _identity = new();
    private readonly BrowserAuthorisations _authorisations = new(TimeProvider.System);

    public CallbackCatcherTests()
    {
        Services.AddSingleton(_authorisations);
        Services.AddSingleton(TimeProvider.System);
        Services.AddScoped<ConsoleSession>();
        Services.AddScoped<ApiConsole>();
        Services.AddScoped<ConsoleAccess>();
        Services.AddSingleton(_ => new ConsoleRateLimiter(new ConfigurationBuilder().Build()));
        Services.AddSingleton<IHttpClientFactory>(new StubFactory(_identity));
        Authorization.SetAuthorized("Dev");
        Authorization.SetClaims(new System.Security.Claims.Claim("sub", "developer-1"));
        RenderInteractively();
        Render<MudBlazor.MudPopoverProvider>();
    }

    [Fact]
    public void Code_StateAndIss_AreShownAndExplained_AndAnUnknownStateIsCalledOut()
    {
        var page = RenderCatcher($"?code=the-code&state=not-mine&iss={Uri.EscapeDataString(Issuer)}");

        Assert.Equal("the-code", page.Find("[data-testid=catcher-code-value]").TextContent);
        Assert.Equal("not-mine", page.Find("[data-testid=catcher-state-value]").TextContent);
        Assert.Equal(Issuer, page.Find("[data-testid=catcher-iss-value]").TextContent);
        Assert.Contains("single use", page.Find("[data-testid=catcher-row-code]").TextContent, StringComparison.Ordinal);
        Assert.Contains("does not match any authorisation you started", page.Find("[data-testid=catcher-state-check]").TextContent, StringComparison.Ordinal);
        Assert.Contains("must check that state equals the value it sent", page.Find("[data-testid=catcher-state-check]").TextContent, StringComparison.Ordinal);
        Assert.Contains("this platform's issuer", page.Find("[data-testid=catcher-iss-check]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=catcher-exchange]"));
        Assert.NotNull(page.Find("[data-testid=catcher-own-app]"));
        Assert.Empty(_identity.Requests);
    }

    [Fact]
    public void AnIssuerThatIsNotThisPlatforms_IsAMixUp_AndTheCodeIsNotOfferedForExchange()
    {
        var started = Start();
        var page = RenderCatcher($"?code=the-code&state={started.State}&iss={Uri.EscapeDataString("https://evil.example/")}");

        var check = page.Find("[data-testid=catcher-iss-check]").TextContent;
        Assert.Contains("https://evil.example/", check, StringComparison.Ordinal);
        Assert.Contains("must reject", check, StringComparison.Ordinal);
        Assert.Contains("mix-up", check, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=catcher-exchange]"));
    }

    [Fact]
    public void AnError_IsShownWithItsDescriptionAndWhatToDo()
    {
        var page = RenderCatcher($"?error=access_denied&error_description={Uri.EscapeDataString("The user denied the request.")}&state=s&iss={Uri.EscapeDataString(Issuer)}");

        var error = page.Find("[data-testid=catcher-error]").TextContent;
        Assert.Contains("access_denied", error, StringComparison.Ordinal);
        Assert.Contains("The user denied the request.", error, StringComparison.Ordinal);
        Assert.Contains("The customer declined", error, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=catcher-row-code]"));
    }

    [Fact]
    public void MissingState_IsExplained()
    {
        var page = RenderCatcher($"?code=c&iss={Uri.EscapeDataString(Issuer)}");

        Assert.Contains("No state arrived", page.Find("[data-testid=catcher-state-check]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingReceived_SaysHowToUseIt()
    {
        var page = RenderCatcher(string.Empty);

        Assert.NotNull(page.Find("[data-testid=catcher-empty]"));
        Assert.Equal("http://localhost/callback", page.Find("[data-testid=catcher-url]").TextContent);
    }

    [Fact]
    public void AnAuthorisationStartedInTryIt_IsExchangedServerSide_WithTheKeptVerifier_AndTheWayBackIsOffered()
    {
        var started = Start();
        var completed = new List<string>();
        _authorisations.Completed += completed.Add;
        var page = RenderCatcher($"?code=the-code&state={started.State}&iss={Uri.EscapeDataString(Issuer)}");
        Assert.Contains("matches the authorisation you started", page.Find("[data-testid=catcher-state-check]").TextContent, StringComparison.Ordinal);

        page.Find("[data-testid=catcher-exchange]").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=catcher-token-ready]")));
        var request = Assert.Single(_identity.Requests);
        Assert.Contains("code=the-code", request.Form, StringComparison.Ordinal);
        Assert.Contains("code_verifier=" + started.Pkce.Verifier, request.Form, StringComparison.Ordinal);
        Assert.Contains("redirect_uri=" + Uri.EscapeDataString("http://localhost/callback"), request.Form, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, page.Markup, StringComparison.Ordinal);
        Assert.Equal($"/reference/ais?authorisation={started.State}", page.Find("[data-testid=catcher-return]").GetAttribute("href"));
        Assert.Equal([started.State], completed);
        Assert.Equal("customer-token", _authorisations.Find("developer-1", started.State)!.AccessToken);
    }

    [Fact]
    public void AnAuthorisationStartedOnTheV40Reference_LeadsBackToTheV40Page()
    {
        var started = _authorisations.Start("developer-1", "pis", new ApiCredentials("demo-wallet", Secret), "http://localhost/callback", "c-4", PkcePair.Create(), ObieVersion.V4);
        var page = RenderCatcher($"?code=the-code&state={started.State}&iss={Uri.EscapeDataString(Issuer)}");

        page.Find("[data-testid=catcher-exchange]").Click();

        page.WaitForAssertion(() => Assert.Equal($"/reference/pis?version=4.0&authorisation={started.State}", page.Find("[data-testid=catcher-return]").GetAttribute("href")));
    }

    [Fact]
    public void SomeoneElsesAuthorisation_IsNotContinued()
    {
        var started = _authorisations.Start("developer-2", "ais", new ApiCredentials("demo-wallet", Secret), "http://localhost/callback", "c-1", PkcePair.Create());
        var page = RenderCatcher($"?code=the-code&state={started.State}&iss={Uri.EscapeDataString(Issuer)}");

        Assert.Contains("does not match", page.Find("[data-testid=catcher-state-check]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=catcher-exchange]"));
    }

    private BrowserAuthorisation Start()
        => _authorisations.Start("developer-1", "ais", new ApiCredentials("demo-wallet", Secret), "http://localhost/callback", "c-1", PkcePair.Create());

    private IRenderedComponent<CallbackCatcherPage> RenderCatcher(string query)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/callback" + query);
        return Render<CallbackCatcherPage>();
    }

    private sealed record SentRequest(string Path, string Form);

    private sealed class TokenStub : HttpMessageHandler
    {
        public List<SentRequest> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(new SentRequest(request.RequestUri!.AbsolutePath, await request.Content!.ReadAsStringAsync(cancellationToken)));
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"access_token":"customer-token","token_type":"Bearer","expires_in":300}""", Encoding.UTF8, "application/json"),
            };
        }
    }

    private sealed class StubFactory(TokenStub handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { BaseAddress = new Uri("http://identity") };
    }
}
