using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OpenBanking.Gateway.OpenBanking;
using OpenBanking.Shared;

namespace OpenBanking.Gateway.CallLog;

/// <summary>
/// Takes each bank-API call's record off the request path: a bounded in-memory channel that never blocks the
/// request; when it is full the record is dropped and counted (<see cref="Dropped"/>, metric
/// <c>gateway.call_log.dropped</c>). <see cref="CallLogWriter"/> empties it in batches.
/// </summary>
public sealed class CallRecorder
{
    private readonly Channel<ApiCall> _channel;
    private readonly Counter<long> _droppedCounter;
    private long _dropped;

    public CallRecorder(IOptions<CallLogOptions> options, IMeterFactory meters)
    {
        _droppedCounter = meters.Create("OpenBanking.Gateway").CreateCounter<long>("gateway.call_log.dropped", description: "Call records dropped because the queue was full");
        _channel = Channel.CreateBounded<ApiCall>(new BoundedChannelOptions(options.Value.Capacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        }, _ =>
        {
            Interlocked.Increment(ref _dropped);
            _droppedCounter.Add(1);
        });
    }

    public ChannelReader<ApiCall> Reader => _channel.Reader;

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records accepted so far (dropped ones included), so a flush knows what to wait for.</summary>
    public long Recorded => Interlocked.Read(ref _recorded);

    private long _recorded;

    public void Record(ApiCall call)
    {
        // DropWrite: TryWrite reports success even when it drops; the callback above counts those.
        _channel.Writer.TryWrite(call);
        Interlocked.Increment(ref _recorded);
    }
}

/// <summary>Times every bank-API call and hands its record to the <see cref="CallRecorder"/> once the response is complete.</summary>
public static class CallLogMiddleware
{
    public static IApplicationBuilder UseCallLog(this IApplicationBuilder app)
    {
        var recorder = app.ApplicationServices.GetRequiredService<CallRecorder>();
        var clock = app.ApplicationServices.GetRequiredService<TimeProvider>();
        return app.Use(async (context, next) =>
        {
            if (!ObieResponses.IsOpenBanking(context.Request))
            {
                await next(context);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            var arrived = clock.GetUtcNow().UtcDateTime;
            var body = new CountingStream(context.Response.Body);
            context.Response.Body = body;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = body.Inner;
                var user = context.User;
                recorder.Record(new ApiCall
                {
                    Timestamp = arrived,
                    ClientId = Truncate(user.FindFirst("client_id")?.Value, 100),
                    OrganisationId = Truncate(user.FindFirst(PlatformClaims.OrganisationId)?.Value, 64),
                    Method = Truncate(context.Request.Method, 10)!,
                    RouteTemplate = RouteTemplates.For(context.Request.Path),
                    Path = Truncate(context.Request.Path.Value, 500) ?? "/",
                    StatusCode = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode,
                    DurationMicroseconds = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds,
                    InteractionId = Truncate(context.Request.Headers[ObieResponses.InteractionIdHeader].ToString(), 100),
                    ErrorCode = Truncate(context.Items[ObieResponses.ErrorCodeHeader] as string, 100),
                    RequestBytes = context.Request.ContentLength ?? 0,
                    ResponseBytes = body.Written,
                });
            }
        });
    }

    private static string? Truncate(string? value, int length)
        => string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];

    /// <summary>Counts the bytes of the response body on their way out.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public Stream Inner { get; } = inner;

        public long Written { get; private set; }

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
            Written += count;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Inner.WriteAsync(buffer, cancellationToken);
            Written += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
