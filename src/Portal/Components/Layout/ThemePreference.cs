using Microsoft.Net.Http.Headers;

namespace OpenBanking.Portal.Components.Layout;

/// <summary>
/// Light or dark, decided on the server so the prerendered page already has the right theme (no flash of the other
/// one): the person's choice from the <see cref="CookieName"/> cookie the theme toggle writes, else the browser's
/// colour-scheme preference from the <c>Sec-CH-Prefers-Color-Scheme</c> client hint (Chromium browsers send it), else
/// unknown — then the layout asks the browser after the first render.
/// </summary>
public static class ThemePreference
{
    public const string CookieName = "portal-theme";
    public const string ClientHint = "Sec-CH-Prefers-Color-Scheme";

    /// <summary>True for dark, false for light, null when neither the person nor the browser said.</summary>
    public static bool? DarkMode(HttpRequest request)
    {
        var saved = request.Cookies[CookieName];
        if (saved is "dark" or "light")
        {
            return saved == "dark";
        }

        // A structured-header string: "dark" or "light", quotes included.
        return request.Headers[ClientHint].ToString().Trim('"') switch
        {
            "dark" => true,
            "light" => false,
            _ => null,
        };
    }

    /// <summary>
    /// Asks Chromium browsers for the colour-scheme hint on pages; Critical-CH makes a first visit retry at once with
    /// it, so even a newcomer gets their system's theme in the first paint.
    /// </summary>
    public static WebApplication UseThemeClientHint(this WebApplication app)
    {
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var response = (HttpResponse)state;
                if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
                {
                    response.Headers["Accept-CH"] = ClientHint;
                    response.Headers["Critical-CH"] = ClientHint;
                    response.Headers.Append(HeaderNames.Vary, ClientHint);
                }

                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
        return app;
    }
}
