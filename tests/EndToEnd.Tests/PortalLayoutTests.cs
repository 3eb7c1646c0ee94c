using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

public sealed class PortalLayoutTests(PlatformFixture platform, BrowserFixture browser)
{
    [Fact]
    public async Task Portal_InChromium_ShowsTheMudBlazorLayoutWithThePlatformName()
    {
        var page = await OpenPortalAsync("/");

        await Expect(page.GetByTestId("platform-name")).ToHaveTextAsync("Open Banking Developer Platform");
        await Expect(page.Locator("header.mud-appbar")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("nav-drawer")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("nav-drawer").GetByRole(AriaRole.Link, new() { Name = "Platform status" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Build on the bank's Open Banking APIs");
        await Expect(page).ToHaveTitleAsync("Open Banking Developer Platform");
    }

    [Fact]
    public async Task ThemeToggle_SwitchesBetweenLightAndDark()
    {
        var page = await OpenPortalAsync("/");
        var toggle = page.GetByTestId("theme-toggle");
        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");

        await Expect(toggle).ToHaveAttributeAsync("aria-label", "Switch to dark theme");
        await toggle.ClickAsync();
        await page.Mouse.MoveAsync(0, 0);

        await Expect(toggle).ToHaveAttributeAsync("aria-label", "Switch to light theme");
        await Expect(page.Locator("body")).Not.ToHaveCSSAsync("background-color", background);
    }

    [Fact]
    public async Task DrawerNavigation_OpensTheStatusPage_ShowingEveryServiceOperational()
    {
        var page = await OpenPortalAsync("/");

        await page.GetByTestId("nav-drawer").GetByRole(AriaRole.Link, new() { Name = "Platform status" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/status$"));
        var table = page.GetByTestId("status-table");
        await Expect(table.GetByText("Operational")).ToHaveCountAsync(3);
    }

    private async Task<IPage> OpenPortalAsync(string path)
    {
        var page = await browser.NewPageAsync(platform.EndpointOf("portal"));
        await page.GotoAsync(path);
        // Prerendered HTML shows before the interactive circuit is up; clicks before this marker are lost.
        await page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        return page;
    }
}
