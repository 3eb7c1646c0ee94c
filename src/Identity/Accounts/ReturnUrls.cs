using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OpenBanking.Identity.Accounts;

/// <summary>
/// Where a sign-in may send the browser afterwards: a local path, or an absolute URL on an origin listed in
/// <c>Identity:AllowedReturnOrigins</c> (the Portal). Anything else is dropped: an open redirect after sign-in
/// is a phishing tool.
/// </summary>
public sealed class ReturnUrls
{
    public const string ConfigurationKey = "Identity:AllowedReturnOrigins";

    private readonly HashSet<string> _allowedOrigins;

    public ReturnUrls(IConfiguration configuration)
    {
        _allowedOrigins = (configuration.GetSection(ConfigurationKey).Get<string[]>() ?? [])
            .Select(origin => Uri.TryCreate(origin, UriKind.Absolute, out var uri) ? OriginOf(uri) : null)
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The return URL if it is safe to redirect to, else null.</summary>
    public string? Sanitize(string? returnUrl, IUrlHelper url)
    {
        if (string.IsNullOrWhiteSpace(returnUrl))
        {
            return null;
        }

        if (url.IsLocalUrl(returnUrl))
        {
            return returnUrl;
        }

        return Uri.TryCreate(returnUrl, UriKind.Absolute, out var uri) && OriginOf(uri) is { } origin && _allowedOrigins.Contains(origin)
            ? uri.AbsoluteUri
            : null;
    }

    /// <summary>Redirects to the return URL if it is safe, else to the account page.</summary>
    public IActionResult RedirectAfterSignIn(PageModel page, string? returnUrl)
    {
        var target = Sanitize(returnUrl, page.Url);
        return target is null ? new LocalRedirectResult(AccountPaths.Home) : new RedirectResult(target);
    }

    private static string? OriginOf(Uri uri) =>
        // User info ("http://allowed@evil.example") never belongs in a return URL.
        (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.UserInfo.Length == 0
            ? $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}"
            : null;
}

/// <summary>The account pages' public paths (the cookie and the authorization redirects name them).</summary>
public static class AccountPaths
{
    public const string Home = "/account";
    public const string Login = "/account/login";
    public const string Logout = "/account/logout";
    public const string AccessDenied = "/account/accessdenied";
    public const string TwoFactor = "/account/manage/twofactor";
}
