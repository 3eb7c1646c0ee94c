using System.Buffers;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace OpenBanking.Gateway.CallLog;

/// <summary>
/// What the request path hands to the writer for a call's detail: a snapshot of the headers (secrets already withheld)
/// and the first bytes of each body in pooled buffers. Turning those into text, and reading the error out of them,
/// happens in <see cref="CallLogWriter"/>, off the request path; whoever ends up with a capture calls
/// <see cref="Release"/> once (the writer after its batch, the recorder when the queue drops it).
/// </summary>
public sealed class CallCapture
{
    /// <summary>How much of each body is kept: enough for every OBIE request and most responses, bounded per call.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public string? Query { get; init; }

    public required KeyValuePair<string, string>[] RequestHeaders { get; init; }

    public required KeyValuePair<string, string>[] ResponseHeaders { get; init; }

    public required BodyCapture RequestBody { get; init; }

    public required BodyCapture ResponseBody { get; init; }

    /// <summary>The request body's declared length, when the gateway answered without reading it.</summary>
    public long? RequestContentLength { get; init; }

    public void Release()
    {
        RequestBody.Release();
        ResponseBody.Release();
    }

    /// <summary>
    /// The headers as the detail shows them. The bearer token is never stored — only its scheme and last six
    /// characters, enough to tell two tokens apart; cookies are left out. Everything else is sandbox data, kept as sent.
    /// </summary>
    public static KeyValuePair<string, string>[] Snapshot(IHeaderDictionary headers)
    {
        var snapshot = new KeyValuePair<string, string>[headers.Count];
        var i = 0;
        foreach (var (name, values) in headers)
        {
            if (i == snapshot.Length)
            {
                break;
            }

            snapshot[i++] = new(name, Redact(name, values));
        }

        return i == snapshot.Length ? snapshot : snapshot[..i];
    }

    private static string Redact(string name, StringValues values)
    {
        if (name.Equals(HeaderNames.Authorization, StringComparison.OrdinalIgnoreCase)
            || name.Equals(HeaderNames.ProxyAuthorization, StringComparison.OrdinalIgnoreCase))
        {
            var value = values.ToString();
            var space = value.IndexOf(' ', StringComparison.Ordinal);
            var scheme = space > 0 ? value[..space] : "credentials";
            var secret = space > 0 ? value[(space + 1)..].Trim() : value;
            return secret.Length > 12 ? $"{scheme} …{secret[^6..]} (token not stored)" : $"{scheme} (token not stored)";
        }

        if (name.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase) || name.Equals(HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase))
        {
            return "(not stored)";
        }

        return values.Count == 1 ? values[0] ?? string.Empty : values.ToString();
    }

    /// <summary>JSON and text bodies are kept; anything else (files, images) only counted.</summary>
    public static bool IsText(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var type = contentType.AsSpan();
        var semicolon = type.IndexOf(';');
        if (semicolon >= 0)
        {
            type = type[..semicolon];
        }

        type = type.Trim();
        return type.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("/json", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("/jose", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("/xml", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>
/// The first <see cref="CallCapture.MaxBodyBytes"/> of a body as it streams past, in a buffer rented from the shared
/// pool only once there is something to keep; every byte is counted.
/// </summary>
public sealed class BodyCapture
{
    private byte[]? _buffer;
    private int _kept;
    private long _total;

    /// <summary>Null until known; the response's is decided at its first write, when its headers are final.</summary>
    public bool? Keep { get; set; }

    public long Total => _total;

    public ReadOnlySpan<byte> Kept => _buffer is null ? [] : _buffer.AsSpan(0, _kept);

    public bool Truncated => _total > _kept && Keep == true;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _total += bytes.Length;
        if (Keep != true || _kept == CallCapture.MaxBodyBytes || bytes.IsEmpty)
        {
            return;
        }

        _buffer ??= ArrayPool<byte>.Shared.Rent(CallCapture.MaxBodyBytes);
        var take = Math.Min(bytes.Length, CallCapture.MaxBodyBytes - _kept);
        bytes[..take].CopyTo(_buffer.AsSpan(_kept));
        _kept += take;
    }

    public void Release()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>The request body, read by the proxy as usual, copied into a <see cref="BodyCapture"/> on the way.</summary>
internal sealed class CapturingReadStream(Stream inner, BodyCapture capture) : Stream
{
    public Stream Inner { get; } = inner;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = Inner.Read(buffer);
        capture.Append(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
        capture.Append(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>The response body on its way out, counted and copied into a <see cref="BodyCapture"/> when it is JSON or text.</summary>
internal sealed class CapturingWriteStream(Stream inner, HttpResponse response, BodyCapture capture) : Stream
{
    public Stream Inner { get; } = inner;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => Inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => Inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Inner.Write(buffer, offset, count);
        Capture(buffer.AsSpan(offset, count));
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Inner.WriteAsync(buffer, cancellationToken);
        Capture(buffer.Span);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Capture(ReadOnlySpan<byte> bytes)
    {
        // The headers are sent with the first write, so the content type is final by now.
        capture.Keep ??= CallCapture.IsText(response.ContentType);
        capture.Append(bytes);
    }
}
