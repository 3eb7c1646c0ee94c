using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenBanking.Shared;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// Issue 22: a fresh partner user finds their account page from the user menu, downloads their data, and deletes their
/// account — refused first without the typed confirmation, then done: signed out, on a public page, unable to sign in.
/// </summary>
public sealed class AccountPrivacyTests(PlatformFixture platform, BrowserFixture browser)
{
    private Uri Portal => platform.EndpointOf(PlatformServices.Portal);

    private Uri Identity => platform.EndpointOf(PlatformServices.Identity);

    [Fact]
    public async Task FreshUser_DownloadsTheirData_ThenDeletesTheirAccount_AndEndsSignedOutOnAPublicPage()
    {
        var email = $"leaver-{Guid.NewGuid():N}@wallet.example";
        var page = await browser.NewPageAsync(Portal);
        await PartnerAccounts.RegisterAsync(page, Identity, email, "Lee Leaver");
        await PartnerAccounts.SignInToPortalAsync(page, Portal, email, PartnerAccounts.Password);

        await page.GetByTestId("account-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account$"));
        await Expect(page.GetByTestId("account-email")).ToHaveTextAsync(email);
        await PartnerAccounts.WaitInteractiveAsync(page);
        Axe.AssertNone(await Axe.SeriousViolationsAsync(page, "/account"));
        await Screenshots.SaveAsync(page, "account-privacy");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-data").ClickAsync());
        Assert.Matches("^my-data.*\\.json$", download.SuggestedFilename);
        var export = JsonDocument.Parse(await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(email, export.GetProperty("identity").GetProperty("account").GetProperty("email").GetString());
        Assert.True(export.GetProperty("identity").GetProperty("account").GetProperty("emailConfirmed").GetBoolean());
        Assert.Equal(0, export.GetProperty("portal").GetProperty("memberships").GetArrayLength());

        // Without the typed address nothing happens, and the field says why.
        await page.GetByTestId("delete-account").ClickAsync();
        await Expect(page.GetByText("Type your e-mail address (" + email + ") to confirm.")).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account$"));

        await page.GetByLabel("Type your e-mail address to confirm").FillAsync(email);
        await page.GetByTestId("delete-account").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/account/goodbye$"));
        await Expect(page.GetByTestId("account-deleted")).ToHaveTextAsync("Your account was deleted");
        await Expect(page.GetByTestId("sign-in")).ToBeVisibleAsync();

        // The account is gone: signing in again is refused at Identity.
        await page.GotoAsync("/account/sign-in?returnUrl=%2Faccount");
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await PartnerAccounts.FillSignInAsync(page, email, PartnerAccounts.Password);
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await Expect(page.GetByText("The email address or password is not right.")).ToBeVisibleAsync();
    }
}
