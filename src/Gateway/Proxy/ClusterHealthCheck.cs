using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace OpenBanking.Gateway.Proxy;

/// <summary>
/// The gateway's <c>/health</c> shows whether the bank behind it answers YARP's active health probes: degraded
/// (not unhealthy — the gateway itself works and answers 503 in the OBIE shape) while no destination is healthy.
/// </summary>
public sealed class ClusterHealthCheck(IProxyStateLookup proxyState) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        var degraded = new List<string>();
        foreach (var cluster in proxyState.GetClusters())
        {
            var destinations = cluster.Destinations.Values.ToList();
            var healthy = destinations.Count(d => d.Health.Active != DestinationHealth.Unhealthy && d.Health.Passive != DestinationHealth.Unhealthy);
            data[cluster.ClusterId] = $"{healthy}/{destinations.Count} destinations healthy";
            if (healthy == 0)
            {
                degraded.Add(cluster.ClusterId);
            }
        }

        return Task.FromResult(degraded.Count == 0
            ? HealthCheckResult.Healthy("Every cluster has a healthy destination.", data)
            : HealthCheckResult.Degraded($"No healthy destination in: {string.Join(", ", degraded)}.", data: data));
    }
}
