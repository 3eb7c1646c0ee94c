using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// Every line the platform's services write (stdout and stderr, as the AppHost's resource log stream carries them),
/// from before they start until the run ends: what a log collector would receive.
/// </summary>
public sealed class ResourceLogCapture : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _lines = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _watchers = [];

    /// <summary>Starts watching <paramref name="services"/>; call before the application starts so no line is missed.</summary>
    public ResourceLogCapture(DistributedApplication app, IEnumerable<string> services)
    {
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var service in services)
        {
            var lines = _lines.GetOrAdd(service, _ => new ConcurrentQueue<string>());
            _watchers.Add(Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in logs.WatchAsync(service).WithCancellation(_stop.Token))
                    {
                        foreach (var line in batch)
                        {
                            lines.Enqueue(line.Content);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // The run is over.
                }
            }));
        }
    }

    /// <summary>The lines captured so far from <paramref name="service"/>.</summary>
    public IReadOnlyList<string> LinesOf(string service) => _lines.TryGetValue(service, out var lines) ? [.. lines] : [];

    /// <summary>Every service's lines so far, each prefixed with the service's name.</summary>
    public IReadOnlyList<string> AllLines() => [.. _lines.SelectMany(pair => pair.Value.Select(line => $"{pair.Key}: {line}"))];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_watchers);
        _stop.Dispose();
    }
}
