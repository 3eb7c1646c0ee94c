using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// The customer's pages as a browser without JavaScript uses them (forms, cookies, redirects): sign in, second
/// factor, the consent page, approve, and later withdrawing access under "Connected apps".
/// </summary>
public sealed partial class ConsentPagesTests(ConsentJourneyFixture platform) : IClassFixture<ConsentJourneyFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task Journey_SignInSecondFactorAndApprove_RedirectsToTheAppWithCodeStateAndIssuer()
    {
        var consentId = await _wallet.CreateConsentAsync();
        var pkce = Wallet.Pkce.Create();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, pkce);
        using var browser = Browser();

        var page = await SignInThroughAsync(browser, requestUri);

        Assert.Contains("Demo Wallet wants to see your account information", page);
        Assert.Contains("Demo Wallet Ltd", page);
        Assert.Contains("Your account balances", page);
        Assert.Contains("Your transactions, with descriptions, merchants and counterparties: money in and out", page);
        Assert.Contains(">Approve</button>", page);
        Assert.Contains(">Deny</button>", page);
        var accountId = AccountChoice().Match(page).Groups[1].Value;

        using var response = await PostFormAsync(browser, "/connect/authorize", page, new()
        {
            ["client_id"] = "demo-wallet",
            ["request_uri"] = requestUri,
            ["Accounts"] = accountId,
            ["Decision"] = "approve",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = Wallet.QueryOf(response.Headers.Location!.AbsoluteUri);
        Assert.Equal("state-1", query["state"]);
        Assert.Equal("http://localhost:5001/", query["iss"]);
        var (status, tokens) = await _wallet.RedeemAsync(query["code"], pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, await _wallet.CallAccountsAsync(tokens.GetProperty("access_token").GetString()!));
        var consent = await _wallet.GetConsentAsync(consentId);
        Assert.Equal("Authorised", consent.GetProperty("Status").GetString());
    }

    [Fact]
    public async Task Journey_ForAConsentTheSandboxMarksV4_WorksAndNeverShowsTheVersionToTheCustomer()
    {
        var consentId = await _wallet.CreateConsentAsync();
        var pkce = Wallet.Pkce.Create();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, pkce);
        using var browser = Browser();
        platform.Faults.ConsentApiVersion = "v4.0";
        try
        {
            var page = await SignInThroughAsync(browser, requestUri);
            using var response = await PostFormAsync(browser, "/connect/authorize", page, new()
            {
                ["client_id"] = "demo-wallet",
                ["request_uri"] = requestUri,
                ["Accounts"] = AccountChoice().Match(page).Groups[1].Value,
                ["Decision"] = "approve",
            });
            var query = Wallet.QueryOf(response.Headers.Location!.AbsoluteUri);
            var (status, tokens) = await _wallet.RedeemAsync(query["code"], pkce.Verifier);
            var (refreshed, _) = await _wallet.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
            var apps = await browser.GetStringAsync("/customer/apps", _ct);

            Assert.Contains("Your account balances", page);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(HttpStatusCode.OK, refreshed);
            Assert.Contains(consentId, apps);
            // The version is the app's business with the bank, not the customer's.
            Assert.DoesNotContain("v4.0", page);
            Assert.DoesNotContain("v4.0", apps);
            Assert.DoesNotContain("v3.1", page + apps);
        }
        finally
        {
            platform.Faults.ConsentApiVersion = null;
        }
    }

    [Fact]
    public async Task ConsentPage_WithNoAccountChosen_AsksAgainAndChangesNothing()
    {
        var consentId = await _wallet.CreateConsentAsync();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, Wallet.Pkce.Create());
        using var browser = Browser();
        var page = await SignInThroughAsync(browser, requestUri);

        using var response = await PostFormAsync(browser, "/connect/authorize", page, new()
        {
            ["client_id"] = "demo-wallet",
            ["request_uri"] = requestUri,
            ["Decision"] = "approve",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Choose at least one account to share.", await response.Content.ReadAsStringAsync(_ct));
        Assert.Equal("AwaitingAuthorisation", (await _wallet.GetConsentAsync(consentId)).GetProperty("Status").GetString());
    }

    [Fact]
    public async Task SignIn_WithAWrongPassword_SaysSoWithoutNamingWhichPartIsWrong()
    {
        using var browser = Browser();
        var signIn = await browser.GetStringAsync($"/customer/sign-in?org={Shared.DevelopmentSeed.DemoOrganisationId}", _ct);

        using var response = await PostFormAsync(browser, $"/customer/sign-in?org={Shared.DevelopmentSeed.DemoOrganisationId}", signIn, new()
        {
            ["Org"] = Shared.DevelopmentSeed.DemoOrganisationId,
            ["Username"] = "alice",
            ["Password"] = "not-the-password",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(_ct);
        Assert.Contains("The username or password is not right.", html);
        Assert.Contains("role=\"alert\"", html);
    }

    [Fact]
    public async Task PasswordAlone_DoesNotReachTheConsentPage()
    {
        var consentId = await _wallet.CreateConsentAsync();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, Wallet.Pkce.Create());
        using var browser = Browser();
        using var first = await browser.GetAsync(AuthorizeUrl(requestUri), _ct);
        var signInUrl = first.Headers.Location!.OriginalString;
        var signIn = await browser.GetStringAsync(signInUrl, _ct);
        using var afterPassword = await PostFormAsync(browser, signInUrl, signIn, Credentials());
        Assert.Equal(HttpStatusCode.Redirect, afterPassword.StatusCode);

        using var skipped = await browser.GetAsync(AuthorizeUrl(requestUri), _ct);

        Assert.Equal(HttpStatusCode.Redirect, skipped.StatusCode);
        Assert.StartsWith("/customer/sign-in", skipped.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ConnectedApps_ListsTheAuthorisedConsent_AndWithdrawingItRevokesItsTokens()
    {
        var (consentId, tokens) = await _wallet.AuthorisedTokensAsync();
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await _wallet.CallAccountsAsync(accessToken));
        using var browser = Browser();
        var apps = await SignInThroughAsync(browser, requestUri: null);
        Assert.Contains("Connected apps", apps);
        Assert.Contains(consentId, apps);

        // Withdrawing asks first: a post without the confirmation step's answer only opens that step.
        using var unconfirmed = await PostFormAsync(browser, "/customer/apps?handler=Revoke", SectionOf(apps, consentId), new() { ["consentId"] = consentId });
        Assert.Equal(HttpStatusCode.Redirect, unconfirmed.StatusCode);
        var confirmUrl = unconfirmed.Headers.Location!.OriginalString;
        Assert.Equal($"/customer/apps?withdraw={consentId}#confirm-withdraw", confirmUrl);
        var confirm = await browser.GetStringAsync(confirmUrl, _ct);
        Assert.Contains("data-testid=\"confirm-withdraw\"", confirm);
        Assert.Equal(HttpStatusCode.OK, await _wallet.CallAccountsAsync(accessToken));

        using var response = await PostFormAsync(browser, "/customer/apps?handler=Revoke", confirm,
            new() { ["consentId"] = consentId, ["confirmed"] = "true" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await browser.GetStringAsync("/customer/apps", _ct);
        Assert.Contains("Access withdrawn", after);
        await CustomerBrowser.AssertEndedAsync(after, consentId, _ct);
        Assert.Equal(HttpStatusCode.Unauthorized, await _wallet.CallAccountsAsync(accessToken));
        var (refresh, body) = await _wallet.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.BadRequest, refresh);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.NotNull(new JsonWebToken(accessToken));
    }

    [Fact]
    public async Task ConnectedApps_ShowAppNameKindPermissionsAccountsAndLastUse_AsTheBank()
    {
        var (consentId, tokens) = await _wallet.AuthorisedTokensAsync();
        using var browser = Browser();
        var before = await SignInThroughAsync(browser, requestUri: null);
        Assert.Equal(HttpStatusCode.OK, await _wallet.CallAccountsAsync(tokens.GetProperty("access_token").GetString()!));

        var html = await browser.GetStringAsync("/customer/apps", _ct);
        var page = await new AngleSharp.Html.Parser.HtmlParser().ParseDocumentAsync(html, _ct);
        var app = page.QuerySelector($"[data-consent-id='{consentId}']")!;

        Assert.Contains("Not used yet", SectionAround(before, consentId));
        Assert.Equal("Sandbox Bank", page.QuerySelector("[data-testid='bank-name']")?.TextContent.Trim());
        Assert.Null(page.QuerySelector("[data-testid='platform-name']"));
        Assert.False(string.IsNullOrWhiteSpace(app.QuerySelector("[data-testid='app-name']")?.TextContent));
        Assert.Equal("Account access", app.QuerySelector("[data-testid='consent-kind']")?.TextContent.Trim());
        Assert.NotEmpty(app.QuerySelectorAll("[data-testid='consent-allows'] li"));
        Assert.Matches(@"account", app.QuerySelector("[data-testid='consent-accounts']")!.TextContent);
        Assert.Matches(@"^\d{1,2} \w+ \d{4} at \d{2}:\d{2}$", app.QuerySelector("[data-testid='consent-last-used']")!.TextContent.Trim());
        Assert.Equal($"/customer/apps?withdraw={consentId}#confirm-withdraw", app.QuerySelector("[data-testid='revoke']")?.GetAttribute("href"));
    }

    [Fact]
    public async Task ConnectedApps_WithoutSigningIn_GoesToTheSignInPage()
    {
        using var browser = Browser();

        using var response = await browser.GetAsync("/customer/apps", _ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/customer/sign-in", response.Headers.Location!.OriginalString);
    }

    private HttpClient Browser() => platform.Identity.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static string AuthorizeUrl(string requestUri) => $"/connect/authorize?client_id=demo-wallet&request_uri={Uri.EscapeDataString(requestUri)}";

    private static Dictionary<string, string> Credentials() => new()
    {
        ["Org"] = Shared.DevelopmentSeed.DemoOrganisationId,
        ["Username"] = "alice",
        ["Password"] = "sandbox",
    };

    /// <summary>
    /// From the authorize URL (or the sign-in page when <paramref name="requestUri"/> is null) through password and
    /// second factor, following redirects as a browser does; returns the page it lands on.
    /// </summary>
    private async Task<string> SignInThroughAsync(HttpClient browser, string? requestUri)
    {
        var url = requestUri is null ? "/customer/apps" : AuthorizeUrl(requestUri);
        using var first = await browser.GetAsync(url, _ct);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var signInUrl = first.Headers.Location!.OriginalString;
        Assert.StartsWith("/customer/sign-in", signInUrl);
        var signIn = await browser.GetStringAsync(signInUrl, _ct);
        Assert.Contains("autocomplete=\"current-password\"", signIn);

        using var afterPassword = await PostFormAsync(browser, signInUrl, signIn, Credentials());
        Assert.Equal(HttpStatusCode.Redirect, afterPassword.StatusCode);
        var secondFactorUrl = afterPassword.Headers.Location!.OriginalString;
        var secondFactor = await browser.GetStringAsync(secondFactorUrl, _ct);
        Assert.Contains("autocomplete=\"one-time-code\"", secondFactor);
        Assert.Contains("inputmode=\"numeric\"", secondFactor);

        using var afterCode = await PostFormAsync(browser, secondFactorUrl, secondFactor, new() { ["Code"] = "123456" });
        Assert.Equal(HttpStatusCode.Redirect, afterCode.StatusCode);
        return await browser.GetStringAsync(afterCode.Headers.Location!.OriginalString, _ct);
    }

    private async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string url, string page, Dictionary<string, string> fields)
    {
        var form = new List<KeyValuePair<string, string>>(fields) { new("__RequestVerificationToken", Wallet.AntiforgeryToken(page)) };
        foreach (Match hidden in HiddenInput().Matches(page))
        {
            if (!fields.ContainsKey(hidden.Groups[1].Value) && hidden.Groups[1].Value != "__RequestVerificationToken")
            {
                form.Add(new(hidden.Groups[1].Value, System.Net.WebUtility.HtmlDecode(hidden.Groups[2].Value)));
            }
        }

        return await browser.PostAsync(url, new FormUrlEncodedContent(form), _ct);
    }

    /// <summary>The HTML of one consent's section on the connected-apps page.</summary>
    private static string SectionAround(string page, string consentId)
    {
        var start = page.IndexOf($"data-consent-id=\"{consentId}\"", StringComparison.Ordinal);
        var end = page.IndexOf("</section>", start, StringComparison.Ordinal);
        return page[start..end];
    }

    private static string SectionOf(string page, string consentId) => page[..page.IndexOf(consentId, StringComparison.Ordinal)] + page[page.IndexOf(consentId, StringComparison.Ordinal)..];

    [GeneratedRegex("name=\"Accounts\" value=\"([^\"]+)\"")]
    private static partial Regex AccountChoice();

    [GeneratedRegex("<input type=\"hidden\"[^>]*?name=\"([^\"]+)\"[^>]*?value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();
}
