using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Portal.Components.Layout;
using OpenBanking.Portal.Components.Pages;

namespace OpenBanking.Portal.ComponentTests;

public sealed class LayoutTests : PortalTestContext
{
    [Fact]
    public void MainLayout_ShowsThePlatformNameAndTheNavigation()
    {
        RenderInteractively();
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));

        Assert.Equal("Open Banking Developer Platform", layout.Find("[data-testid=platform-name]").TextContent.Trim());
        Assert.Contains("Platform status", layout.Find("[data-testid=nav-drawer]").TextContent);
        Assert.Contains("page body", layout.Markup);
        Assert.NotEmpty(layout.FindAll("[data-testid=interactive]"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PageControls_AreDisabled_UntilTheCircuitIsInteractive(bool interactive)
    {
        Renderer.SetRendererInfo(new RendererInfo(interactive ? "Server" : "Static", isInteractive: interactive));

        var layout = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<button>Submit</button>"))));

        Assert.Equal(!interactive, layout.Find("[data-testid=page-content]").HasAttribute("disabled"));
        Assert.Equal(interactive, layout.FindAll("[data-testid=interactive]").Count == 1);
    }

    [Fact]
    public void Anonymous_SeesSignIn_ThatReturnsToTheCurrentPage()
    {
        RenderInteractively();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/status");
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(_ => { })));

        Assert.Equal("/account/sign-in?returnUrl=%2Fstatus", layout.Find("[data-testid=sign-in]").GetAttribute("href"));
        Assert.Empty(layout.FindAll("[data-testid=sign-out]"));
    }

    [Fact]
    public void SignedInUser_SeesTheirNameAndAnAntiforgeryProtectedSignOut()
    {
        Authorization.SetAuthorized("Demo Wallet Developer");
        RenderInteractively();
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(_ => { })));

        Assert.Equal("Demo Wallet Developer", layout.Find("[data-testid=signed-in-user]").TextContent.Trim());
        var form = layout.Find("[data-testid=sign-out-form]");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("/account/sign-out", form.GetAttribute("action"));
        Assert.Empty(layout.FindAll("[data-testid=sign-in]"));
    }

    [Fact]
    public void ThemeToggle_SwitchesItsLabelBetweenDarkAndLight()
    {
        RenderInteractively();
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(_ => { })));
        var toggle = () => layout.Find("[data-testid=theme-toggle]");

        Assert.Equal("Switch to dark theme", toggle().GetAttribute("aria-label"));
        toggle().Click();

        Assert.Equal("Switch to light theme", toggle().GetAttribute("aria-label"));
    }

    [Fact]
    public void Home_FirstCallSnippet_UsesTheConfiguredAuthorizationServer()
    {
        var home = Render<Home>();

        var snippet = home.Find("[data-testid=first-call]").TextContent;
        Assert.Contains("https://identity.example/connect/token", snippet);
        Assert.Contains("-u demo-wallet:demo-wallet-secret", snippet);
    }
}
