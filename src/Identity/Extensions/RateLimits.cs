using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OpenBanking.Identity.Extensions;

/// <summary>
/// Per-client-IP limits on the requests that cost a password or secret hash check, or send an email (OWASP API4:2023):
/// <c>Identity:RateLimits:{Name}</c> with <c>PermitLimit</c> and <c>Window</c> (a fixed window per IP). Only POSTs are
/// counted, so reading a page or discovery is never refused. Matched by path, because OpenIddict checks a client's
/// secret in its own middleware, before any endpoint runs. Refused: 429 with Retry-After; an OAuth error body
/// (<c>slow_down</c>) on the OAuth endpoints, problem details elsewhere. Per-account limits are Identity's lockout
/// (partners) and the customer sign-in throttle.
/// </summary>
internal static class RateLimits
{
    private sealed record Limit(string Name, bool OAuth, string[] Paths, int PermitLimit, TimeSpan Window);

    // Production defaults; Development raises them (appsettings.Development.json) for the E2E suite and local demos.
    private static readonly Limit[] Defaults =
    [
        // The token endpoint and its siblings authenticate the client: a wrong secret costs a hash check.
        new("Token", OAuth: true, ["/connect/token", "/connect/par", "/connect/introspect", "/connect/revoke", "/sandbox/authorize"], 300, TimeSpan.FromMinutes(1)),
        new("SignIn", OAuth: false, ["/account/login", "/account/loginwith2fa", "/account/loginwithrecoverycode", "/account/resetpassword"], 30, TimeSpan.FromMinutes(5)),
        // Each of these may send an email to an address the caller chose (mail bombing).
        new("AccountMail", OAuth: false, ["/account/register", "/account/forgotpassword", "/account/resendemailconfirmation"], 10, TimeSpan.FromMinutes(15)),
        new("Customer", OAuth: false, ["/customer/"], 30, TimeSpan.FromMinutes(5)),
    ];

    public static IHostApplicationBuilder AddIdentityRateLimits(this IHostApplicationBuilder builder)
    {
        var limits = Defaults.Select(limit =>
        {
            var section = builder.Configuration.GetSection($"Identity:RateLimits:{limit.Name}");
            return limit with
            {
                PermitLimit = section.GetValue("PermitLimit", limit.PermitLimit),
                Window = section.GetValue("Window", limit.Window),
            };
        }).ToArray();

        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method) || Find(limits, context.Request.Path) is not { } limit)
                {
                    return RateLimitPartition.GetNoLimiter(string.Empty);
                }

                // The direct peer: behind a proxy, forwarded headers must be applied first for this to be the client.
                var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter(limit.Name + " " + ip, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit.PermitLimit,
                    Window = limit.Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            options.OnRejected = static async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 60;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                http.Response.Headers.CacheControl = "no-store";
                var detail = $"Too many attempts from this address; try again in {seconds} seconds.";
                if (Find(Defaults, http.Request.Path) is { OAuth: true })
                {
                    // RFC 6749 has no rate-limit error; "slow_down" (RFC 8628 §3.5, registered for token endpoint
                    // responses) says exactly this, and 429 with Retry-After tells when.
                    await http.Response.WriteAsJsonAsync(new OAuthError("slow_down", detail), cancellationToken);
                    return;
                }

                await TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attempts").ExecuteAsync(http);
            };
        });

        return builder;
    }

    private static Limit? Find(Limit[] limits, PathString path) => limits.FirstOrDefault(limit => limit.Paths.Any(p => p.EndsWith('/')
        ? path.StartsWithSegments(p.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
        : path.Equals(p, StringComparison.OrdinalIgnoreCase)));

    private sealed record OAuthError(
        [property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error,
        [property: System.Text.Json.Serialization.JsonPropertyName("error_description")] string ErrorDescription);
}
