using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace OpenBanking.Portal.Extensions;

/// <summary>
/// Browser hardening for the Portal: admins approve organisations and grant payment access with one click, so no
/// page may be framed (clickjacking); nothing foreign loads; the Referer carries no path. Blazor Server needs its
/// own origin for scripts and the circuit's websocket ('self' covers ws:/wss: on the same host); MudBlazor sets
/// inline styles, hence style-src 'unsafe-inline' (styles only — scripts stay 'self', no inline script, no eval).
/// Like Identity's, there is deliberately no form-action: sign-in and sign-out redirect to Identity.
/// </summary>
internal static class SecurityHeaders
{
    public const string ForwardedHeadersSection = "ForwardedHeaders";

    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Outside Development the Portal runs behind a TLS-terminating proxy: forwarded headers are trusted only from the
    /// proxies and networks configured under <c>ForwardedHeaders:KnownProxies</c> / <c>:KnownNetworks</c> (by default
    /// loopback only), and HSTS tells browsers to keep to HTTPS.
    /// </summary>
    public static IHostApplicationBuilder AddPortalHardening(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ForwardedHeadersSection);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var proxy in section.GetSection("KnownProxies").Get<string[]>() ?? [])
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in section.GetSection("KnownNetworks").Get<string[]>() ?? [])
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });
        return builder;
    }

    public static WebApplication UsePortalHardening(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseForwardedHeaders();
            app.UseHsts();
        }

        // Set as the response starts: the error and status-code pages clear headers set earlier.
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpResponse)state).Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
        return app;
    }
}
