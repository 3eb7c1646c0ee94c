using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>A page as the server rendered it: its final URL, status and parsed document.</summary>
internal sealed record HtmlPage(Uri Url, HttpStatusCode Status, IDocument Document)
{
    public IElement? ByTestId(string testId) => Document.QuerySelector($"[data-testid='{testId}']");

    public string TextOf(string testId) =>
        (ByTestId(testId) ?? throw new InvalidOperationException($"No element [data-testid={testId}] on {Url}:\n{Document.Body?.TextContent}"))
            .TextContent.Trim();

    /// <summary>The errors the page announces (the role="alert" summary).</summary>
    public string Errors => ByTestId("errors")?.TextContent.Trim() ?? string.Empty;
}

/// <summary>
/// A tiny form-filling browser over an HttpClient that keeps cookies and does not follow redirects itself:
/// GETs a page, fills a form (hidden fields such as the antiforgery token included), posts it, follows redirects.
/// </summary>
internal sealed class HtmlSession(HttpClient client)
{
    private static readonly HtmlParser Parser = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public HttpClient Client => client;

    public Task<HttpResponseMessage> GetRawAsync(string url) => client.GetAsync(url, _ct);

    /// <summary>GETs a page and follows its redirects.</summary>
    public async Task<HtmlPage> GetAsync(string url) => await FollowAsync(await client.GetAsync(url, _ct));

    /// <summary>Posts the form with the given data-testid, the page's own values overridden by <paramref name="fields"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(HtmlPage page, string formTestId, IReadOnlyDictionary<string, string>? fields = null)
    {
        var form = page.ByTestId(formTestId) as IHtmlFormElement
            ?? throw new InvalidOperationException($"No form [data-testid={formTestId}] on {page.Url}:\n{page.Document.Body?.TextContent}");

        var values = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            var name = element.GetAttribute("name");
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }

            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" or "radio" } box:
                    if (box.IsChecked)
                    {
                        values.Add(new(name, box.Value));
                    }

                    break;
                case IHtmlInputElement { Type: "submit" or "button" or "image" }:
                    break;
                case IHtmlInputElement input:
                    values.Add(new(name, input.Value));
                    break;
                case IHtmlTextAreaElement area:
                    values.Add(new(name, area.Value));
                    break;
                case IHtmlSelectElement select:
                    values.Add(new(name, select.Value ?? string.Empty));
                    break;
            }
        }

        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            // A filled-in field replaces what the page had (a checkbox's hidden "false" comes after it, as in a browser).
            var index = values.FindIndex(v => v.Key == name);
            if (index >= 0)
            {
                values[index] = new(name, value);
            }
            else
            {
                values.Insert(0, new(name, value));
            }
        }

        var action = form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? page.Url : new Uri(page.Url, action);
        using var content = new FormUrlEncodedContent(values);
        return await client.PostAsync(target, content, _ct);
    }

    /// <summary>Posts the form and follows the redirects to the page that answers.</summary>
    public async Task<HtmlPage> SubmitAsync(HtmlPage page, string formTestId, IReadOnlyDictionary<string, string>? fields = null) =>
        await FollowAsync(await PostFormAsync(page, formTestId, fields));

    public async Task<HtmlPage> FollowAsync(HttpResponseMessage response)
    {
        for (var hops = 0; hops < 10; hops++)
        {
            if ((int)response.StatusCode is < 300 or >= 400)
            {
                using (response)
                {
                    var html = await response.Content.ReadAsStringAsync(_ct);
                    var document = await Parser.ParseDocumentAsync(html, _ct);
                    return new HtmlPage(response.RequestMessage!.RequestUri!, response.StatusCode, document);
                }
            }

            var location = new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location!);
            response.Dispose();
            response = await client.GetAsync(location, _ct);
        }

        throw new InvalidOperationException("More than 10 redirects.");
    }

    /// <summary>Opens the newest message to <paramref name="to"/> on the Development mail page and returns its first link.</summary>
    public async Task<string> LinkInNewestMailAsync(string to, string subject)
    {
        var list = await GetAsync("/dev/mail");
        var item = list.Document.QuerySelectorAll("[data-testid='mail-item']")
            .FirstOrDefault(row => row.QuerySelector("[data-testid='mail-to']")!.TextContent.Trim() == to
                && row.QuerySelector("[data-testid='open-mail']")!.TextContent.Contains(subject, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No mail \"{subject}\" to {to}:\n{list.Document.Body?.TextContent}");
        var message = await GetAsync(item.QuerySelector("a")!.GetAttribute("href")!);
        return message.ByTestId("mail-body")?.QuerySelector("a")?.GetAttribute("href")
            ?? throw new InvalidOperationException($"No link in the mail at {message.Url} ({message.Status}):\n{message.Document.DocumentElement.OuterHtml}");
    }
}
