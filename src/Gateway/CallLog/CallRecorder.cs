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
/// <c>gateway.call_log.dropped</c>). <see cref="CallLogWriter"/> empties it in batches. A call no client was
/// authenticated for (a 401, a 429 of the per-address limit) belongs to no partner's log: it is only counted
/// (<see cref="Anonymous"/>, metric <c>gateway.call_log.anonymous</c> by status code), so junk costs no row.
/// </summary>
public sealed class CallRecorder
{
    private readonly Channel<ApiCall> _channel;
    private readonly Counter<long> _droppedCounter;
    private readonly Counter<long> _anonymousCounter;
    private long _dropped;
    private long _anonymous;

    /// <summary>The gateway's meter (its assembly name, which the service defaults export).</summary>
    public const string MeterName = "OpenBanking.Gateway";

    public CallRecorder(IOptions<CallLogOptions> options, IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _droppedCounter = meter.CreateCounter<long>("gateway.call_log.dropped", description: "Call records dropped because the queue was full");
        _anonymousCounter = meter.CreateCounter<long>("gateway.call_log.anonymous", description: "Bank-API calls without an authenticated client (counted, not stored)");
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

    /// <summary>Calls without an authenticated client since start; counted, never stored.</summary>
    public long Anonymous => Interlocked.Read(ref _anonymous);

    /// <summary>Records accepted so far (dropped ones included), so a flush knows what to wait for.</summary>
    public long Recorded => Interlocked.Read(ref _recorded);

    private long _recorded;

    public void Record(ApiCall call)
    {
        // DropWrite: TryWrite reports success even when it drops; the callback above counts those.
        _channel.Writer.TryWrite(call);
        Interlocked.Increment(ref _recorded);
    }

    public void CountAnonymous(int statusCode)
    {
        Interlocked.Increment(ref _anonymous);
        _anonymousCounter.Add(1, new KeyValuePair<string, object?>("http.response.status_code", statusCode));
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
                var clientId = Truncate(user.FindFirst("client_id")?.Value, 100);
                var statusCode = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode;
                if (clientId is null)
                {
                    recorder.CountAnonymous(statusCode);
                }
                else
                {
                    recorder.Record(new ApiCall
                    {
                        Timestamp = arrived,
                        ClientId = clientId,
                        OrganisationId = Truncate(user.FindFirst(PlatformClaims.OrganisationId)?.Value, 64),
                        Method = Truncate(context.Request.Method, 10)!,
                        RouteTemplate = RouteTemplates.For(context.Request.Path),
                        Path = Truncate(context.Request.Path.Value, 500) ?? "/",
                        StatusCode = statusCode,
                        DurationMicroseconds = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds,
                        InteractionId = Truncate(context.Request.Headers[ObieResponses.InteractionIdHeader].ToString(), 100),
                        ErrorCode = Truncate(context.Items[ObieResponses.ErrorCodeHeader] as string, 100),
                        RequestBytes = context.Request.ContentLength ?? 0,
                        ResponseBytes = body.Written,
                    });
                }
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
