using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Accounts;

/// <summary>
/// Makes the tokens and links of the account emails and sends them, at most <see cref="MailQuota"/> per account: the
/// pages answer the same either way, so a stranger learns nothing, and cannot flood one inbox from many addresses.
/// </summary>
public sealed class AccountMailer(
    UserManager<ApplicationUser> users,
    IMailSender mail,
    MailQuota quota,
    LinkGenerator links,
    IConfiguration configuration,
    IHostEnvironment environment)
{
    /// <param name="returnUrl">Where the person goes after confirming and signing in: already checked by <see cref="ReturnUrls"/>.</param>
    public async Task SendConfirmationAsync(HttpContext http, ApplicationUser user, string? returnUrl, CancellationToken cancellationToken)
    {
        if (!quota.TryTake(user.Id))
        {
            return;
        }

        var code = Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        var link = Link(http, "/Account/ConfirmEmail", new { userId = user.Id, code, returnUrl });
        await mail.SendAsync(AccountMail.ConfirmEmail(user.Email!, link), cancellationToken);
    }

    public async Task SendAlreadyRegisteredAsync(HttpContext http, ApplicationUser user, string? returnUrl, CancellationToken cancellationToken)
    {
        if (quota.TryTake(user.Id))
        {
            await mail.SendAsync(
                AccountMail.AlreadyRegistered(user.Email!, Link(http, "/Account/Login", new { returnUrl }), Link(http, "/Account/ForgotPassword", null)),
                cancellationToken);
        }
    }

    public async Task SendPasswordResetAsync(HttpContext http, ApplicationUser user, CancellationToken cancellationToken)
    {
        if (!quota.TryTake(user.Id))
        {
            return;
        }

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

/// <summary>
/// How many account emails one account may be sent per window (<c>Identity:RateLimits:MailPerAccount</c>:
/// <c>PermitLimit</c>, default 5, <c>Window</c>, default 15 minutes), whatever IPs ask for them.
/// </summary>
public sealed class MailQuota : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public MailQuota(IConfiguration configuration)
    {
        var section = configuration.GetSection("Identity:RateLimits:MailPerAccount");
        var options = new FixedWindowRateLimiterOptions
        {
            PermitLimit = section.GetValue("PermitLimit", 5),
            Window = section.GetValue("Window", TimeSpan.FromMinutes(15)),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _limiter = PartitionedRateLimiter.Create<string, string>(
            userId => RateLimitPartition.GetFixedWindowLimiter(userId, _ => options));
    }

    public bool TryTake(string userId)
    {
        using var lease = _limiter.AttemptAcquire(userId);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
