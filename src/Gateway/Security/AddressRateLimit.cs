using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OpenBanking.Gateway.Security;

/// <summary>
/// <c>Gateway:RateLimits:PerAddress</c>: a token bucket per client address, checked before anything reads the token.
/// It is the only limit a caller without a valid token meets, so it bounds the JWT validations and call-log work
/// anyone can cause; the per-client limits of the routes still apply to authenticated calls.
/// </summary>
public sealed class AddressRateLimitOptions
{
    public const string SectionName = "Gateway:RateLimits:PerAddress";

    /// <summary>The burst one address may send.</summary>
    public int TokenLimit { get; set; } = 200;

    /// <summary>Requests added back to an address's bucket every <see cref="ReplenishmentPeriod"/>.</summary>
    public int TokensPerPeriod { get; set; } = 100;

    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>The per-address limiter: one bucket per IPv4 address or IPv6 /64 (one host usually holds a whole /64).</summary>
public sealed class AddressRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public AddressRateLimiter(IOptions<AddressRateLimitOptions> options)
    {
        var settings = options.Value;
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.TokenLimit,
            TokensPerPeriod = settings.TokensPerPeriod,
            ReplenishmentPeriod = settings.ReplenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context.Connection.RemoteIpAddress), _ => bucket));
    }

    public RateLimitLease Acquire(HttpContext context) => _limiter.AttemptAcquire(context);

    /// <summary>The bucket an address counts against: IPv4 (or IPv4-mapped) as is, IPv6 by its /64 prefix.</summary>
    public static string PartitionKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public void Dispose() => _limiter.Dispose();
}

public static class AddressRateLimit
{
    /// <summary>
    /// Refuses a request over its address's limit with 429 before token validation, the request body limit and the
    /// proxy see it. The health probes are exempt: an orchestrator must not see a flood as a dead gateway.
    /// </summary>
    public static IApplicationBuilder UseAddressRateLimit(this IApplicationBuilder app)
    {
        var limiter = app.ApplicationServices.GetRequiredService<AddressRateLimiter>();
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments(ServiceDefaultsExtensions.HealthEndpointPath)
                || path.StartsWithSegments(ServiceDefaultsExtensions.AlivenessEndpointPath))
            {
                await next(context);
                return;
            }

            using var lease = limiter.Acquire(context);
            if (lease.IsAcquired)
            {
                await next(context);
                return;
            }

            await RateLimitResponses.RejectAsync(context, lease);
        });
    }
}
