using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using OpenBanking.Shared;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// The customer consent journey in Chromium across the real services: the wallet creates a consent at the gateway
/// and pushes the authorization request; the customer signs in, passes the second factor, picks an account and
/// approves; the wallet exchanges the code and reads the account through the gateway — on v3.1.11 and on v4.0.
/// </summary>
public sealed class ConsentJourneyTests(PlatformFixture platform, BrowserFixture browser)
{
    private const string RedirectUri = "http://localhost:5005/callback";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("v3.1")]
    [InlineData("v4.0")]
    public async Task Customer_ApprovesInTheBrowser_AndTheWalletReadsTheChosenAccountThroughTheGateway(string version)
    {
        using var identity = new HttpClient { BaseAddress = platform.EndpointOf(PlatformServices.Identity) };
        identity.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo-wallet:demo-wallet-secret")));
        using var gateway = new HttpClient { BaseAddress = platform.EndpointOf(PlatformServices.Gateway) };
        var consentId = await CreateConsentAsync(identity, gateway, version);
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var requestUri = await PushAsync(identity, consentId, verifier);

        var page = await browser.NewPageAsync(platform.EndpointOf(PlatformServices.Identity));
        // Nothing listens on the wallet's redirect URI here: answer it in the browser and keep the URL.
        await page.RouteAsync(RedirectUri + "**", route => route.FulfillAsync(new() { Status = 200, ContentType = "text/plain", Body = "wallet callback" }));
        await page.GotoAsync($"/connect/authorize?client_id=demo-wallet&request_uri={Uri.EscapeDataString(requestUri)}");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in to Sandbox Bank");
        await Expect(page.GetByTestId("signin-context")).ToContainTextAsync("Demo Wallet");
        await page.GetByLabel("Username").FillAsync("alice");
        await page.GetByLabel("Password").FillAsync("sandbox");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Enter your security code");
        await Expect(page.GetByLabel("Security code")).ToHaveAttributeAsync("autocomplete", "one-time-code");
        await page.GetByLabel("Security code").FillAsync("123456");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await Expect(page.GetByTestId("consent-title")).ToHaveTextAsync("Demo Wallet wants to see your account information");
        await Expect(page.GetByTestId("consent-organisation")).ToHaveTextAsync("Demo Wallet Ltd");
        await Expect(page.GetByTestId("consent-permissions")).ToContainTextAsync("Your account balances");
        var firstAccount = page.GetByTestId("account-choice").First;
        var accountId = await firstAccount.GetAttributeAsync("value");
        await firstAccount.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await page.WaitForURLAsync(RedirectUri + "**");
        var query = QueryHelpers.ParseQuery(new Uri(page.Url).Query);
        Assert.Equal("journey-state", query["state"].ToString());
        Assert.Equal("http://localhost:5001/", query["iss"].ToString());

        using var tokenResponse = await identity.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = query["code"].ToString(),
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
        }), _ct);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var accessToken = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("access_token").GetString();

        using var accounts = new HttpRequestMessage(HttpMethod.Get, $"/open-banking/{version}/aisp/accounts");
        accounts.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await gateway.SendAsync(accounts, _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listed = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Data").GetProperty("Account").EnumerateArray()
            .Select(a => a.GetProperty("AccountId").GetString()).ToArray();
        Assert.Equal([accountId], listed);
    }

    private async Task<string> CreateConsentAsync(HttpClient identity, HttpClient gateway, string version)
    {
        using var token = await identity.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "accounts",
        }), _ct);
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("access_token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/open-banking/{version}/aisp/account-access-consents")
        {
            Content = new StringContent("""{"Data":{"Permissions":["ReadAccountsDetail","ReadBalances"]},"Risk":{}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var consent = await gateway.SendAsync(request, _ct);
        Assert.Equal(HttpStatusCode.Created, consent.StatusCode);
        return (await consent.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Data").GetProperty("ConsentId").GetString()!;
    }

    private async Task<string> PushAsync(HttpClient identity, string consentId, string verifier)
    {
        using var par = await identity.PostAsync("/connect/par", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = "demo-wallet",
            ["redirect_uri"] = RedirectUri,
            ["scope"] = "openid accounts offline_access",
            ["state"] = "journey-state",
            ["nonce"] = "journey-nonce",
            ["code_challenge"] = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
            ["consent_id"] = consentId,
        }), _ct);
        Assert.Equal(HttpStatusCode.Created, par.StatusCode);
        return (await par.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("request_uri").GetString()!;
    }
}
