using Microsoft.Net.Http.Headers;

namespace OpenBanking.Gateway.Security;

/// <summary>
/// An access token in the URL ends up in logs, histories and Referer headers (RFC 6750 §5.3): refused, even though
/// the bearer handler would not read it anyway.
/// </summary>
public static class QueryStringTokens
{
    public static IApplicationBuilder RefuseQueryStringTokens(this IApplicationBuilder app) => app.Use(static (context, next) =>
    {
        if (context.Request.Query.ContainsKey("access_token"))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers[HeaderNames.WWWAuthenticate] =
                "Bearer error=\"invalid_request\", error_description=\"Send the access token in the Authorization header, never in the URL.\"";
            return Task.CompletedTask;
        }

        return next(context);
    });
}
