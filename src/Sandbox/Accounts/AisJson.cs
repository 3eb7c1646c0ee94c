using System.Buffers;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace OpenBanking.Sandbox.Accounts;

/// <summary>
/// 200 with an account-information body already written (into a buffer rented from the shared pool), for a read
/// that writes its JSON itself rather than building payload objects (<see cref="SqliteTransactionPages"/>). Sent as
/// <see cref="AisOk{TData}"/> sends its payload (same status and content type, no length), and described to OpenAPI
/// as the same <see cref="AisResponse{TData}"/>. Written before the result runs, so a failed read is still an
/// ordinary error response, never a half-sent body.
/// </summary>
public sealed class AisJson<TData> : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider, IDisposable
{
    private const string ContentType = "application/json; charset=utf-8";

    private byte[]? _buffer;
    private readonly int _length;

    internal AisJson(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    /// <summary>The body as it will be sent.</summary>
    public ReadOnlyMemory<byte> Body => _buffer is { } buffer ? buffer.AsMemory(0, _length) : throw new ObjectDisposedException(nameof(AisJson<>));

    /// <summary>The payload written by the build-time serializer of its version's context, as <see cref="AisOk{TData}"/> writes it.</summary>
    public static AisJson<TData> Serialize(AisResponse<TData> value)
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer, AisJsonWriting.Options))
        {
            JsonSerializer.Serialize(writer, value, AisOk<TData>.TypeInfo);
        }

        return buffer.Detach<TData>();
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        try
        {
            httpContext.Response.StatusCode = StatusCode;
            httpContext.Response.ContentType = ContentType;
            await httpContext.Response.BodyWriter.WriteAsync(Body, httpContext.RequestAborted);
        }
        finally
        {
            Dispose();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
        => builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(AisResponse<TData>), ["application/json"]));

}

/// <summary>How account-information JSON is written: as the generated contexts' options write it (default encoder, not indented).</summary>
internal static class AisJsonWriting
{
    public static readonly JsonWriterOptions Options = new()
    {
        Encoder = V3_1.AisJsonContext.Default.Options.Encoder,
        Indented = V3_1.AisJsonContext.Default.Options.WriteIndented,
        SkipValidation = true,
    };
}

/// <summary>
/// A growing buffer rented from <see cref="ArrayPool{T}.Shared"/>: a transactions page is ~60 KB, which as a fresh
/// array per request would be most of the request's allocation.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _written;

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint).AsMemory(_written);

    public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint).AsSpan(_written);

    /// <summary>Hands the buffer (and the duty to return it) to the result.</summary>
    public AisJson<TData> Detach<TData>()
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(PooledBufferWriter));
        _buffer = null;
        return new AisJson<TData>(buffer, _written);
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private byte[] Ensure(int sizeHint)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(PooledBufferWriter));
        var needed = _written + Math.Max(sizeHint, 256);
        if (needed <= buffer.Length)
        {
            return buffer;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
        buffer.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return _buffer = larger;
    }
}
