using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenBanking.Shared;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// The Portal's patterns in a real browser (docs/portal.md, "Forms, layout and theme patterns"): every form error at
/// once with the values kept, the theme chosen before the first paint, one-line app bar and no page overflow at
/// 390 px, and a focused page heading without a focus box.
/// </summary>
public sealed class PortalFormsAndLayoutTests(PlatformFixture platform, BrowserFixture browser)
{
    private const string DemoPartnerPassword = "Partner!2345";

    private Uri Portal => platform.EndpointOf("portal");

    [Fact]
    public async Task CreateAppForm_WithABadNameAndAJavascriptUri_ShowsBothErrorsAtOnce_AndKeepsTheValues()
    {
        var page = await browser.NewPageAsync(Portal);
        await PartnerAccounts.SignInToPortalAsync(page, Portal, DevelopmentSeed.PartnerEmail, DemoPartnerPassword, "/apps/new");

        await page.GetByTestId("app-name").FillAsync("W");
        await page.GetByTestId("app-redirect-uris").FillAsync("javascript:alert(1)");
        await page.GetByTestId("app-submit").ClickAsync();

        await Expect(page.GetByText("Use 2 to 100 characters for the name.")).ToBeVisibleAsync();
        await Expect(page.GetByText("'javascript:alert(1)': use an https:// address (or http://localhost in the sandbox).")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("app-name")).ToHaveValueAsync("W");
        await Expect(page.GetByTestId("app-redirect-uris")).ToHaveValueAsync("javascript:alert(1)");
        await Expect(page).ToHaveURLAsync(new Regex("/apps/new$"));
    }

    [Fact]
    public async Task DarkTheme_SurvivesAReload_AndThePrerenderedPageIsAlreadyDark()
    {
        var page = await browser.NewPageAsync(Portal);
        await page.GotoAsync("/");
        await PartnerAccounts.WaitInteractiveAsync(page);
        var lightBackground = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");

        await page.GetByTestId("theme-toggle").ClickAsync();
        await page.WaitForFunctionAsync("() => document.cookie.includes('portal-theme=dark')");

        // The server's own HTML (what paints before any script runs) is dark already: no flash of the light theme.
        var prerendered = await (await page.Context.APIRequest.GetAsync("/")).TextAsync();
        Assert.Contains("aria-label=\"Switch to light theme\"", prerendered, StringComparison.Ordinal);

        await page.ReloadAsync();
        await Expect(page.GetByTestId("theme-toggle")).ToHaveAttributeAsync("aria-label", "Switch to light theme");
        await Expect(page.Locator("body")).Not.ToHaveCSSAsync("background-color", lightBackground);
        await PartnerAccounts.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("theme-toggle")).ToHaveAttributeAsync("aria-label", "Switch to light theme");
    }

    [Fact]
    public async Task PageHeading_AfterNavigation_HasFocus_WithoutAVisibleOutline()
    {
        var page = await browser.NewPageAsync(Portal);
        await page.GotoAsync("/");
        await PartnerAccounts.WaitInteractiveAsync(page);

        await page.GetByTestId("nav-drawer").GetByRole(AriaRole.Link, new() { Name = "Platform status" }).ClickAsync();

        var heading = page.GetByRole(AriaRole.Heading, new() { Level = 1 });
        await Expect(page).ToHaveURLAsync(new Regex("/status$"));
        await Expect(heading).ToBeFocusedAsync();
        Assert.Equal("none", await heading.EvaluateAsync<string>("h => getComputedStyle(h).outlineStyle"));
    }

    [Fact]
    public async Task AtPhoneWidth_TheAppBarIsOneLine_AndThePaymentsPageFitsTheScreen()
    {
        var page = await browser.NewPageAsync(Portal);
        await page.SetViewportSizeAsync(390, 844);
        await PartnerAccounts.SignInToPortalAsync(page, Portal, DevelopmentSeed.PartnerEmail, DemoPartnerPassword, "/payments");

        await Expect(page.GetByTestId("payments-table")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("sign-out")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("theme-toggle")).ToBeVisibleAsync();
        // One toolbar line is 56 px on phones; a wrapped bar is at least twice that.
        var appBar = await page.Locator("header.mud-appbar").BoundingBoxAsync();
        Assert.InRange(appBar!.Height, 40, 72);
        // Below the Md breakpoint the payments are cards (MudTable's small-device mode), and nothing scrolls sideways.
        await Expect(page.GetByTestId("payments-table")).ToHaveClassAsync(new Regex(@"\bmud-sm-table\b"));
        Assert.Null(await PageWidth.OverflowAsync(page));
    }
}
