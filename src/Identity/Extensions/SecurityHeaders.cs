namespace OpenBanking.Identity.Extensions;

/// <summary>
/// Browser hardening for Identity's pages: they ask for passwords and one-time codes and record consent, so they
/// must never be framed (clickjacking), load nothing foreign, and not leak a request_uri through the Referer.
/// There is deliberately no form-action: browsers apply it to the redirect back to the app after a consent.
/// </summary>
internal static class SecurityHeaders
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(static (context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        return next(context);
    });
}
