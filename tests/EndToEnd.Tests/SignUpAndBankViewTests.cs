using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using OpenBanking.Shared;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// Issue 14's journeys 1 and 3 in Chromium across the real services. Sign-up from the Portal ends back in the Portal
/// at the page it started from (through the confirmation mail); a partner opens a test customer's bank view from the
/// sandbox page and the customer sees and withdraws a connected app, confirming first (Escape backs out).
/// </summary>
public sealed class SignUpAndBankViewTests(PlatformFixture platform, BrowserFixture browser)
{
    private const string RedirectUri = "http://localhost:5005/callback";
    private const string PartnerPassword = "Partner!2345";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private Uri Portal => platform.EndpointOf(PlatformServices.Portal);

    private Uri Identity => platform.EndpointOf(PlatformServices.Identity);

    [Fact]
    public async Task SignUpFromThePortal_ConfirmTheMail_SignIn_EndsOnThePortalPageItStartedFrom()
    {
        var email = $"signup-{Guid.NewGuid():N}@new-wallet.example";
        var page = await browser.NewPageAsync(Portal);

        // A Portal page that needs a session sends the person to Identity's sign-in, which offers to create an account.
        await page.GotoAsync("/account/sign-in?returnUrl=%2Fsandbox");
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await page.GetByTestId("register").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/register\\?returnUrl="));
        await Expect(page.GetByTestId("password-rules")).ToContainTextAsync("at least 10 characters");

        await page.GetByTestId("email").FillAsync(email);
        await page.GetByTestId("display-name").FillAsync("Sam Signup");
        await page.GetByTestId("password").FillAsync(PartnerAccounts.Password);
        await page.GetByTestId("confirm-password").FillAsync(PartnerAccounts.Password);
        await page.GetByTestId("create-account").ClickAsync();
        await Expect(page.GetByTestId("check-email")).ToBeVisibleAsync();

        // The check-email page says where Development mail is; the confirmation link carries the return address.
        await page.GetByTestId("dev-mail-link").ClickAsync();
        await PartnerAccounts.ConfirmFromDevelopmentMailAsync(page, email);
        await page.GetByTestId("sign-in").ClickAsync();
        await PartnerAccounts.FillSignInAsync(page, email, PartnerAccounts.Password);

        await Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(new Uri(Portal, "/sandbox").ToString()) + "$"));
        await PartnerAccounts.WaitInteractiveAsync(page);
    }

    [Fact]
    public async Task PartnerOpensACustomersBankView_TheCustomerSeesTheConnectedApp_AndWithdrawsItAfterConfirming()
    {
        var consentId = await ConnectedAppUsedOnceAsync("bob");
        var partner = await browser.NewPageAsync(Portal);
        await PartnerAccounts.SignInToPortalAsync(partner, Portal, DevelopmentSeed.PartnerEmail, PartnerPassword, "/sandbox");

        // The five personas in their documented order (in their own group: the team's own test customers, which other
        // tests add to this shared tenant, come before them), then the generated customers.
        var cards = partner.GetByTestId("test-customer");
        var personas = partner.GetByTestId("customers-personas").GetByTestId("test-customer");
        await Expect(personas.Nth(4)).ToBeVisibleAsync();
        string?[] firstFive = [.. await Task.WhenAll(Enumerable.Range(0, 5).Select(i => personas.Nth(i).GetAttributeAsync("data-username")))];
        Assert.Equal(["alice", "bob", "carol", "dave", "erin"], firstFive);
        await partner.SetViewportSizeAsync(390, 844);
        await ExpectNoHorizontalScrollAsync(partner);

        // The bank view opens in a new tab: the bank's sign-in for this tenant, username filled in.
        var bank = await partner.Context.RunAndWaitForPageAsync(() =>
            cards.Filter(new() { HasText = "bob" }).First.GetByTestId("bank-view").ClickAsync());
        await bank.BringToFrontAsync();
        await Expect(bank.GetByTestId("bank-name")).ToHaveTextAsync("Sandbox Bank");
        await Expect(bank.GetByTestId("customer-username")).ToHaveValueAsync("bob");
        await bank.GetByTestId("customer-password").FillAsync("sandbox");
        await bank.GetByTestId("customer-sign-in").ClickAsync();
        await bank.GetByLabel("Security code").FillAsync("123456");
        await bank.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(bank).ToHaveURLAsync(new Regex("/customer/apps$"));

        var app = bank.Locator($"[data-consent-id='{consentId}']");
        await Expect(app.GetByTestId("app-name")).ToHaveTextAsync("Demo Wallet");
        await Expect(app.GetByTestId("consent-kind")).ToHaveTextAsync("Account access");
        await Expect(app.GetByTestId("consent-allows")).ToContainTextAsync("Your account balances");
        await Expect(app.GetByTestId("consent-last-used")).Not.ToHaveTextAsync("Not used yet");
        await bank.SetViewportSizeAsync(390, 844);
        await ExpectNoHorizontalScrollAsync(bank);

        // Withdrawing asks first; Escape backs out and nothing changes.
        await app.GetByTestId("revoke").ClickAsync();
        await Expect(bank.GetByTestId("confirm-withdraw")).ToBeVisibleAsync();
        await Expect(bank.GetByTestId("keep-access")).ToBeVisibleAsync();
        // The confirmation is a page of its own: its script (Escape → "Keep access") has run once it has focused that link
        // (read from the document's active element: the new tab need not have the window's focus).
        await bank.WaitForFunctionAsync("() => document.activeElement?.getAttribute('data-testid') === 'keep-access'");
        await bank.Keyboard.PressAsync("Escape");
        await Expect(bank.GetByTestId("confirm-withdraw")).ToHaveCountAsync(0);
        await Expect(app).ToBeVisibleAsync();

        await app.GetByTestId("revoke").ClickAsync();
        await bank.GetByTestId("confirm-revoke").ClickAsync();
        await Expect(bank.GetByTestId("apps-message")).ToContainTextAsync("Access withdrawn");
        // Issue 22: an ended consent stays visible, apart from the current ones and with nothing left to withdraw.
        await Expect(bank.Locator($"[data-testid='current-consents'] [data-consent-id='{consentId}']")).ToHaveCountAsync(0);
        await Expect(bank.Locator($"[data-testid='ended-consents'] [data-consent-id='{consentId}']")).ToBeVisibleAsync();
        await Expect(app.GetByTestId("revoke")).ToHaveCountAsync(0);
    }

    private static async Task ExpectNoHorizontalScrollAsync(IPage page)
    {
        var overflow = await PageWidth.OverflowAsync(page);
        Assert.True(overflow is null, $"{page.Url} scrolls sideways at {page.ViewportSize?.Width} px: {overflow}");
    }

    /// <summary>
    /// The demo wallet's account-access consent, authorised by the customer through the non-browser sandbox shortcut,
    /// then used once through the gateway (so the bank view has a "last used").
    /// </summary>
    private async Task<string> ConnectedAppUsedOnceAsync(string username)
    {
        using var identity = new HttpClient { BaseAddress = Identity };
        identity.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo-wallet:demo-wallet-secret")));
        using var gateway = new HttpClient { BaseAddress = platform.EndpointOf(PlatformServices.Gateway) };

        var clientToken = await TokenAsync(identity, new() { ["grant_type"] = "client_credentials", ["scope"] = "accounts" });
        using var create = new HttpRequestMessage(HttpMethod.Post, "/open-banking/v3.1/aisp/account-access-consents")
        {
            Content = new StringContent("""{"Data":{"Permissions":["ReadAccountsDetail","ReadBalances"]},"Risk":{}}""", Encoding.UTF8, "application/json"),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", clientToken);
        using var created = await gateway.SendAsync(create, _ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var consentId = (await created.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Data").GetProperty("ConsentId").GetString()!;

        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        using var par = await identity.PostAsync("/connect/par", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["response_type"] = "code", ["client_id"] = "demo-wallet", ["redirect_uri"] = RedirectUri, ["scope"] = "openid accounts",
            ["state"] = "bank-view", ["nonce"] = "bank-view", ["consent_id"] = consentId, ["code_challenge_method"] = "S256",
            ["code_challenge"] = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
        }), _ct);
        Assert.Equal(HttpStatusCode.Created, par.StatusCode);
        var requestUri = (await par.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("request_uri").GetString()!;

        using var approved = await identity.PostAsync("/sandbox/authorize", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "demo-wallet", ["request_uri"] = requestUri, ["decision"] = "approve",
            ["username"] = username, ["password"] = "sandbox", ["otp"] = "123456",
        }), _ct);
        var redirect = (await approved.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("redirect_uri").GetString()!;
        var code = QueryHelpers.ParseQuery(new Uri(redirect).Query)["code"].ToString();

        var accessToken = await TokenAsync(identity, new()
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = RedirectUri, ["code_verifier"] = verifier,
        });
        using var read = new HttpRequestMessage(HttpMethod.Get, "/open-banking/v3.1/aisp/accounts");
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var accounts = await gateway.SendAsync(read, _ct);
        Assert.Equal(HttpStatusCode.OK, accounts.StatusCode);
        return consentId;
    }

    private async Task<string> TokenAsync(HttpClient identity, Dictionary<string, string> form)
    {
        using var response = await identity.PostAsync("/connect/token", new FormUrlEncodedContent(form), _ct);
        var body = await response.Content.ReadAsStringAsync(_ct);
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }
}
