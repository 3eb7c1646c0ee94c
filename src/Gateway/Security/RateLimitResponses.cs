using System.Globalization;
using System.Threading.RateLimiting;
using OpenBanking.Gateway.OpenBanking;
using OpenBanking.Shared;

namespace OpenBanking.Gateway.Security;

/// <summary>
/// How the gateway refuses a call over a limit (per address or per client): 429 with <c>Retry-After</c> in whole
/// seconds; on the bank APIs an <c>OBErrorResponse1</c> body says so, elsewhere the status-code pages write problem details.
/// </summary>
public static class RateLimitResponses
{
    public static Task RejectAsync(HttpContext context, RateLimitLease lease)
    {
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Items[CallItems.RefusalRule] = RefusalRules.RateLimited;
        context.Items[CallItems.RefusalReason] = $"The app sent more requests than its rate limit allows; the gateway asked it to retry after {seconds} seconds (Retry-After).";
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (!ObieResponses.IsOpenBanking(context.Request))
        {
            return Task.CompletedTask;
        }

        // The specification lists no error code for throttling; UnexpectedError with a plain message is the closest.
        return ObieResponses.WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, ObieResponses.UnexpectedError,
            $"Too many requests. Retry after {seconds} seconds.");
    }
}
