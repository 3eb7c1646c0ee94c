using Microsoft.Playwright;
using OpenBanking.Shared;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// The partner's FX page with the whole platform: the desk's rates and chart from the Sandbox, booking a contract in the
/// dialog (a missing amount refused in words first), the contract listed; axe-clean in both themes at 1440 and 390
/// pixels, dialog open too, and nothing wider than a phone's screen.
/// </summary>
public sealed class FxPageTests(PlatformFixture platform, BrowserFixture browser)
{
    private Uri Portal => platform.EndpointOf(PlatformServices.Portal);

    [Fact]
    public async Task Partner_SeesTheRates_AndBooksAContract_OnDesktopAndPhone()
    {
        var page = await browser.NewPageAsync(Portal);
        await PartnerAccounts.SignInToPortalAsync(page, Portal, DevelopmentSeed.PartnerEmail, "Partner!2345", "/sandbox/fx");
        await Expect(page.GetByTestId("fx-customer-rate").First).ToContainTextAsync("1 GBP = ");
        await Expect(page.GetByTestId("fx-chart")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("fx-chart-summary")).ToContainTextAsync("over the last 7 days");

        var violations = new List<string>();
        foreach (var (width, height) in new[] { (1440, 900), (Screenshots.PhoneWidth, Screenshots.PhoneHeight) })
        {
            await page.SetViewportSizeAsync(width, height);
            if (width == Screenshots.PhoneWidth)
            {
                Assert.Null(await PageWidth.OverflowAsync(page));
            }

            foreach (var dark in new[] { false, true })
            {
                await Theme.SetAsync(page, dark);
                violations.AddRange(await Axe.SeriousViolationsAsync(page, $"{width}px · {(dark ? "dark" : "light")}"));
            }

            await Theme.SetAsync(page, dark: false);
        }

        // On the phone: book a contract; without an amount the dialog says what is missing and books nothing.
        await page.GetByTestId("fx-book").ClickAsync();
        var dialog = page.GetByTestId("fx-book-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await page.GetByTestId("fx-book-submit").ClickAsync();
        await Expect(page.GetByTestId("form-errors")).ToContainTextAsync("Enter the amount the contract is for.");
        Assert.Null(await PageWidth.OverflowAsync(page));
        violations.AddRange(await Axe.SeriousViolationsAsync(page, "390px · dialog open"));

        // MudTextField puts the test id on its input.
        await page.Locator("input[data-testid=fx-book-amount]").FillAsync("1250.00");
        await page.GetByTestId("fx-book-submit").ClickAsync();

        await Expect(dialog).ToBeHiddenAsync();
        var booked = page.GetByTestId("fx-contract-id").First;
        await Expect(booked).ToContainTextAsync("fxc-");
        await Expect(page.GetByTestId("fx-contracts")).ToContainTextAsync("1250.00 EUR");
        Assert.True(violations.Count == 0, string.Join(System.Environment.NewLine, violations));
    }
}
