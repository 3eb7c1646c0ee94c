using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// International payments on the customer's pages: the consent page shows the Sandbox's plain-words terms (amount sent,
/// what the customer pays at which rate, fees, how long the rate holds) and amounts with each currency's own decimals;
/// the token is the payments API's; the connected-apps page lists the consent but never offers to withdraw it (a
/// single payment ends by itself; the Sandbox has no customer revocation for it). The Sandbox's side is
/// <see cref="FakeConsents"/>, following the journey contract of issue 18.
/// </summary>
public sealed class InternationalConsentPagesTests(ConsentJourneyFixture platform) : IClassFixture<ConsentJourneyFixture>
{
    private static readonly string[] EuroTerms =
    [
        "You send €100.00 to Hans Müller (DE89 3704 …)",
        "You pay about £90.89 at 1 GBP = 1.164313 EUR, fixed until 10:01:00 UTC",
        "Fees: £5.00 (you), €8.00 (taken from the amount sent)",
    ];

    private static readonly string[] YenTerms =
    [
        "You send 18,955 JPY to Sato Hanako (account 1234567)",
        "You pay about £100.00 at 1 GBP = 189.547879 JPY when the payment is made",
        "Fees: £5.00 (you), 1,500 JPY (taken from the amount sent)",
    ];

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task InternationalConsentPage_ShowsTheTermsAndPayee_AndApprovingGivesAPaymentsTokenBoundToIt()
    {
        var consentId = platform.Faults.Fakes.AddInternational(EuroTerms, "100.00", "EUR", debtorCurrency: "GBP");
        var pkce = Wallet.Pkce.Create();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, pkce, "openid payments");
        using var browser = Browser();

        var page = await SignInThroughAsync(browser, requestUri);
        var document = await Parse(page);

        Assert.EndsWith(" wants to send a payment abroad from your account", Text(document, "consent-title"), StringComparison.Ordinal);
        Assert.Equal(EuroTerms, document.QuerySelectorAll("[data-testid='consent-terms'] li").Select(li => li.TextContent.Trim()));
        Assert.Equal("€100.00", Text(document, "payment-amount"));
        Assert.Equal("Hans Müller (account ending 3000)", Text(document, "payment-payee"));
        Assert.Equal("INVOICE 42", Text(document, "payment-reference"));
        Assert.Contains("Choose the account to pay from", page);
        // No promise the customer cannot keep: a payment abroad cannot be withdrawn from Connected apps.
        Assert.DoesNotContain("withdraw this access", page);
        Assert.DoesNotContain("international-payment", document.Body!.TextContent);
        var choices = document.QuerySelectorAll("[data-testid='account-choice']");
        Assert.NotEmpty(choices);
        Assert.All(choices, c => Assert.Equal("radio", c.GetAttribute("type")));
        // The debtor currency is known (GBP): only GBP accounts are offered.
        Assert.All(document.QuerySelectorAll("[data-testid='account-balance']"), b => Assert.Contains("£", b.TextContent, StringComparison.Ordinal));

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

    [Fact]
    public async Task InternationalConsentPage_WritesYenWithoutDecimals()
    {
        var consentId = platform.Faults.Fakes.AddInternational(YenTerms, "18955", "JPY", debtorCurrency: null, "Sato Hanako", "1234567");
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, Wallet.Pkce.Create(), "openid payments");
        using var browser = Browser();

        var document = await Parse(await SignInThroughAsync(browser, requestUri));

        Assert.Equal("18,955 JPY", Text(document, "payment-amount"));
        Assert.Equal(YenTerms, document.QuerySelectorAll("[data-testid='consent-terms'] li").Select(li => li.TextContent.Trim()));
        Assert.NotEmpty(document.QuerySelectorAll("[data-testid='account-choice']"));
    }

    [Fact]
    public async Task InternationalConsent_IsAuthorisedWithThePaymentsScope_AndNoOther()
    {
        var consentId = platform.Faults.Fakes.AddInternational(EuroTerms, "100.00", "EUR", "GBP");

        var (accounts, refusal) = await _wallet.PushAsync(_wallet.ParForm(consentId, Wallet.Pkce.Create(), scope: "openid accounts"));
        var (payments, _) = await _wallet.PushAsync(_wallet.ParForm(consentId, Wallet.Pkce.Create(), scope: "openid payments"));

        Assert.Equal(HttpStatusCode.BadRequest, accounts);
        Assert.Equal("invalid_scope", refusal.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Created, payments);
    }

    [Fact]
    public async Task ConnectedApps_ListAnInternationalConsentWithItsTerms_ButNeverOfferToWithdrawIt()
    {
        var consentId = platform.Faults.Fakes.AddInternational(EuroTerms, "100.00", "EUR", "GBP");
        await _wallet.AuthoriseConsentAsync(consentId, "openid payments");
        using var browser = Browser();

        var apps = await Parse(await SignInThroughAsync(browser, requestUri: null));
        var app = apps.QuerySelector($"[data-consent-id='{consentId}']")!;

        Assert.Equal("Payment abroad", app.QuerySelector("[data-testid='consent-kind']")?.TextContent.Trim());
        Assert.Equal(EuroTerms, app.QuerySelectorAll("[data-testid='consent-allows'] li").Select(li => li.TextContent.Trim()));
        Assert.Null(app.QuerySelector("[data-testid='revoke']"));

        // Not even by the confirmation step's address.
        var confirm = await Parse(await browser.GetStringAsync($"/customer/apps?withdraw={consentId}", _ct));
        Assert.Null(confirm.QuerySelector("[data-testid='confirm-revoke']"));
        Assert.DoesNotContain(consentId, platform.Faults.Fakes.Revoked);
    }

    private HttpClient Browser() => platform.Identity.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private async Task<IDocument> Parse(string html) => await CustomerBrowser.ParseAsync(html, _ct);

    private static string Text(IDocument document, string testId) => CustomerBrowser.Text(document, testId);

    private Task<string> SignInThroughAsync(HttpClient browser, string? requestUri) => CustomerBrowser.SignInThroughAsync(browser, requestUri, _ct);

    private Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string url, string page, Dictionary<string, string> fields)
        => CustomerBrowser.PostFormAsync(browser, url, page, fields, _ct);
}
