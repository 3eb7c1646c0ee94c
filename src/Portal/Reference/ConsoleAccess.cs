using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Components.Authorization;

namespace OpenBanking.Portal.Reference;

/// <summary>
/// Who may make the try-it console's calls: the Portal relays them to Identity's token and authorization endpoints and
/// the gateway, so only a signed-in person, and at most <c>ApiReference:Console:CallsPerWindow</c> calls (30 by
/// default) per <c>ApiReference:Console:Window</c> (1 minute) each (OWASP API4, unrestricted resource consumption).
/// </summary>
public sealed class ConsoleAccess(AuthenticationStateProvider authentication, ConsoleRateLimiter limiter)
{
    public const string SignInFirst = "Sign in to use the try-it console.";

    /// <summary>Null when the call may go; otherwise the exchange to show instead.</summary>
    public async Task<HttpExchange?> RefuseAsync(string method, string shownUrl)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var subject = user.Identity?.IsAuthenticated == true ? user.FindFirst("sub")?.Value : null;
        if (subject is null)
        {
            return new HttpExchange(method, shownUrl, [], null, null, null, [], null, null, TimeSpan.Zero, SignInFirst);
        }

        using var lease = limiter.Limiter.AttemptAcquire(subject);
        return lease.IsAcquired
            ? null
            : new HttpExchange(method, shownUrl, [], null, StatusCodes.Status429TooManyRequests, "Too Many Requests", [], null, null, TimeSpan.Zero,
                $"429 Too Many Requests: the console makes at most {limiter.CallsPerWindow} calls per {limiter.WindowText} for each person. Wait a little and try again.");
    }
}

/// <summary>One fixed window of calls per signed-in person, shared by all their circuits.</summary>
public sealed class ConsoleRateLimiter : IDisposable
{
    public ConsoleRateLimiter(IConfiguration configuration)
    {
        CallsPerWindow = Math.Max(1, configuration.GetValue("ApiReference:Console:CallsPerWindow", 30));
        Window = configuration.GetValue("ApiReference:Console:Window", TimeSpan.FromMinutes(1));
        Limiter = PartitionedRateLimiter.Create<string, string>(subject => RateLimitPartition.GetFixedWindowLimiter(subject, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = CallsPerWindow,
            Window = Window,
            QueueLimit = 0,
        }));
    }

    public int CallsPerWindow { get; }

    public TimeSpan Window { get; }

    public string WindowText => Window == TimeSpan.FromMinutes(1) ? "minute" : Window.ToString();

    public PartitionedRateLimiter<string> Limiter { get; }

    public void Dispose() => Limiter.Dispose();
}
