using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenBanking.Shared;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>The API reference's version switch in a real browser: the address, the open operation, the way back.</summary>
public sealed class ReferenceVersionTests(PlatformFixture platform, BrowserFixture browser)
{
    [Fact]
    public async Task VersionSwitch_KeepsTheOpenOperation_AndBackReturnsToV3111()
    {
        var page = await browser.NewPageAsync(platform.EndpointOf(PlatformServices.Portal));
        await page.GotoAsync("/reference/ais");
        await PartnerAccounts.WaitInteractiveAsync(page);
        var balances = page.Locator("[data-operation-id=GetAccountsAccountIdBalances]");
        await balances.GetByTestId("operation-toggle").ClickAsync();
        await Expect(balances.GetByTestId("operation-body")).ToBeVisibleAsync();

        await page.GetByTestId("version-v4.0").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"/reference/ais\?version=4\.0&operation=GetAccountsAccountIdBalances#op-GetAccountsAccountIdBalances$"));
        await Expect(page.GetByTestId("version-v4.0")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(balances.GetByTestId("operation-toggle")).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(balances.GetByTestId("operation-path")).ToHaveTextAsync("/open-banking/v4.0/aisp/accounts/{AccountId}/balances");
        await Expect(page.GetByTestId("version-note")).ToContainTextAsync("ISO 20022");

        await page.GoBackAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"/reference/ais$"));
        await Expect(page.GetByTestId("version-v3.1.11")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.GetByTestId("operation-path").First).ToContainTextAsync("/open-banking/v3.1/aisp/");
    }
}
