using Microsoft.AspNetCore.Mvc.Testing;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// Confirmation of Payee on the consent page: before approving a domestic payment the customer reads whether the name
/// the app sent matches the payee's account — a match, a close match naming the holder, no match, no such account,
/// or a check that could not be made — in words with a lead word and a status role, never colour alone. The real
/// Sandbox answers from its seeded directory (docs/confirmation-of-payee.md).
/// </summary>
public sealed class PayeeCheckPageTests(ConsentJourneyFixture platform) : IClassFixture<ConsentJourneyFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Theory]
    [InlineData("30963412345678", "Mr John Smith", "Match", "Confirmed: the name matches the account")]
    [InlineData("30963412345678", "Jane Doe", "NoMatch", "The name doesn't match: this account is not held by Jane Doe.")]
    [InlineData("30963499999999", "John Smith", "AccountNotFound", "Account not found:")]
    [InlineData("11080211111111", "Priya Patel", "NotChecked", "We couldn't check this account: its holder has chosen not to take part")]
    [InlineData("07011622222222", "Oliver Jones", "NotChecked", "We couldn't check this account: it has been switched to another bank")]
    public async Task ConsentPage_ShowsThePayeeCheck_BeforeApproval(string identification, string name, string outcome, string words)
    {
        var document = await CustomerBrowser.ParseAsync(await ConsentPageAsync(identification, name), _ct);

        var check = document.QuerySelector("[data-testid='payee-check']") ?? throw new Xunit.Sdk.XunitException("No payee check on the page.");
        Assert.Equal(outcome, check.GetAttribute("data-outcome"));
        Assert.Equal("status", check.GetAttribute("role"));
        Assert.StartsWith(words, Normalise(check.TextContent), StringComparison.Ordinal);
        Assert.Null(document.QuerySelector("[data-testid='payee-check-name']"));
        // Shown before the decision: the approve button comes after it.
        Assert.True(document.Body!.InnerHtml.IndexOf("payee-check", StringComparison.Ordinal) < document.Body.InnerHtml.IndexOf("data-testid=\"approve\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("30963412345678", "Jon Smyth", "MBAM", "Close match: the name you entered doesn't quite match — the account is held by John Smith. Check it is who you mean to pay.")]
    [InlineData("30963487654321", "Acme Plumbing", "BANM", "Check the account type: the name matches, but it is a business account, held by Acme Plumbing Ltd.")]
    public async Task ConsentPage_ACloseMatch_NamesTheAccountHolder(string identification, string name, string reason, string words)
    {
        var risk = reason == "BANM" ? "{\"BeneficiaryAccountType\":\"Personal\"}" : "{}";
        var document = await CustomerBrowser.ParseAsync(await ConsentPageAsync(identification, name, risk), _ct);

        var check = document.QuerySelector("[data-testid='payee-check']")!;
        Assert.Equal(("CloseMatch", reason), (check.GetAttribute("data-outcome"), check.GetAttribute("data-reason")));
        Assert.Equal(words, Normalise(check.TextContent));
        Assert.Equal(identification == "30963412345678" ? "John Smith" : "Acme Plumbing Ltd", CustomerBrowser.Text(document, "payee-check-name"));
    }

    [Fact]
    public async Task ConsentPage_APayeeAtABankNotOnTheService_SaysItCouldNotBeChecked()
    {
        var document = await CustomerBrowser.ParseAsync(await ConsentPageAsync("20000012345678", "Jane Smith"), _ct);
        Assert.StartsWith("We couldn't check this account", CustomerBrowser.Text(document, "payee-check"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StandingOrderConsentPage_ShowsThePayeeCheck_UnderThePayee()
    {
        var check = new System.Text.Json.Nodes.JsonObject
        {
            ["outcome"] = "NoMatch", ["matched"] = false, ["reasonCode"] = "ANNM", ["name"] = null,
        };
        var consentId = platform.Faults.Fakes.Add("DomesticStandingOrder", "soc-", ["£25.00 every month on the 1st"], creditorName: "Landlord Ltd", payeeCheck: check);
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, Wallet.Pkce.Create(), "openid payments");
        using var browser = platform.Identity.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var document = await CustomerBrowser.ParseAsync(await CustomerBrowser.SignInThroughAsync(browser, requestUri, _ct), _ct);

        Assert.StartsWith("The name doesn't match: this account is not held by Landlord Ltd.", Normalise(CustomerBrowser.Text(document, "payee-check")), StringComparison.Ordinal);
    }

    private async Task<string> ConsentPageAsync(string identification, string name, string risk = "{}")
    {
        var initiation = "{\"InstructionIdentification\":\"ii-cop\",\"EndToEndIdentification\":\"e2e-cop\","
            + "\"InstructedAmount\":{\"Amount\":\"12.00\",\"Currency\":\"GBP\"},"
            + $"\"CreditorAccount\":{{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":\"{identification}\",\"Name\":\"{name}\"}},"
            + "\"RemittanceInformation\":{\"Reference\":\"COP-1\"}}";
        var consent = await _wallet.CreatePaymentConsentAsync(initiation, risk);
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, Wallet.Pkce.Create(), "openid payments");
        using var browser = platform.Identity.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await CustomerBrowser.SignInThroughAsync(browser, requestUri, _ct);
        Assert.Contains("data-testid=\"approve\"", page, StringComparison.Ordinal);
        return page;
    }

    private static string Normalise(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
