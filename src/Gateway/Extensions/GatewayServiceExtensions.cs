using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using OpenBanking.Gateway.CallLog;
using OpenBanking.Gateway.Infrastructure;
using OpenBanking.Gateway.Lint;
using OpenBanking.Gateway.OpenBanking;
using OpenBanking.Gateway.Proxy;
using OpenBanking.Gateway.Security;
using OpenBanking.ServiceDefaults.Authentication;
using OpenBanking.ServiceDefaults.Data;
using OpenBanking.ServiceDefaults.DataProtection;
using OpenBanking.Shared;

namespace OpenBanking.Gateway.Extensions;

internal static class GatewayServiceExtensions
{
    public const string ConnectionName = "GatewayDb";

    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddServiceDatabase<GatewayDbContext, SqliteGatewayDbContext, SqlServerGatewayDbContext>(ConnectionName);
        builder.AddDataProtectionKeys<GatewayDbContext>(PlatformServices.Gateway);

        // Bank-API tokens for the routes, internal tokens for the call-log API; each policy names its audience.
        builder.AddPlatformJwtBearer(PlatformClaims.OpenBankingAudience, PlatformClaims.GatewayAudience);
        builder.AddGatewayDpop();
        builder.Services.AddAuthorizationBuilder().AddGatewayPolicies();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ObieAuthorizationResultHandler>();
        builder.Services.AddExceptionHandler<ObieExceptionHandler>();

        builder.AddRateLimits();

        // Destinations such as http://sandbox resolve through service discovery: Aspire injects the
        // addresses; alone, the "Services" section of appsettings.json gives the Development ports.
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms<HeaderHygiene>();
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("sandbox-cluster");

        builder.Services.AddOptions<CallLogOptions>().BindConfiguration(CallLogOptions.SectionName)
            .Validate(o => o.Capacity > 0 && o.BatchSize > 0 && o.RetentionDays > 0 && o.DetailRetentionDays > 0 && o.RetentionBatchSize > 0 && o.RetentionRetryDelay > TimeSpan.Zero,
                $"{CallLogOptions.SectionName}: Capacity, BatchSize, RetentionDays, DetailRetentionDays, RetentionBatchSize and RetentionRetryDelay must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<CallRecorder>();
        builder.Services.AddSingleton<CallLogWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CallLogWriter>());

        // Spec lint: the OBIE documents read once, calls linted after they are written (never on the request path).
        builder.Services.AddOptions<SpecLintOptions>().BindConfiguration(SpecLintOptions.SectionName)
            .Validate(o => o.QueueCapacity > 0 && o.MaxPerSecond > 0, $"{SpecLintOptions.SectionName}: QueueCapacity and MaxPerSecond must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton(_ => new SpecCatalog(SpecCatalog.DefaultDirectory()));
        builder.Services.AddSingleton<SpecLintWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SpecLintWorker>());

        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName);
        return builder;
    }

    /// <summary>
    /// A token bucket per client address ahead of authentication (<see cref="AddressRateLimit"/>), and one per client
    /// and scope (<c>Gateway:RateLimits:{scope}</c>: TokenLimit = burst, TokensPerSecond), named by each route's
    /// <c>RateLimiterPolicy</c>. Refused: 429 with Retry-After (<see cref="RateLimitResponses"/>).
    /// </summary>
    private static void AddRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AddressRateLimitOptions>().BindConfiguration(AddressRateLimitOptions.SectionName)
            .Validate(o => o.TokenLimit > 0 && o.TokensPerPeriod > 0 && o.ReplenishmentPeriod > TimeSpan.Zero,
                $"{AddressRateLimitOptions.SectionName}: TokenLimit, TokensPerPeriod and ReplenishmentPeriod must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AddressRateLimiter>();

        var limits = builder.Configuration.GetSection("Gateway:RateLimits");
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = static (context, _) => new ValueTask(RateLimitResponses.RejectAsync(context.HttpContext, context.Lease));

            // The sandbox's own controls (the test clock, the FX desk) have a bucket of their own, and so do event
            // subscriptions and polling: a partner's long polls must not eat its account-data budget, nor the reverse.
            foreach (var scope in PlatformScopes.OpenBanking.Append("sandbox").Append("events"))
            {
                var section = limits.GetSection(scope);
                var burst = section.GetValue("TokenLimit", 100);
                var perSecond = section.GetValue("TokensPerSecond", 50);
                options.AddPolicy(scope, context => RateLimitPartition.GetTokenBucketLimiter(
                    context.User.FindFirst("client_id")?.Value ?? "anonymous",
                    _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = burst,
                        TokensPerPeriod = perSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            }
        });
    }
}

/// <summary><c>Gateway</c> settings.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The origin partners call (e.g. https://api.example.com), when requests reach the gateway under another name; DPoP proofs may name it in <c>htu</c>.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The largest request body accepted on the bank APIs (payment requests are a few KB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;
}
