using System.Diagnostics;
using OpenBanking.Shared;

namespace OpenBanking.Portal.Services;

/// <summary>The health of one platform service as the Portal sees it over HTTP.</summary>
public sealed record ServiceStatus(string Name, string Description, bool Healthy, string Detail, TimeSpan Latency);

/// <summary>Asks each service's <c>/health</c> endpoint (found through service discovery) how it is.</summary>
public sealed class PlatformStatus(IHttpClientFactory httpClientFactory)
{
    public const string HttpClientName = "platform-status";

    private static readonly (string Service, string Description)[] Services =
    [
        (PlatformServices.Identity, "Authorization server: sign-in, OAuth 2.0 and OpenID Connect"),
        (PlatformServices.Gateway, "Open Banking API gateway"),
        (PlatformServices.Sandbox, "Sandbox bank: accounts, payments and test data"),
    ];

    public Task<ServiceStatus[]> CheckAllAsync(CancellationToken cancellationToken)
        => Task.WhenAll(Services.Select(s => CheckAsync(s.Service, s.Description, cancellationToken)));

    private async Task<ServiceStatus> CheckAsync(string service, string description, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var response = await client.GetAsync($"http://{service}/health", cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return new ServiceStatus(service, description, response.IsSuccessStatusCode, body.Trim(), stopwatch.Elapsed);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new ServiceStatus(service, description, false, "Unreachable", stopwatch.Elapsed);
        }
    }
}
