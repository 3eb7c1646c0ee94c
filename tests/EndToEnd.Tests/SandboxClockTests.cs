using System.Globalization;
using Microsoft.Playwright;
using OpenBanking.Shared;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// The partner moves their sandbox bank's test clock from the Portal's Sandbox page: a day forward, seeing first what
/// will happen on the way, then confirming; the page shows the new time. The panel is axe-clean with the preview open
/// and usable on a 390 px phone. With <c>UPDATE_SCREENSHOTS=1</c> it renews the Sandbox page's screenshots.
/// </summary>
public sealed class SandboxClockTests(PlatformFixture platform, BrowserFixture browser)
{
    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    private Uri Portal => platform.EndpointOf(PlatformServices.Portal);

    [Fact]
    public async Task Partner_AdvancesTheClockADay_AfterSeeingWhatWillHappen_OnDesktopAndPhone()
    {
        var page = await browser.NewPageAsync(Portal);
        await PartnerAccounts.SignInToPortalAsync(page, Portal, DevelopmentSeed.PartnerEmail, "Partner!2345", "/sandbox");
        var now = page.GetByTestId("clock-now");
        await Expect(now).ToBeVisibleAsync();
        await Expect(page.GetByTestId("clock-state")).ToBeVisibleAsync();
        var before = Parse(await now.TextContentAsync());

        // On a phone: the whole move, nothing wider than the screen.
        await page.SetViewportSizeAsync(Screenshots.PhoneWidth, Screenshots.PhoneHeight);
        await page.GetByTestId("clock-advance-P1D").ClickAsync();
        await Expect(page.GetByTestId("clock-preview")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("clock-preview-range")).ToContainTextAsync("Advancing by a day");
        var confirm = page.GetByTestId("clock-confirm");
        await Expect(confirm).ToBeEnabledAsync();
        await Expect(confirm).ToHaveTextAsync("Advance by a day");
        Assert.Null(await PageWidth.OverflowAsync(page));
        var violations = new List<string>();
        violations.AddRange(await Axe.SeriousViolationsAsync(page, "390px, preview open"));
        await page.SetViewportSizeAsync(1440, 900);
        violations.AddRange(await Axe.SeriousViolationsAsync(page, "1440px, preview open"));
        Assert.True(violations.Count == 0, string.Join(System.Environment.NewLine, violations));

        await confirm.ClickAsync();

        // Either the move is done (the preview closes) or the panel says why not: fail with its words then.
        await page.WaitForFunctionAsync("() => !document.querySelector('[data-testid=clock-preview]') || document.querySelector('[data-testid=clock-error]')");
        var refusal = page.GetByTestId("clock-error");
        Assert.True(await refusal.CountAsync() == 0, "The move was refused: " + (await refusal.CountAsync() > 0 ? await refusal.TextContentAsync() : null));
        await Expect(now).Not.ToHaveTextAsync(Format(before));
        var after = Parse(await now.TextContentAsync());
        // A day on from where it stood — plus the minutes a running clock moved while the test ran.
        Assert.InRange(after - before, TimeSpan.FromDays(1), TimeSpan.FromDays(1) + TimeSpan.FromMinutes(30));

        // A date that is not after the clock's today is refused in words, before the bank is asked.
        await page.GetByTestId("clock-date").Locator("input").FillAsync(after.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByTestId("clock-date").Locator("input").PressAsync("Tab");
        await page.GetByTestId("clock-advance-date").ClickAsync();
        await Expect(page.GetByTestId("clock-error")).ToContainTextAsync("the sandbox clock never moves backwards");

        await page.ReloadAsync();
        await PartnerAccounts.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("clock-now")).ToBeVisibleAsync();
        await Screenshots.SaveVariantsAsync(page, "sandbox");
    }

    private static DateTimeOffset Parse(string? text)
        => DateTimeOffset.ParseExact((text ?? string.Empty).Trim(), "dddd d MMMM yyyy, HH:mm 'UTC'", EnGb, DateTimeStyles.AssumeUniversal);

    private static string Format(DateTimeOffset value) => value.ToString("dddd d MMMM yyyy, HH:mm 'UTC'", EnGb);
}
