using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>A partner developer signs in to the Portal at Identity (OpenID Connect, code + PKCE through PAR) and out again.</summary>
public sealed class PortalSignInTests(PlatformFixture platform, BrowserFixture browser)
{
    [Fact]
    public async Task Partner_SignsInAtIdentity_AndComesBackSignedIn_ThenSignsOut()
    {
        var page = await browser.NewPageAsync(platform.EndpointOf("portal"));
        await page.GotoAsync("/status");
        await page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        await page.GetByTestId("sign-in").ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.GetByLabel("Email").FillAsync("dev@demo-wallet.example");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("Partner!2345");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(platform.EndpointOf("portal").Port + "/status$"));
        await page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("Demo Wallet Developer");

        await page.GetByTestId("sign-out").ClickAsync();
        await page.GetByTestId("sign-in").WaitForAsync();
        await Expect(page.GetByTestId("signed-in-user")).ToHaveCountAsync(0);
    }
}
