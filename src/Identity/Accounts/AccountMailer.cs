using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Accounts;

/// <summary>Makes the tokens and links of the account emails and sends them.</summary>
public sealed class AccountMailer(
    UserManager<ApplicationUser> users,
    IMailSender mail,
    LinkGenerator links,
    IConfiguration configuration,
    IHostEnvironment environment)
{
    public async Task SendConfirmationAsync(HttpContext http, ApplicationUser user, CancellationToken cancellationToken)
    {
        var code = Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        var link = Link(http, "/Account/ConfirmEmail", new { userId = user.Id, code });
        await mail.SendAsync(AccountMail.ConfirmEmail(user.Email!, link), cancellationToken);
    }

    public async Task SendAlreadyRegisteredAsync(HttpContext http, ApplicationUser user, CancellationToken cancellationToken) =>
        await mail.SendAsync(
            AccountMail.AlreadyRegistered(user.Email!, Link(http, "/Account/Login", null), Link(http, "/Account/ForgotPassword", null)),
            cancellationToken);

    public async Task SendPasswordResetAsync(HttpContext http, ApplicationUser user, CancellationToken cancellationToken)
    {
        var code = Encode(await users.GeneratePasswordResetTokenAsync(user));
        var link = Link(http, "/Account/ResetPassword", new { code });
        await mail.SendAsync(AccountMail.ResetPassword(user.Email!, link), cancellationToken);
    }

    /// <summary>Identity's tokens are not URL-safe; the pages decode this again.</summary>
    public static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    public static string? Decode(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private string Link(HttpContext http, string page, object? values)
    {
        var path = links.GetPathByPage(http, page, handler: null, values)
            ?? throw new InvalidOperationException($"No route to page {page}.");
        // Outside Development the links use the configured public URL (the issuer), never the request's Host
        // header: a forged Host would otherwise put the victim's reset token into a link to the attacker's site.
        // Development (and the tests) run on varying local ports, so there the request's own origin is used.
        var origin = environment.IsDevelopment()
            ? $"{http.Request.Scheme}://{http.Request.Host}"
            : new Uri(configuration["Identity:Issuer"] ?? "http://localhost:5001/").GetLeftPart(UriPartial.Authority);
        return origin + path;
    }
}
