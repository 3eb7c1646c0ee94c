using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenBanking.Shared;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// Go-live in a real browser: the partner opens a new app's Go-live tab (the readiness report computed from what the
/// platform's services answer), requests production access with a note; the bank's admin opens the frozen report in the
/// review queue and approves; the app then shows "Production approved".
/// </summary>
public sealed class ProductionAccessTests(PlatformFixture platform, BrowserFixture browser)
{
    private Uri Portal => platform.EndpointOf(PlatformServices.Portal);

    [Fact]
    public async Task Partner_RequestsProductionAccess_AdminApprovesFromTheReviewQueue_AndTheAppIsProductionApproved()
    {
        var appName = "Go-live " + Guid.NewGuid().ToString("N")[..6];
        var partner = await browser.NewPageAsync(Portal);
        await PartnerAccounts.SignInToPortalAsync(partner, Portal, DevelopmentSeed.PartnerEmail, "Partner!2345", "/apps/new");
        var clientId = await CreateAppAsync(partner, appName);

        // The Go-live tab: the report (whatever the services could answer, each missing one named) and the request form.
        await partner.GotoAsync($"/apps/{clientId}/go-live");
        await PartnerAccounts.WaitInteractiveAsync(partner);
        await Expect(partner.GetByTestId("readiness-verdict")).ToBeVisibleAsync();
        await Expect(partner.GetByTestId("golive-scope-note")).ToContainTextAsync("Issuing production credentials is out of scope");
        await Expect(partner.GetByTestId("readiness-check")).Not.ToHaveCountAsync(0);
        await partner.GetByTestId("production-note").FillAsync("We launch on 1 February.");
        await Screenshots.SaveAsync(partner, "app-go-live");
        await partner.GetByTestId("request-production").ClickAsync();
        await Expect(partner.GetByTestId("production-access-state")).ToContainTextAsync("The bank is reviewing your request");
        await Expect(partner.GetByTestId("production-requests")).ToContainTextAsync(DevelopmentSeed.PartnerEmail);

        // The admin sees the request with the report as it was, and approves it.
        var admin = await browser.NewPageAsync(Portal);
        await AdminAccount.SignInToPortalAsync(admin, Portal, "/admin/review");
        var row = admin.GetByTestId("production-requests-queue").Locator("tr").Filter(new() { HasText = appName });
        await Expect(row).ToBeVisibleAsync();
        await row.GetByTestId("open-production-report").ClickAsync();
        var dialog = admin.GetByTestId("production-request-dialog");
        await Expect(dialog.GetByTestId("production-request-note")).ToHaveTextAsync("We launch on 1 February.");
        await Expect(dialog.GetByTestId("readiness-verdict")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(admin, "admin-production-request");
        await admin.GetByTestId("production-request-close").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await row.GetByTestId("approve-production").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);

        // The partner's app now shows the decision.
        await partner.ReloadAsync();
        await PartnerAccounts.WaitInteractiveAsync(partner);
        await Expect(partner.GetByTestId("production-approved")).ToBeVisibleAsync();
        await Expect(partner.GetByTestId("production-access-state")).ToContainTextAsync("Production approved");
        await Expect(partner.GetByTestId("request-production")).ToHaveCountAsync(0);
    }

    /// <summary>Creates an app on /apps/new (the demo organisation is approved) and returns its client id.</summary>
    private static async Task<string> CreateAppAsync(IPage page, string name)
    {
        await page.GetByTestId("app-name").FillAsync(name);
        await page.GetByTestId("app-redirect-uris").FillAsync("http://localhost:5005/callback");
        await page.GetByTestId("app-submit").ClickAsync();
        await Expect(page.GetByTestId("secret-dialog")).ToBeVisibleAsync();
        var clientId = await page.GetByTestId("client-id").InputValueAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "I have stored the client secret" }).CheckAsync();
        await page.GetByTestId("secret-done").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/apps/{Regex.Escape(clientId)}$"));
        return clientId;
    }
}
