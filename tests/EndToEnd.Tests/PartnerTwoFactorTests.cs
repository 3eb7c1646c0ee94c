using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenBanking.Shared;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>A partner developer's account in a real browser against Identity as the AppHost runs it.</summary>
public sealed class PartnerTwoFactorTests(PlatformFixture platform, BrowserFixture browser)
{
    [Fact]
    public async Task Partner_EnrolsAnAuthenticator_ThenSignsInAgainWithItsCode()
    {
        // A partner of its own, so the seeded partner keeps signing in with a password alone for other tests.
        var email = $"e2e-{Guid.NewGuid():N}@wallet.example";
        const string password = "Browser-Pass-42";
        var page = await browser.NewPageAsync(platform.EndpointOf(PlatformServices.Identity));

        await PartnerAccounts.RegisterAsync(page, platform.EndpointOf(PlatformServices.Identity), email, "End-to-end Partner", password);

        await SignInAsync(page, email, password);
        await Expect(page).ToHaveURLAsync(new Regex("/account$"));
        await page.GetByTestId("manage-two-factor").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code to add the Sandbox Bank Developer Platform to your authenticator app" })).ToBeVisibleAsync();
        var authenticator = await PartnerAccounts.EnrolAuthenticatorAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByTestId("signed-out")).ToBeVisibleAsync();

        await SignInAsync(page, email, password);
        await Expect(page).ToHaveURLAsync(new Regex("/account/loginwith2fa"));
        await page.GetByLabel("Authentication code").FillAsync(authenticator.ComputeTotp());
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify and sign in" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/account$"));
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
        await Expect(page.GetByTestId("two-factor-status")).ToHaveTextAsync("On");
    }

    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await PartnerAccounts.FillSignInAsync(page, email, password);
    }
}
