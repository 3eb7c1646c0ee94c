using Bunit;
using Microsoft.AspNetCore.Components;
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
