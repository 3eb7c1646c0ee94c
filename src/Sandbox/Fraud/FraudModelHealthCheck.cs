using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace OpenBanking.Sandbox.Fraud;

/// <summary><c>/health</c> is Degraded while a configured fraud model failed to load (payments go on, screened by the rules alone).</summary>
public sealed class FraudModelHealthCheck(FraudModel model, IOptions<FraudOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(model.Loaded || !options.Value.Enabled
            ? HealthCheckResult.Healthy(model.Current.Version is { } version ? $"Fraud model {version} loaded." : model.Current.FallbackReason)
            : HealthCheckResult.Degraded(model.Current.FallbackReason));
}

/// <summary>Loads the model as the Sandbox starts, not on its first payment.</summary>
internal sealed class FraudModelLoader(FraudModel model) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = model.Loaded;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
