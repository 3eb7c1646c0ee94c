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
    public ResourceLogCapture(DistributedApplication app, IReadOnlyCollection<string> services)
    {
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var service in services)
        {
            _lines[service] = new ConcurrentQueue<string>();
        }

        // A service's logs stream under the id of its running instance (its name plus a suffix), known only once the
        // orchestrator creates it: each new instance of a watched service gets a watcher of its own.
        _watchers.Add(Task.Run(async () =>
        {
            var watched = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                await foreach (var update in notifications.WatchAsync(_stop.Token))
                {
                    if (_lines.TryGetValue(update.Resource.Name, out var lines) && watched.Add(update.ResourceId))
                    {
                        lock (_watchers)
                        {
                            _watchers.Add(WatchAsync(logs, update.ResourceId, lines));
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The run is over.
            }
        }));
    }

    private async Task WatchAsync(ResourceLoggerService logs, string resourceId, ConcurrentQueue<string> lines)
    {
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(_stop.Token))
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
    }

    /// <summary>The lines captured so far from <paramref name="service"/>.</summary>
    public IReadOnlyList<string> LinesOf(string service) => _lines.TryGetValue(service, out var lines) ? [.. lines] : [];

    /// <summary>Every service's lines so far, each prefixed with the service's name.</summary>
    public IReadOnlyList<string> AllLines() => [.. _lines.SelectMany(pair => pair.Value.Select(line => $"{pair.Key}: {line}"))];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Task[] watchers;
        lock (_watchers)
        {
            watchers = [.. _watchers];
        }

        await Task.WhenAll(watchers);
        _stop.Dispose();
    }
}
