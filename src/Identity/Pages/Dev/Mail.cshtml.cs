using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Accounts;

namespace OpenBanking.Identity.Pages.Dev;

/// <summary>Development only: the mail drop, so a developer can confirm an address without a mail server.</summary>
[AllowAnonymous]
public sealed partial class MailModel(MailDrop drop, IHostEnvironment environment) : PageModel
{
    public IReadOnlyList<StoredMail> Messages { get; private set; } = [];

    public StoredMail? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? id, CancellationToken cancellationToken)
    {
        // The messages hold live confirmation and reset links: never served outside Development.
        if (!environment.IsDevelopment())
        {
            return NotFound();
        }

        if (id is null)
        {
            Messages = await drop.ListAsync(cancellationToken);
            return Page();
        }

        Message = await drop.FindAsync(id, cancellationToken);
        return Message is null ? NotFound() : Page();
    }

    /// <summary>The body, HTML-encoded, with its http(s) links made clickable.</summary>
    public static IHtmlContent Linkify(string body)
    {
        var html = new StringBuilder();
        var end = 0;
        foreach (Match link in LinkPattern().Matches(body))
        {
            html.Append(HtmlEncoder.Default.Encode(body[end..link.Index]));
            var url = HtmlEncoder.Default.Encode(link.Value);
            html.Append("<a href=\"").Append(url).Append("\">").Append(url).Append("</a>");
            end = link.Index + link.Length;
        }

        html.Append(HtmlEncoder.Default.Encode(body[end..]));
        return new HtmlString(html.ToString());
    }

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex LinkPattern();
}
