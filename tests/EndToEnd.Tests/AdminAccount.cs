using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenBanking.Shared;
using OtpNet;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// The seeded bank admin, shared by every test of the run: admins need a second factor, so the first sign-in enrols an
/// authenticator and later ones (in any test class, in any order) answer with its codes.
/// </summary>
internal static class AdminAccount
{
    public const string Password = "Admin!2345";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Totp? _authenticator;

    /// <summary>Signs the admin in to the Portal in <paramref name="page"/> and waits for <paramref name="returnUrl"/> to be interactive.</summary>
    public static async Task SignInToPortalAsync(IPage page, Uri portal, string returnUrl)
    {
        var signIn = new Uri(portal, "/account/sign-in?returnUrl=" + Uri.EscapeDataString(returnUrl)).ToString();
        await Gate.WaitAsync();
        try
        {
            await page.GotoAsync(signIn);
            await PartnerAccounts.FillSignInAsync(page, DevelopmentSeed.AdminEmail, Password);
            if (_authenticator is null)
            {
                await Expect(page).ToHaveURLAsync(new Regex("/account/manage/twofactor", RegexOptions.IgnoreCase));
                _authenticator = await PartnerAccounts.EnrolAuthenticatorAsync(page);
                await page.GotoAsync(signIn);
            }
            else
            {
                await Expect(page).ToHaveURLAsync(new Regex("/account/loginwith2fa", RegexOptions.IgnoreCase));
                await page.GetByLabel("Authentication code").FillAsync(_authenticator.ComputeTotp());
                await page.GetByRole(AriaRole.Button, new() { Name = "Verify and sign in" }).ClickAsync();
            }
        }
        finally
        {
            Gate.Release();
        }

        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(returnUrl.Split('?')[0]) + "(\\?.*)?$"));
        await PartnerAccounts.WaitInteractiveAsync(page);
    }
}
