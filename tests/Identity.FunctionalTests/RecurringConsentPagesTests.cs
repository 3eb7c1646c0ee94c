using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// Scheduled payments, standing orders and VRP on the customer's pages: the consent page says in plain words what the
/// customer agrees to (the Sandbox's terms), the token is the payments API's, and the connected-apps page lists them
/// with a button that says what ending each does. The Sandbox's side of these kinds is answered by
/// <see cref="FakeConsents"/> (its internal contract); customers, accounts and tokens are real.
/// </summary>
public sealed class RecurringConsentPagesTests(ConsentJourneyFixture platform) : IClassFixture<ConsentJourneyFixture>
{
    private static readonly string[] StandingOrderTerms = ["£25.00 every month on the 1st", "12 payments, the first on 1 January 2027"];
    private static readonly string[] VrpTerms = ["Up to £100.00 a payment", "Up to £500.00 a calendar month", "Until 31 December 2027"];

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task StandingOrderConsentPage_ShowsTheScheduleAndPayee_AndApprovingGivesAPaymentsTokenBoundToIt()
    {
        var consentId = platform.Faults.Fakes.Add("DomesticStandingOrder", "soc-", StandingOrderTerms);
        var pkce = Wallet.Pkce.Create();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, pkce, "openid payments");
        using var browser = Browser();

        var page = await SignInThroughAsync(browser, requestUri);
        var document = await Parse(page);

        Assert.Equal("Set up a standing order", Text(document, "consent-title"));
        Assert.Equal(StandingOrderTerms, document.QuerySelectorAll("[data-testid='consent-terms'] li").Select(li => li.TextContent.Trim()));
        Assert.Equal("Jane Smith (account ending 5678)", Text(document, "payment-payee"));
        Assert.Equal("RENT", Text(document, "payment-reference"));
        Assert.Contains("Choose the account to pay from", page);
        Assert.Contains("cancel it", Text(document, "consent-by"));
        Assert.Contains("Connected apps", Text(document, "consent-cancel-hint"));
        var choices = document.QuerySelectorAll("[data-testid='account-choice']");
        Assert.NotEmpty(choices);
        Assert.All(choices, c => Assert.Equal("radio", c.GetAttribute("type")));

        using var response = await PostFormAsync(browser, "/connect/authorize", page, new()
        {
            ["client_id"] = "demo-wallet",
            ["request_uri"] = requestUri,
            ["Accounts"] = choices[0].GetAttribute("value")!,
            ["Decision"] = "approve",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (status, tokens) = await _wallet.RedeemAsync(Wallet.QueryOf(response.Headers.Location!.AbsoluteUri)["code"], pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, status);
        var jwt = new JsonWebToken(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(consentId, jwt.GetClaim(PlatformClaims.ConsentId).Value);
        Assert.Contains("payments", jwt.GetClaim("scope").Value.Split(' '));
        Assert.Equal("Authorised", platform.Faults.Fakes.StatusOf(consentId));
    }

    [Theory]
    [InlineData("DomesticScheduledPayment", "sdc-", "Schedule a payment", "once")]
    [InlineData("DomesticVrp", "vrc-", "Allow variable recurring payments", "within these limits")]
    public async Task RecurringConsentPage_HasAHeadlineForItsKind_AndListsItsTerms(string kind, string prefix, string headline, string how)
    {
        var consentId = platform.Faults.Fakes.Add(kind, prefix, VrpTerms);
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, Wallet.Pkce.Create(), "openid payments");
        using var browser = Browser();

        var document = await Parse(await SignInThroughAsync(browser, requestUri));

        Assert.Equal(headline, Text(document, "consent-title"));
        Assert.Equal(VrpTerms, document.QuerySelectorAll("[data-testid='consent-terms'] li").Select(li => li.TextContent.Trim()));
        Assert.Contains(how, Text(document, "consent-by"));
        // Never the bank's words for it: the customer sees no kind names, ids or versions.
        Assert.DoesNotContain(kind, document.Body!.TextContent);
        Assert.DoesNotContain("v4.0", document.Body!.TextContent);
    }

    [Theory]
    [InlineData("DomesticScheduledPayment", "sdc-")]
    [InlineData("DomesticStandingOrder", "soc-")]
    [InlineData("DomesticVrp", "vrc-")]
    public async Task RecurringConsent_IsAuthorisedWithThePaymentsScope_AndNoOther(string kind, string prefix)
    {
        var consentId = platform.Faults.Fakes.Add(kind, prefix, StandingOrderTerms);

        var (accounts, refusal) = await _wallet.PushAsync(_wallet.ParForm(consentId, Wallet.Pkce.Create(), scope: "openid accounts"));
        var (both, _) = await _wallet.PushAsync(_wallet.ParForm(consentId, Wallet.Pkce.Create(), scope: "openid payments accounts"));
        var (payments, _) = await _wallet.PushAsync(_wallet.ParForm(consentId, Wallet.Pkce.Create(), scope: "openid payments"));

        Assert.Equal(HttpStatusCode.BadRequest, accounts);
        Assert.Equal("invalid_scope", refusal.GetProperty("error").GetString());
        Assert.Contains("payments", refusal.GetProperty("error_description").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, both);
        Assert.Equal(HttpStatusCode.Created, payments);
    }

    [Theory]
    [InlineData("DomesticScheduledPayment", "sdc-", "Scheduled payment", "Cancel scheduled payment", "Scheduled payment cancelled")]
    [InlineData("DomesticStandingOrder", "soc-", "Standing order", "Cancel standing order", "Standing order cancelled")]
    [InlineData("DomesticVrp", "vrc-", "Variable recurring payments", "Stop payments (revoke)", "Payments stopped")]
    public async Task ConnectedApps_ListRecurringConsentsWithTheirTerms_AndEndingOneRevokesItAndItsTokens(
        string kind, string prefix, string badge, string action, string ended)
    {
        var consentId = platform.Faults.Fakes.Add(kind, prefix, VrpTerms);
        var tokens = await _wallet.AuthoriseConsentAsync(consentId, "openid payments offline_access");
        using var browser = Browser();

        var apps = await Parse(await SignInThroughAsync(browser, requestUri: null));
        var app = apps.QuerySelector($"[data-consent-id='{consentId}']")!;

        Assert.Equal(badge, app.QuerySelector("[data-testid='consent-kind']")?.TextContent.Trim());
        var allows = app.QuerySelectorAll("[data-testid='consent-allows'] li").Select(li => li.TextContent.Trim()).ToArray();
        Assert.Equal(["Pay Jane Smith, reference “RENT”", .. VrpTerms], allows);
        var revoke = app.QuerySelector("[data-testid='revoke']")!;
        Assert.Equal(action + "…", revoke.TextContent.Trim());

        var confirmHtml = await browser.GetStringAsync(revoke.GetAttribute("href")!, _ct);
        var confirm = await Parse(confirmHtml);
        Assert.Equal(action, confirm.QuerySelector("[data-testid='confirm-revoke']")?.TextContent.Trim());
        Assert.False(string.IsNullOrWhiteSpace(Text(confirm, "confirm-text")));
        using var response = await PostFormAsync(browser, "/customer/apps?handler=Revoke", confirmHtml,
            new() { ["consentId"] = consentId, ["confirmed"] = "true" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await browser.GetStringAsync("/customer/apps", _ct);
        Assert.Contains(ended, after);
        await CustomerBrowser.AssertEndedAsync(after, consentId, _ct);
        Assert.Contains(consentId, platform.Faults.Fakes.Revoked);
        var (refresh, body) = await _wallet.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.BadRequest, refresh);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task RecurringConsent_WhoseKindIsSpelledInKebabCase_IsTheSameKind()
    {
        // The Sandbox's first kinds are spelled "domestic-payment"; a recurring kind spelled so is read alike.
        var consentId = platform.Faults.Fakes.Add("domestic-standing-order", "soc-", StandingOrderTerms);
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, Wallet.Pkce.Create(), "openid payments");
        using var browser = Browser();

        var document = await Parse(await SignInThroughAsync(browser, requestUri));

        Assert.Equal("Set up a standing order", Text(document, "consent-title"));
    }

    [Fact]
    public async Task RealScheduledPaymentConsent_ShowsTheSandboxsTerms_AndCancellingItFromConnectedApps_RevokesItAtTheBank()
    {
        // The Sandbox's own scheduled payments (on main): its summary, its Terms and its customer revocation, for real.
        var when = DateTimeOffset.UtcNow.AddDays(40);
        var initiation = "{\"InstructionIdentification\":\"ii-sched\",\"EndToEndIdentification\":\"e2e-sched\","
            + "\"RequestedExecutionDateTime\":\"" + when.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", System.Globalization.CultureInfo.InvariantCulture) + "\","
            + "\"InstructedAmount\":{\"Amount\":\"25.00\",\"Currency\":\"GBP\"},"
            + "\"CreditorAccount\":{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":\"20000012345678\",\"Name\":\"Landlord Ltd\"}}";
        var (created, consent) = await _wallet.PostBankAsync(await _wallet.ClientTokenAsync("payments"),
            "/open-banking/v3.1/pisp/domestic-scheduled-payment-consents",
            "{\"Data\":{\"Permission\":\"Create\",\"Initiation\":" + initiation + "},\"Risk\":{}}", Guid.NewGuid().ToString("N"));
        Assert.True(created == HttpStatusCode.Created, consent.ToString());
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        Assert.StartsWith("sdc-", consentId, StringComparison.Ordinal);
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, Wallet.Pkce.Create(), "openid payments");
        using var browser = Browser();

        var page = await Parse(await SignInThroughAsync(browser, requestUri));

        Assert.Equal("Schedule a payment", Text(page, "consent-title"));
        var terms = page.QuerySelectorAll("[data-testid='consent-terms'] li").Select(li => li.TextContent.Trim()).ToArray();
        Assert.Contains(terms, t => t.Contains("£25.00", StringComparison.Ordinal) && t.Contains("Landlord Ltd", StringComparison.Ordinal));
        Assert.Equal("Landlord Ltd (account ending 5678)", Text(page, "payment-payee"));

        await _wallet.AuthoriseConsentAsync(consentId, "openid payments");
        var apps = await Parse(await browser.GetStringAsync("/customer/apps", _ct));
        var app = apps.QuerySelector($"[data-consent-id='{consentId}']")!;
        Assert.Equal("Scheduled payment", app.QuerySelector("[data-testid='consent-kind']")?.TextContent.Trim());
        Assert.Equal("Cancel scheduled payment…", app.QuerySelector("[data-testid='revoke']")?.TextContent.Trim());
        var confirm = await browser.GetStringAsync(app.QuerySelector("[data-testid='revoke']")!.GetAttribute("href")!, _ct);
        using var cancelled = await PostFormAsync(browser, "/customer/apps?handler=Revoke", confirm, new() { ["consentId"] = consentId, ["confirmed"] = "true" });

        var after = await browser.GetStringAsync("/customer/apps", _ct);
        Assert.Contains("Scheduled payment cancelled", after);
        await CustomerBrowser.AssertEndedAsync(after, consentId, _ct);
        using var bank = platform.Sandbox.CreateClient();
        bank.DefaultRequestHeaders.Authorization = new("Bearer", await _wallet.ClientTokenAsync("payments"));
        var read = await bank.GetFromJsonAsync<System.Text.Json.JsonElement>($"/open-banking/v3.1/pisp/domestic-scheduled-payment-consents/{consentId}", _ct);
        Assert.NotEqual("Authorised", read.GetProperty("Data").GetProperty("Status").GetString());
    }

    private HttpClient Browser() => platform.Identity.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private async Task<IDocument> Parse(string html) => await CustomerBrowser.ParseAsync(html, _ct);

    private static string Text(IDocument document, string testId) => CustomerBrowser.Text(document, testId);

    private Task<string> SignInThroughAsync(HttpClient browser, string? requestUri) => CustomerBrowser.SignInThroughAsync(browser, requestUri, _ct);

    private Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string url, string page, Dictionary<string, string> fields)
        => CustomerBrowser.PostFormAsync(browser, url, page, fields, _ct);
}
