using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenBanking.Shared;
using OtpNet;
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

        await page.GotoAsync("/account/register");
        await page.GetByTestId("email").FillAsync(email);
        await page.GetByTestId("display-name").FillAsync("End-to-end Partner");
        await page.GetByTestId("password").FillAsync(password);
        await page.GetByTestId("confirm-password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByTestId("check-email")).ToBeVisibleAsync();

        await page.GotoAsync("/dev/mail");
        await page.GetByTestId("mail-item").Filter(new() { HasText = email }).GetByTestId("open-mail").ClickAsync();
        await page.GetByTestId("mail-body").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByTestId("email-confirmed")).ToBeVisibleAsync();

        await SignInAsync(page, email, password);
        await Expect(page).ToHaveURLAsync(new Regex("/account$"));
        await page.GetByTestId("manage-two-factor").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code to add the Sandbox Bank Developer Platform to your authenticator app" })).ToBeVisibleAsync();
        var key = await page.GetByTestId("shared-key").TextContentAsync() ?? string.Empty;
        var authenticator = new Totp(Base32Encoding.ToBytes(key.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant()));
        await page.GetByLabel("Verification code").FillAsync(authenticator.ComputeTotp());
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify and turn on" }).ClickAsync();
        await Expect(page.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(10);

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
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
