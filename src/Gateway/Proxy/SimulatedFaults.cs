using System.Globalization;
using OpenBanking.Gateway.OpenBanking;
using OpenBanking.Shared;

namespace OpenBanking.Gateway.Proxy;

/// <summary>
/// Faults a partner asks for with <c>x-sandbox-simulate</c> (<see cref="PlatformHeaders.SandboxSimulate"/>) on the bank
/// APIs and the sandbox controls, so it can test its handling of what a live bank will do, and the readiness report can
/// see it did: <c>rate-limit</c> → 429 with <c>Retry-After: 2</c> (the body the real rate limit gives), <c>server-error</c>
/// → 500, <c>unavailable</c> → 503 with <c>Retry-After: 2</c>. Answered by the gateway, never forwarded; only after the
/// token is accepted, so the fault is logged against the app (rule <c>simulated.&lt;name&gt;</c>). Another value → 400
/// naming the allowed ones.
/// </summary>
public static class SimulatedFaults
{
    public const string RateLimit = "rate-limit";
    public const string ServerError = "server-error";
    public const string Unavailable = "unavailable";

    /// <summary>The Retry-After of a simulated 429 or 503, in seconds.</summary>
    public const int RetryAfterSeconds = 2;

    private static readonly string[] Allowed = [RateLimit, ServerError, Unavailable];

    public static IApplicationBuilder UseSimulatedFaults(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var request = context.Request;
        if (!request.Headers.TryGetValue(PlatformHeaders.SandboxSimulate, out var values)
            || context.User.Identity?.IsAuthenticated != true
            || !(ObieResponses.IsOpenBanking(request) || request.Path.StartsWithSegments(RouteTemplates.SandboxPath)))
        {
            return next(context);
        }

        var fault = values.ToString().Trim().ToLowerInvariant();
        var allowed = string.Join(", ", Allowed);
        switch (fault)
        {
            case RateLimit:
                Note(context, fault, $"Simulated with {PlatformHeaders.SandboxSimulate}: {fault}: a 429 asking the app to retry after {RetryAfterSeconds} seconds.");
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return WriteAsync(context, StatusCodes.Status429TooManyRequests, ObieResponses.UnexpectedError,
                    $"Too many requests. Retry after {RetryAfterSeconds} seconds.");
            case ServerError:
                Note(context, fault, $"Simulated with {PlatformHeaders.SandboxSimulate}: {fault}: a 500 as from a failing bank.");
                return WriteAsync(context, StatusCodes.Status500InternalServerError, ObieResponses.UnexpectedError,
                    "An unexpected error occurred (simulated).");
            case Unavailable:
                Note(context, fault, $"Simulated with {PlatformHeaders.SandboxSimulate}: {fault}: a 503 asking the app to retry after {RetryAfterSeconds} seconds.");
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ObieResponses.UnexpectedError,
                    $"The service is unavailable (simulated). Retry after {RetryAfterSeconds} seconds.");
            default:
                var reason = $"{PlatformHeaders.SandboxSimulate} is one of {allowed} (sent \"{Shorten(values.ToString())}\").";
                context.Items[CallItems.RefusalRule] = RefusalRules.RequestRefused;
                context.Items[CallItems.RefusalReason] = reason;
                return WriteAsync(context, StatusCodes.Status400BadRequest, ObieResponses.HeaderInvalid, reason, PlatformHeaders.SandboxSimulate);
        }
    });

    private static void Note(HttpContext context, string fault, string reason)
    {
        context.Items[CallItems.RefusalRule] = RefusalRules.SimulatedPrefix + fault;
        context.Items[CallItems.RefusalReason] = reason;
    }

    private static Task WriteAsync(HttpContext context, int status, ObieErrorCode code, string message, string? path = null)
    {
        if (ObieResponses.IsOpenBanking(context.Request))
        {
            return ObieResponses.WriteErrorAsync(context, status, code, message, path);
        }

        // The sandbox controls answer problem details, as their own errors do.
        context.Response.StatusCode = status;
        return Results.Problem(detail: message, statusCode: status).ExecuteAsync(context);
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
