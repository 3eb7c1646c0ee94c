using Microsoft.AspNetCore.WebUtilities;

namespace OpenBanking.Portal.Reference;

/// <summary>
/// The Portal's callback catcher: a redirect URI any sandbox app may register (<see cref="Path"/>), which shows what
/// the authorization server sent back. The page reads the query and the fragment; this endpoint turns a
/// <c>response_mode=form_post</c> answer into the same query, so that one page serves all three response modes.
/// </summary>
public static class CallbackCatcher
{
    public const string Path = "/callback";

    /// <summary>The authorization response parameters the catcher shows, in the order it shows them.</summary>
    public static readonly string[] Parameters = ["code", "state", "iss", "error", "error_description", "error_uri"];

    /// <summary>The catcher's absolute address on this Portal, e.g. <c>http://localhost:5000/callback</c>.</summary>
    public static string UrlFor(string portalBaseUri) => new Uri(new Uri(portalBaseUri), Path.TrimStart('/')).ToString();

    public static IEndpointRouteBuilder MapCallbackCatcher(this IEndpointRouteBuilder endpoints)
    {
        // A form_post arrives from the bank's origin with no antiforgery token, by design. It changes nothing here:
        // the known parameters are passed on to the page with a redirect (which browsers follow with a GET), and the page is what acts (only for the person who
        // started the authorisation, with what the server kept).
        endpoints.MapPost(Path, async (HttpContext context) =>
            {
                var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
                var query = Parameters
                    .Select(name => new KeyValuePair<string, string?>(name, form?[name].ToString()))
                    .Where(p => !string.IsNullOrEmpty(p.Value))
                    .Append(new("response_mode", "form_post"));
                return TypedResults.Redirect(QueryHelpers.AddQueryString(Path, query), permanent: false, preserveMethod: false);
            })
            .DisableAntiforgery()
            .AllowAnonymous()
            // Before the page's own endpoint, which also answers POST (for its forms).
            .WithOrder(-1)
            .ExcludeFromDescription();
        return endpoints;
    }
}
