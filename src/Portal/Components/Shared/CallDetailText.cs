using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Components.Shared;

/// <summary>How the call-log detail writes sizes, bodies and the request as a curl command.</summary>
public static class CallDetailText
{
    /// <summary>"no body" for nothing sent, bytes below a KiB, then KiB / MiB with one decimal.</summary>
    public static string Size(long bytes) => bytes switch
    {
        <= 0 => "no body",
        < 1024 => $"{bytes.ToString(CultureInfo.InvariantCulture)} B",
        < 1024 * 1024 => $"{(bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture)} KiB",
        _ => $"{(bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture)} MiB",
    };

    /// <summary>
    /// JSON indented for reading, every character of every string and number kept as sent: the text is re-indented,
    /// never parsed and re-serialised (a serialiser would write <c>+00:00</c> as <c>\u002B00:00</c>). Anything that is
    /// not complete JSON is returned as it is.
    /// </summary>
    public static string Pretty(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return text;
        }

        var output = new StringBuilder(text.Length * 2);
        var depth = 0;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                output.Append(c);
                if (c == '\\' && i + 1 < text.Length)
                {
                    output.Append(text[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    output.Append(c);
                    break;
                case '{' or '[':
                    var close = NextSignificant(text, i + 1);
                    if (close is '}' or ']')
                    {
                        // An empty object or array stays on one line.
                        output.Append(c).Append(text[SkipSpace(text, i + 1)]);
                        i = SkipSpace(text, i + 1);
                    }
                    else
                    {
                        output.Append(c);
                        NewLine(output, ++depth);
                    }

                    break;
                case '}' or ']':
                    NewLine(output, --depth);
                    output.Append(c);
                    break;
                case ',':
                    output.Append(c);
                    NewLine(output, depth);
                    break;
                case ':':
                    output.Append(": ");
                    break;
                case ' ' or '\t' or '\r' or '\n':
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }

        return output.ToString();
    }

    private static int SkipSpace(string text, int from)
    {
        while (from < text.Length && char.IsWhiteSpace(text[from]))
        {
            from++;
        }

        return from;
    }

    private static char NextSignificant(string text, int from)
    {
        var at = SkipSpace(text, from);
        return at < text.Length ? text[at] : '\0';
    }

    private static void NewLine(StringBuilder output, int depth) => output.Append('\n').Append(' ', Math.Max(0, depth) * 2);

    /// <summary>Headers a new request would not repeat: the connection's own, the tracing ones, and this call's interaction id.</summary>
    private static readonly HashSet<string> NotRepeated = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Connection", "Accept-Encoding", "Cookie", "Authorization", "traceparent", "tracestate",
        "x-fapi-interaction-id", "Transfer-Encoding", "Expect", "User-Agent",
    };

    /// <summary>The request as a curl command for a POSIX shell; the token is left to <c>$ACCESS_TOKEN</c>.</summary>
    public static string Curl(CallDetail detail, Uri gateway)
    {
        var call = detail.Call;
        var url = new Uri(gateway, call.Path.TrimStart('/') + (detail.Query ?? ""));
        var curl = new StringBuilder("curl");
        if (call.Method != "GET" || detail.RequestBody.Text is not null)
        {
            curl.Append(" -X ").Append(call.Method);
        }

        curl.Append(' ').Append(Quote(url.ToString()));
        curl.Append(" \\\n  -H \"Authorization: Bearer $ACCESS_TOKEN\"");
        foreach (var header in detail.RequestHeaders.Where(h => !NotRepeated.Contains(h.Name)))
        {
            curl.Append(" \\\n  -H ").Append(Quote($"{header.Name}: {header.Value}"));
        }

        if (detail.RequestBody.Text is { } body)
        {
            curl.Append(" \\\n  --data-raw ").Append(Quote(body));
        }

        return curl.ToString();
    }

    /// <summary>Single quotes keep everything literal in a POSIX shell; a single quote inside becomes '\''.</summary>
    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
