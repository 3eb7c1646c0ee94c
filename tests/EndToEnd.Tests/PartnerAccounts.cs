using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OtpNet;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>What a person does at Identity in the browser: sign up and confirm the address, sign in, enrol an authenticator.</summary>
internal static class PartnerAccounts
{
    public const string Password = "Browser-Pass-42";

    /// <summary>Creates an account at Identity and confirms its address through the Development mailbox.</summary>
    public static async Task RegisterAsync(IPage page, Uri identity, string email, string displayName, string password = Password)
    {
        await page.GotoAsync(new Uri(identity, "/account/register").ToString());
        await page.GetByTestId("email").FillAsync(email);
        await page.GetByTestId("display-name").FillAsync(displayName);
        await page.GetByTestId("password").FillAsync(password);
        await page.GetByTestId("confirm-password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByTestId("check-email")).ToBeVisibleAsync();

        await page.GotoAsync(new Uri(identity, "/dev/mail").ToString());
        await ConfirmFromDevelopmentMailAsync(page, email);
    }

    /// <summary>On the Development mail page: opens the confirmation mail to <paramref name="email"/> and follows its link.</summary>
    public static async Task ConfirmFromDevelopmentMailAsync(IPage page, string email)
    {
        await page.GetByTestId("mail-item").Filter(new() { HasText = email }).GetByTestId("open-mail").ClickAsync();
        await page.GetByTestId("mail-body").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByTestId("email-confirmed")).ToBeVisibleAsync();
    }

    /// <summary>Fills Identity's sign-in form (the page must be showing it).</summary>
    public static async Task FillSignInAsync(IPage page, string email, string password)
    {
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Signs in to the Portal through Identity and waits for the Portal's page to be interactive.</summary>
    public static async Task SignInToPortalAsync(IPage page, Uri portal, string email, string password, string returnUrl = "/")
    {
        await page.GotoAsync(new Uri(portal, "/account/sign-in?returnUrl=" + Uri.EscapeDataString(returnUrl)).ToString());
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await FillSignInAsync(page, email, password);
        await Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(portal.GetLeftPart(UriPartial.Authority))));
        await WaitInteractiveAsync(page);
    }

    /// <summary>Enrols an authenticator on Identity's two-factor page (the page must be showing it); returns the generator.</summary>
    public static async Task<Totp> EnrolAuthenticatorAsync(IPage page)
    {
        var key = await page.GetByTestId("shared-key").TextContentAsync() ?? string.Empty;
        var authenticator = new Totp(Base32Encoding.ToBytes(key.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant()));
        await page.GetByLabel("Verification code").FillAsync(authenticator.ComputeTotp());
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify and turn on" }).ClickAsync();
        await Expect(page.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(10);
        return authenticator;
    }

    /// <summary>Before the circuit is up, clicks on prerendered HTML are lost.</summary>
    public static Task WaitInteractiveAsync(IPage page)
        => page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
}
