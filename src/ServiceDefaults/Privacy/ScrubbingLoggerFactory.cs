using Microsoft.Extensions.Logging;

namespace OpenBanking.ServiceDefaults.Privacy;

/// <summary>
/// Wraps the service's logger factory so that every logger — and so every provider behind it: console, OTLP, a
/// test's capturing provider — receives messages, structured values and scopes already passed through the
/// <see cref="LogScrubber"/>. Classified parameters of source-generated messages are left to the redactors (their
/// values are not even visible here); only the unclassified ones are scrubbed.
/// </summary>
public sealed class ScrubbingLoggerFactory(ILoggerFactory inner, LogScrubber scrubber) : ILoggerFactory
{
    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new ScrubbingLogger(inner.CreateLogger(categoryName), scrubber);

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <inheritdoc />
    public void Dispose() => inner.Dispose();
}

/// <summary>A logger that scrubs what it forwards (see <see cref="ScrubbingLoggerFactory"/>).</summary>
public sealed class ScrubbingLogger(ILogger inner, LogScrubber scrubber) : ILogger
{
    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => state switch
    {
        string text => inner.BeginScope(scrubber.Scrub(text)),
        IEnumerable<KeyValuePair<string, object?>> values
            when ScrubbedState.TryCreate(values as IReadOnlyList<KeyValuePair<string, object?>> ?? [.. values], state.ToString() ?? string.Empty, scrubber) is { } scrubbed
            => inner.BeginScope(scrubbed),
        _ => inner.BeginScope(state),
    };

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        var scrubbedException = exception is null ? null : ScrubbedException.TryCreate(exception, scrubber);
        if (state is LoggerMessageState generated)
        {
            // The extended generator's state: classified values sit apart and are redacted by the inner logger; the
            // formatter reads the unclassified ones from the tag array, so they are scrubbed in place.
            for (var i = 0; i < generated.TagsCount; i++)
            {
                ref var tag = ref generated.TagArray[i];
                if (tag.Value is string text && tag.Key != ScrubbedState.OriginalFormat)
                {
                    tag = new(tag.Key, ScrubbedState.ScrubValue(tag.Key, text, scrubber));
                }
            }

            inner.Log(logLevel, eventId, state, scrubbedException ?? exception, formatter);
            return;
        }

        var message = formatter(state, exception);
        var cleanMessage = scrubber.Scrub(message);
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values
            && ScrubbedState.TryCreate(values, message, scrubber, cleanMessage) is { } scrubbed)
        {
            inner.Log(logLevel, eventId, scrubbed, scrubbedException ?? exception, static (s, _) => s.ToString());
        }
        else if (!ReferenceEquals(message, cleanMessage))
        {
            inner.Log(logLevel, eventId, state, scrubbedException ?? exception, (_, _) => cleanMessage);
        }
        else
        {
            inner.Log(logLevel, eventId, state, scrubbedException ?? exception, formatter);
        }
    }
}

/// <summary>Structured log state with its sensitive values masked; <see cref="ToString"/> is the scrubbed message.</summary>
internal sealed class ScrubbedState(KeyValuePair<string, object?>[] values, string message) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string OriginalFormat = "{OriginalFormat}";

    public KeyValuePair<string, object?> this[int index] => values[index];

    public int Count => values.Length;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)values).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => message;

    public static string ScrubValue(string name, string value, LogScrubber scrubber)
        => value.Length > 0 && LogScrubber.IsSensitiveName(name) ? LogScrubber.Redacted : scrubber.Scrub(value);

    /// <summary>A scrubbed copy when anything (a value or the message) changed; null when all is clean.</summary>
    public static ScrubbedState? TryCreate(IReadOnlyList<KeyValuePair<string, object?>> state, string message, LogScrubber scrubber, string? cleanMessage = null)
    {
        cleanMessage ??= scrubber.Scrub(message);
        KeyValuePair<string, object?>[]? copy = null;
        for (var i = 0; i < state.Count; i++)
        {
            var (name, value) = state[i];
            if (value is not string text || name == OriginalFormat)
            {
                continue;
            }

            var clean = ScrubValue(name, text, scrubber);
            if (!ReferenceEquals(clean, text))
            {
                copy ??= [.. state];
                copy[i] = new(name, clean);
            }
        }

        return copy is null && ReferenceEquals(cleanMessage, message) ? null : new ScrubbedState(copy ?? [.. state], cleanMessage);
    }
}

/// <summary>
/// An exception whose text had something to mask: it stands in for the original in the log (same message and
/// stack trace, scrubbed); the original type is named in its message.
/// </summary>
public sealed class ScrubbedException : Exception
{
    private readonly string _text;
    private readonly string? _stackTrace;

    private ScrubbedException(string message, string text, string? stackTrace) : base(message)
    {
        _text = text;
        _stackTrace = stackTrace;
    }

    /// <inheritdoc />
    public override string? StackTrace => _stackTrace;

    /// <inheritdoc />
    public override string ToString() => _text;

    /// <summary>A scrubbed stand-in for <paramref name="exception"/>, or null when its text has nothing to mask.</summary>
    public static ScrubbedException? TryCreate(Exception exception, LogScrubber scrubber)
    {
        var text = exception.ToString();
        var clean = scrubber.Scrub(text);
        return ReferenceEquals(text, clean)
            ? null
            : new ScrubbedException($"{exception.GetType().FullName}: {scrubber.Scrub(exception.Message)}", clean, exception.StackTrace is { } stack ? scrubber.Scrub(stack) : null);
    }
}
