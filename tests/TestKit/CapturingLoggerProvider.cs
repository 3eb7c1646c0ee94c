using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OpenBanking.TestKit;

/// <summary>
/// Keeps every entry a provider receives — message, structured values, exception text and scopes — as a log collector
/// would see them: the privacy tests search them for the values a journey used.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ConcurrentQueue<string> Scopes { get; } = new();

    /// <summary>Every entry and scope as text.</summary>
    public IReadOnlyList<string> AllText() => [.. Entries.Select(e => e.Everything), .. Scopes];

    public sealed record Entry(string Message, IReadOnlyDictionary<string, string?> Values, string Exception)
    {
        public string Everything => string.Join('\n', [Message, Exception, .. Values.Select(v => $"{v.Key}={v.Value}")]);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value?.ToString())
                : new Dictionary<string, string?>();
            provider._scopes.ForEachScope((scope, scopes) =>
            {
                scopes.Enqueue(scope is IEnumerable<KeyValuePair<string, object?>> items
                    ? string.Join(';', items.Select(i => $"{i.Key}={i.Value}"))
                    : scope?.ToString() ?? string.Empty);
            }, provider.Scopes);
            provider.Entries.Enqueue(new Entry(formatter(state, exception), values, exception?.ToString() ?? string.Empty));
        }
    }
}
