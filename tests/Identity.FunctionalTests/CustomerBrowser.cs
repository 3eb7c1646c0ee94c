using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// A customer's browser on Identity's pages, without a real browser: alice signing in through password and second
/// factor, forms posted with their antiforgery token and hidden fields, pages parsed to read what they show.
/// </summary>
internal static partial class CustomerBrowser
{
    /// <summary>The consent is listed among the ended ones and no longer among the current ones (issue 22: every consent stays visible).</summary>
    public static async Task AssertEndedAsync(string html, string consentId, CancellationToken ct)
    {
        var page = await ParseAsync(html, ct);
        Assert.Null(page.QuerySelector($"[data-testid='current-consents'] [data-consent-id='{consentId}']"));
        Assert.NotNull(page.QuerySelector($"[data-testid='ended-consents'] [data-consent-id='{consentId}']"));
        Assert.Null(page.QuerySelector($"[data-consent-id='{consentId}'] [data-testid='revoke']"));
    }

    public static async Task<IDocument> ParseAsync(string html, CancellationToken ct)
        => await new AngleSharp.Html.Parser.HtmlParser().ParseDocumentAsync(html, ct);

    public static string Text(IDocument document, string testId)
        => document.QuerySelector($"[data-testid='{testId}']")?.TextContent.Trim() ?? throw new Xunit.Sdk.XunitException($"No {testId} on the page.");

    /// <summary>From the authorize URL (or the connected-apps page) through password and second factor, as a browser.</summary>
    public static async Task<string> SignInThroughAsync(HttpClient browser, string? requestUri, CancellationToken ct)
    {
        var url = requestUri is null ? "/customer/apps" : $"/connect/authorize?client_id=demo-wallet&request_uri={Uri.EscapeDataString(requestUri)}";
        using var first = await browser.GetAsync(url, ct);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var signInUrl = first.Headers.Location!.OriginalString;
        var signIn = await browser.GetStringAsync(signInUrl, ct);
        using var afterPassword = await PostFormAsync(browser, signInUrl, signIn, new()
        {
            ["Org"] = DevelopmentSeed.DemoOrganisationId,
            ["Username"] = "alice",
            ["Password"] = "sandbox",
        }, ct);
        Assert.Equal(HttpStatusCode.Redirect, afterPassword.StatusCode);
        var secondFactorUrl = afterPassword.Headers.Location!.OriginalString;
        var secondFactor = await browser.GetStringAsync(secondFactorUrl, ct);
        using var afterCode = await PostFormAsync(browser, secondFactorUrl, secondFactor, new() { ["Code"] = "123456" }, ct);
        Assert.Equal(HttpStatusCode.Redirect, afterCode.StatusCode);
        return await browser.GetStringAsync(afterCode.Headers.Location!.OriginalString, ct);
    }

    /// <summary>Posts a page's form with these fields, its antiforgery token and every hidden field not given.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string url, string page, Dictionary<string, string> fields, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>>(fields) { new("__RequestVerificationToken", Wallet.AntiforgeryToken(page)) };
        foreach (Match hidden in HiddenInput().Matches(page))
        {
            if (!fields.ContainsKey(hidden.Groups[1].Value) && hidden.Groups[1].Value != "__RequestVerificationToken")
            {
                form.Add(new(hidden.Groups[1].Value, WebUtility.HtmlDecode(hidden.Groups[2].Value)));
            }
        }

        return await browser.PostAsync(url, new FormUrlEncodedContent(form), ct);
    }

    [GeneratedRegex("<input type=\"hidden\"[^>]*?name=\"([^\"]+)\"[^>]*?value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();
}
