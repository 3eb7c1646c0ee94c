using Microsoft.Playwright;
using OpenBanking.Shared;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>The API reference's VRP page, in both versions: its operations (v4.0's PATCH only there), axe-clean.</summary>
public sealed class VrpReferenceTests(PlatformFixture platform, BrowserFixture browser)
{
    private Uri Portal => platform.EndpointOf(PlatformServices.Portal);

    [Fact]
    public async Task VrpReference_ShowsItsOperationsInBothVersions_AxeClean()
    {
        var page = await browser.NewPageAsync(Portal);
        var violations = new List<string>();
        foreach (var (version, migration) in new[] { ("", false), ("?version=4.0", true) })
        {
            await page.GotoAsync("/reference/vrp" + version);
            await PartnerAccounts.WaitInteractiveAsync(page);
            await Expect(page.GetByTestId("api-title")).ToHaveTextAsync("Variable Recurring Payments API");
            await Expect(page.Locator("[data-operation-id='domesticVrpPost']")).ToBeAttachedAsync();
            await Expect(page.Locator("[data-operation-id='domesticVrpConsentsFundsConfirmation']")).ToBeAttachedAsync();
            await Expect(page.Locator("[data-operation-id='domesticVrpConsentsPatch']")).ToHaveCountAsync(migration ? 1 : 0);
            violations.AddRange(await Axe.SeriousViolationsAsync(page, "/reference/vrp" + version));
        }

        Assert.True(violations.Count == 0, string.Join(System.Environment.NewLine, violations));
    }
}
