using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenBanking.Shared;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// Journey 2 of issue 14 in Chromium across the real services: from the Portal's try-it console the partner starts an
/// authorisation, the test customer signs in and approves at the bank in a new tab, the bank redirects to the Portal's
/// callback catcher, which shows code/state/iss and exchanges the code server-side; back in the console the customer's
/// token makes an account call. Also the app page's deep links and its edit dialog.
/// </summary>
public sealed class BrowserConsentTests(PlatformFixture platform, BrowserFixture browser)
{
    private const string PartnerPassword = "Partner!2345";

    private Uri Portal => platform.EndpointOf(PlatformServices.Portal);

    private Uri Identity => platform.EndpointOf(PlatformServices.Identity);

    private async Task<string> IssuerAsync()
    {
        using var identity = new HttpClient { BaseAddress = Identity };
        var discovery = await identity.GetFromJsonAsync<System.Text.Json.JsonElement>("/.well-known/openid-configuration", TestContext.Current.CancellationToken);
        return discovery.GetProperty("issuer").GetString()!;
    }

    [Fact]
    public async Task TryIt_CustomerAuthorisesInTheBrowser_CatcherShowsTheAnswer_AndTheTokenMakesAnAccountCall()
    {
        var page = await browser.NewPageAsync(Portal, clipboard: true);
        await PartnerAccounts.SignInToPortalAsync(page, Portal, DevelopmentSeed.PartnerEmail, PartnerPassword, "/sandbox");

        // The test customer's credentials, as the sandbox page shows them.
        var alice = page.GetByTestId("test-customer").Filter(new() { HasText = "alice" });
        var password = (await alice.GetByTestId("customer-password").TextContentAsync())!.Trim();
        var code = (await page.GetByTestId("static-code").TextContentAsync())!.Trim();

        await page.GotoAsync($"/reference/ais?clientId={DevelopmentSeed.DemoAppClientId}");
        await PartnerAccounts.WaitInteractiveAsync(page);
        await Field(page, "client-secret").FillAsync("demo-wallet-secret");
        await page.GetByTestId("consent-flow-panel").ClickAsync();
        var flow = page.GetByTestId("consent-flow");
        await flow.GetByTestId("flow-consent").ClickAsync();
        await Expect(Field(flow, "flow-consent-id")).Not.ToHaveValueAsync("");
        await Expect(Field(flow, "flow-redirect-uri")).ToHaveValueAsync(new Uri(Portal, "/callback").ToString());

        await flow.GetByTestId("flow-browser-start").ClickAsync();
        var bank = await page.RunAndWaitForPopupAsync(() => flow.GetByTestId("flow-browser-open").ClickAsync());

        // At the bank: sign in, second factor, choose the account, approve.
        await bank.GetByLabel("Username").FillAsync("alice");
        await bank.GetByLabel("Password").FillAsync(password);
        await bank.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await bank.GetByLabel("Security code").FillAsync(code);
        await bank.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await bank.GetByTestId("account-choice").First.CheckAsync();
        await bank.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        // The catcher: what arrived, checked.
        await Expect(bank).ToHaveURLAsync(new Regex("^" + Regex.Escape(new Uri(Portal, "/callback").ToString()) + @"\?"));
        await PartnerAccounts.WaitInteractiveAsync(bank);
        await Expect(bank.GetByTestId("catcher-code-value")).Not.ToBeEmptyAsync();
        await Expect(bank.GetByTestId("catcher-state-value")).Not.ToBeEmptyAsync();
        // The issuer is the configured one (http://localhost:5001/ in Development), not the test run's random port.
        await Expect(bank.GetByTestId("catcher-iss-value")).ToHaveTextAsync(await IssuerAsync());
        await Expect(bank.GetByTestId("catcher-state-check")).ToContainTextAsync("matches the authorisation you started");
        await Expect(bank.GetByTestId("catcher-iss-check")).ToContainTextAsync("is this platform's issuer");

        await bank.GetByTestId("catcher-exchange").ClickAsync();
        await Expect(bank.GetByTestId("catcher-token-ready")).ToBeVisibleAsync();
        await Expect(bank.GetByTestId("exchange-status")).ToContainTextAsync("200");

        // The tab that started it has the token too.
        await Expect(flow.GetByTestId("flow-browser-done")).ToBeVisibleAsync();

        // Back to the console from the catcher: the token is ready, and an account call succeeds with it.
        await bank.GetByTestId("catcher-return").ClickAsync();
        await Expect(bank).ToHaveURLAsync(new Regex(@"/reference/ais\?authorisation="));
        var resumed = bank.GetByTestId("consent-flow");
        await Expect(resumed.GetByTestId("flow-resumed")).ToBeVisibleAsync();
        var tryIt = resumed.GetByTestId("try-it");
        await Expect(tryIt).ToContainTextAsync("Uses the customer's access token");
        await tryIt.GetByTestId("try-send").ClickAsync();
        await Expect(tryIt.GetByTestId("exchange-status")).ToContainTextAsync("200");
        await Expect(tryIt.GetByTestId("exchange-response")).ToContainTextAsync("\"AccountId\"");
    }

    /// <summary>A MudBlazor field's input, whether the test id landed on the input or on its wrapper.</summary>
    private static ILocator Field(IPage page, string testId)
        => page.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input");

    private static ILocator Field(ILocator scope, string testId)
        => scope.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input");

    [Fact]
    public async Task AppPage_TabsHaveTheirOwnAddresses_BackWorks_AndTheEditDialogClosesOnEscape()
    {
        var page = await browser.NewPageAsync(Portal, clipboard: true);
        var app = $"/apps/{DevelopmentSeed.DemoAppClientId}";
        await PartnerAccounts.SignInToPortalAsync(page, Portal, DevelopmentSeed.PartnerEmail, PartnerPassword, app + "/calls");

        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Call log" })).ToHaveAttributeAsync("aria-selected", "true");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Quickstart" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(app) + "/quickstart$"));
        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(app) + "/calls$"));
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Call log" })).ToHaveAttributeAsync("aria-selected", "true");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Overview" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(app) + "$"));

        await page.GetByTestId("copy-client-id").ClickAsync();
        await Expect(page.GetByTestId("copy-client-id-status")).ToHaveTextAsync("client ID copied");
        Assert.Equal(DevelopmentSeed.DemoAppClientId, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));

        await page.GetByTestId("edit-app").ClickAsync();
        var dialog = page.GetByTestId("edit-app-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(Field(dialog, "edit-app-name")).ToBeInViewportAsync();
        // MudBlazor attaches the dialog's key handler after its first render; under load a key pressed before that is
        // lost (a person would press again). Press until the dialog has gone, each press waiting on its removal.
        for (var attempt = 1; ; attempt++)
        {
            await page.Keyboard.PressAsync("Escape");
            try
            {
                await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 5_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 6)
            {
            }
        }

        await Expect(dialog).ToHaveCountAsync(0);

        // On a phone the section is a select: the current one is always visible.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(app + "/usage");
        await PartnerAccounts.WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("app-section-select")).ToBeVisibleAsync();
        await Expect(Field(page, "app-section-select").First).ToHaveValueAsync("Usage");
    }
}
