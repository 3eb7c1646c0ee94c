using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// Issue 22, the customer's view: the connected-apps page lists every consent — current ones with a way to end them,
/// ended ones apart, each with its status, expiry and use — and "Download my consent history" gives the signed-in
/// customer theirs, with every status change, and never another customer's. Identity and the real Sandbox.
/// </summary>
public sealed class ConsentHistoryPageTests(ConsentJourneyFixture platform) : IClassFixture<ConsentJourneyFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task ConnectedApps_ShowCurrentAndEndedConsents_WithStatusExpiryAndUse()
    {
        var (current, _) = await _wallet.AuthorisedTokensAsync();
        var (ended, _) = await _wallet.AuthorisedTokensAsync();
        using var browser = Browser();
        await CustomerBrowser.SignInThroughAsync(browser, requestUri: null, _ct);
        await WithdrawAsync(browser, ended);

        var page = await CustomerBrowser.ParseAsync(await browser.GetStringAsync("/customer/apps", _ct), _ct);

        var live = page.QuerySelector($"[data-testid='current-consents'] [data-consent-id='{current}']")!;
        Assert.Equal("Active", live.QuerySelector("[data-testid='consent-status']")?.TextContent.Trim());
        Assert.NotEqual(string.Empty, live.QuerySelector("[data-testid='consent-expires']")?.TextContent.Trim());
        Assert.Equal("Not used yet", live.QuerySelector("[data-testid='consent-last-used']")?.TextContent.Trim());
        Assert.NotNull(live.QuerySelector("[data-testid='revoke']"));
        var gone = page.QuerySelector($"[data-testid='ended-consents'] [data-consent-id='{ended}']")!;
        Assert.Matches(@"^Access withdrawn by you on \d{1,2} \w+ \d{4}$", gone.QuerySelector("[data-testid='consent-status']")?.TextContent.Trim());
        Assert.Null(gone.QuerySelector("[data-testid='revoke']"));
        Assert.Equal("/customer/apps?handler=Download", page.QuerySelector("[data-testid='download-history']")?.GetAttribute("href"));
        // Each section names itself for screen readers.
        Assert.Equal("current-title", page.QuerySelector("[data-testid='current-consents']")?.GetAttribute("aria-labelledby"));
        Assert.Equal("ended-title", page.QuerySelector("[data-testid='ended-consents']")?.GetAttribute("aria-labelledby"));
    }

    [Fact]
    public async Task DownloadConsentHistory_GivesEveryConsentWithItsStatusChanges_AsAJsonFileNotCached()
    {
        var (current, _) = await _wallet.AuthorisedTokensAsync();
        var (ended, _) = await _wallet.AuthorisedTokensAsync();
        using var browser = Browser();
        await CustomerBrowser.SignInThroughAsync(browser, requestUri: null, _ct);
        await WithdrawAsync(browser, ended);

        using var response = await browser.GetAsync("/customer/apps?handler=Download", _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.StartsWith("consent-history-", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_ct));
        var root = json.RootElement;
        var consents = root.GetProperty("consents").EnumerateArray().ToDictionary(c => c.GetProperty("consentId").GetString()!);
        var live = consents[current];
        Assert.True(live.GetProperty("current").GetBoolean());
        Assert.Equal("Account access", live.GetProperty("kind").GetString());
        Assert.False(string.IsNullOrWhiteSpace(live.GetProperty("app").GetString()));
        Assert.NotEmpty(live.GetProperty("allows").EnumerateArray());
        Assert.Equal(["AwaitingAuthorisation", "Authorised"], live.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("status").GetString()));
        var gone = consents[ended];
        Assert.False(gone.GetProperty("current").GetBoolean());
        Assert.Equal(JsonValueKind.String, gone.GetProperty("accessWithdrawnAt").ValueKind);
        Assert.Equal(["AwaitingAuthorisation", "Authorised", "AccessRevoked"], gone.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("status").GetString()));
        Assert.Equal("customer", gone.GetProperty("history")[2].GetProperty("actor").GetString());
    }

    [Fact]
    public async Task DownloadConsentHistory_HoldsOnlyTheSignedInCustomersConsents()
    {
        var (alices, _) = await _wallet.AuthorisedTokensAsync();
        var bobs = await _wallet.CreateConsentAsync();
        await _wallet.AuthoriseConsentAsync(bobs, "openid accounts", username: "bob");
        using var browser = Browser();
        await CustomerBrowser.SignInThroughAsync(browser, requestUri: null, _ct);

        var file = await browser.GetStringAsync("/customer/apps?handler=Download", _ct);
        var page = await browser.GetStringAsync("/customer/apps", _ct);

        Assert.Contains(alices, file);
        Assert.DoesNotContain(bobs, file);
        Assert.DoesNotContain(bobs, page);
        using var json = JsonDocument.Parse(file);
        Assert.Equal(Shared.DevelopmentSeed.DemoOrganisationId, json.RootElement.GetProperty("organisation").GetString());
    }

    [Fact]
    public async Task DownloadConsentHistory_WithoutSigningIn_GoesToTheSignInPage()
    {
        using var browser = Browser();

        using var response = await browser.GetAsync("/customer/apps?handler=Download", _ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/customer/sign-in", response.Headers.Location!.OriginalString);
    }

    private async Task WithdrawAsync(HttpClient browser, string consentId)
    {
        var confirm = await browser.GetStringAsync($"/customer/apps?withdraw={consentId}", _ct);
        using var response = await CustomerBrowser.PostFormAsync(browser, "/customer/apps?handler=Revoke", confirm,
            new() { ["consentId"] = consentId, ["confirmed"] = "true" }, _ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private HttpClient Browser() => platform.Identity.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
}
