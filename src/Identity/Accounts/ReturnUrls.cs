using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OpenBanking.Identity.Accounts;

/// <summary>
/// Where a sign-in (or a sign-up, through its confirmation mail) may send the browser afterwards: a local path, or an
/// absolute URL on the Portal's origin — the origin of its registered redirect URIs (<c>Identity:PortalClient:RedirectUris</c>,
/// which the AppHost sets to wherever the Portal listens) or one listed in <c>Identity:AllowedReturnOrigins</c>.
/// Anything else is dropped: an open redirect after sign-in is a phishing tool.
/// </summary>
public sealed class ReturnUrls
{
    public const string ConfigurationKey = "Identity:AllowedReturnOrigins";

    private readonly HashSet<string> _allowedOrigins;

    public ReturnUrls(IConfiguration configuration)
    {
        var portal = (configuration.GetSection("Identity:PortalClient:RedirectUris").Get<string[]>() ?? [])
            .Select(uri => Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed : null)
            .OfType<Uri>()
            .ToList();
        var configured = (configuration.GetSection(ConfigurationKey).Get<string[]>() ?? [])
            .Select(origin => Uri.TryCreate(origin, UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .ToList();
        _allowedOrigins = portal.Concat(configured).Select(OriginOf).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        PortalHome = portal.Concat(configured).Where(uri => OriginOf(uri) is not null)
            .Select(uri => new Uri(uri.GetLeftPart(UriPartial.Authority) + "/")).FirstOrDefault();
    }

    /// <summary>The developer portal's home page, for the links back to it; null when no Portal is configured.</summary>
    public Uri? PortalHome { get; }

    /// <summary>
    /// The Portal's own sign-in entry for one of its pages: a return address that lasts (unlike a pending authorization
    /// request, which expires after minutes), so a sign-up that takes a day still ends on that page. Null when the
    /// path is not a local one or no Portal is configured.
    /// </summary>
    public string? PortalSignIn(string? portalPath)
        => PortalHome is { } home && !string.IsNullOrEmpty(portalPath) && IsLocalPath(portalPath)
            ? new Uri(home, "account/sign-in").AbsoluteUri + QueryString.Create("returnUrl", portalPath)
            : null;

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

    /// <summary>"/x" but not "//host" or "/\\host" (which browsers read as another site), nor control characters.</summary>
    private static bool IsLocalPath(string path)
        => Microsoft.AspNetCore.Http.HttpResults.RedirectHttpResult.IsLocalUrl(path) && !path.StartsWith('~');

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
