using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using OpenBanking.ServiceDefaults.Privacy;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every service of the platform shares: OpenTelemetry (logs, metrics, traces) with personal data and secrets
/// redacted from logs, health checks,
/// service discovery, HTTP client resilience (timeouts, a circuit breaker, retries of reads only) and RFC 7807
/// problem details.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health endpoint: every registered check must pass (database included).</summary>
    public const string HealthEndpointPath = "/health";

    /// <summary>Liveness endpoint: only checks tagged <c>live</c> (the process answers).</summary>
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Adds the platform's shared service defaults to a service.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddLogRedaction();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddProblemDetails();

        // Clients learn nothing from a server banner; it only helps fingerprinting.
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Only reads are retried: a POST that timed out may have been done (a consent authorised, a payment
            // made), and doing it again is not safe. A client that needs more sets its own handler.
            http.AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>Structured logs, metrics and traces, exported over OTLP when an endpoint is configured (Aspire sets one).</summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Outside Development, console logs are JSON so that log collectors keep the structure.
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
            });
        }

        // Without a collector, instrumentation would record every request's activity and metrics for nobody: the
        // hot paths (gateway, token endpoint) would pay for it. Aspire and production configure an endpoint.
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }

        // Aspire turns the instrumentations' query-string redaction off for its dashboard; here it stays on whatever
        // the environment says (a later configuration source wins over environment variables).
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION"] = "false",
            ["OTEL_DOTNET_EXPERIMENTAL_HTTPCLIENT_DISABLE_URL_QUERY_REDACTION"] = "false",
        });

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                // A service's own meter carries its assembly name (e.g. OpenBanking.Gateway), as its traces' source does.
                .AddMeter(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation(options =>
                    // Probes would drown the traces that matter.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                // Both instrumentations replace query string values with "Redacted" in url.query / url.full (their
                // default since 1.9; the OTEL_DOTNET_EXPERIMENTAL_*_DISABLE_URL_QUERY_REDACTION switches stay unset):
                // codes, request_uri and login_hint never reach a span. No code of the platform adds tags of its own.
                .AddHttpClientInstrumentation())
            .UseOtlpExporter();

        return builder;
    }

    /// <summary>Registers the liveness check; services add their own readiness checks (database, upstreams).</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        return builder;
    }

    /// <summary>Maps <c>/health</c> (all checks) and <c>/alive</c> (liveness only), anonymous and uncached.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Orchestrators (Aspire, docker compose, Kubernetes) probe these in every environment. They report
        // only a status word, never check details, so they reveal nothing about the service's internals.
        app.MapHealthChecks(HealthEndpointPath).DisableHttpMetrics().AllowAnonymous();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("live"),
        }).DisableHttpMetrics().AllowAnonymous();

        return app;
    }
}
