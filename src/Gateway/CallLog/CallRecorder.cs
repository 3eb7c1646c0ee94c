using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Features;
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
/// Each record carries its <see cref="CallCapture"/> (headers, first bytes of the bodies) for the call's detail.
/// </summary>
public sealed class CallRecorder
{
    private readonly Channel<CallRecord> _channel;
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
        _channel = Channel.CreateBounded<CallRecord>(new BoundedChannelOptions(options.Value.Capacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        }, dropped =>
        {
            dropped.Capture?.Release();
            Interlocked.Increment(ref _dropped);
            _droppedCounter.Add(1);
        });
    }

    public ChannelReader<CallRecord> Reader => _channel.Reader;

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Calls without an authenticated client since start; counted, never stored.</summary>
    public long Anonymous => Interlocked.Read(ref _anonymous);

    /// <summary>Records accepted so far (dropped ones included), so a flush knows what to wait for.</summary>
    public long Recorded => Interlocked.Read(ref _recorded);

    private long _recorded;

    public void Record(ApiCall call, CallCapture? capture = null)
    {
        // DropWrite: TryWrite reports success even when it drops; the callback above counts those.
        _channel.Writer.TryWrite(new CallRecord(call, capture));
        Interlocked.Increment(ref _recorded);
    }

    public void CountAnonymous(int statusCode)
    {
        Interlocked.Increment(ref _anonymous);
        _anonymousCounter.Add(1, new KeyValuePair<string, object?>("http.response.status_code", statusCode));
    }
}

/// <summary>
/// Times every bank-API call and hands its record to the <see cref="CallRecorder"/> once the response is complete, with
/// its headers and the first bytes of its bodies, copied as they stream past (no extra read or buffering of a body).
/// </summary>
public static class CallLogMiddleware
{
    public static IApplicationBuilder UseCallLog(this IApplicationBuilder app)
    {
        var recorder = app.ApplicationServices.GetRequiredService<CallRecorder>();
        var clock = app.ApplicationServices.GetRequiredService<TimeProvider>();
        return app.Use(async (context, next) =>
        {
            // The bank APIs and the partner's sandbox controls: a clock move belongs in the story of a test run.
            if (!ObieResponses.IsOpenBanking(context.Request) && !RouteTemplates.IsPartnerTool(context.Request.Path))
            {
                await next(context);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            var arrived = clock.GetUtcNow().UtcDateTime;
            var request = context.Request;
            var requestBody = new BodyCapture { Keep = CallCapture.IsText(request.ContentType) };
            var responseBody = new BodyCapture();
            // Most calls are GETs without a body: their request stream is left alone.
            var reading = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false
                ? null
                : new CapturingReadStream(request.Body, requestBody);
            var writing = new CapturingWriteStream(context.Response.Body, context.Response, responseBody);
            if (reading is not null)
            {
                request.Body = reading;
            }

            context.Response.Body = writing;
            try
            {
                await next(context);
            }
            finally
            {
                if (reading is not null)
                {
                    request.Body = reading.Inner;
                }

                context.Response.Body = writing.Inner;
                var user = context.User;
                // A token refused by a check after its signature verified (DPoP, for instance) leaves the principal
                // anonymous; the check names the token's app so the refusal still reaches that app's call log.
                var clientId = Truncate(user.FindFirst("client_id")?.Value ?? context.Items[CallItems.RefusedClientId] as string, 100);
                var statusCode = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode;
                if (clientId is null)
                {
                    requestBody.Release();
                    responseBody.Release();
                    recorder.CountAnonymous(statusCode);
                }
                else
                {
                    // A body the gateway never read (it answered first) still has its declared size.
                    var requestBytes = Math.Max(requestBody.Total, request.ContentLength ?? 0);
                    recorder.Record(new ApiCall
                    {
                        Timestamp = arrived,
                        ClientId = clientId,
                        OrganisationId = Truncate(user.FindFirst(PlatformClaims.OrganisationId)?.Value ?? context.Items[CallItems.RefusedOrganisationId] as string, 64),
                        Method = Truncate(request.Method, 10)!,
                        RouteTemplate = RouteTemplates.For(request.Path),
                        Path = Truncate(request.Path.Value, 500) ?? "/",
                        StatusCode = statusCode,
                        DurationMicroseconds = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds,
                        InteractionId = Truncate(request.Headers[ObieResponses.InteractionIdHeader].ToString(), 100),
                        ErrorCode = Truncate(context.Items[ObieResponses.ErrorCodeHeader] as string, 100),
                        RequestBytes = requestBytes,
                        ResponseBytes = responseBody.Total,
                        Signed = context.Items[CallItems.Signed] as bool?,
                        SignatureKid = Truncate(context.Items[CallItems.SignatureKid] as string, 100),
                        DpopJkt = Truncate(context.Items[CallItems.DpopJkt] as string, 64),
                        DpopBound = context.Items[CallItems.DpopJkt] is string,
                        RefusalRule = Truncate(context.Items[CallItems.RefusalRule] as string ?? (statusCode == 401 ? RefusalRules.TokenInvalid : null), 100),
                        RefusalReason = Truncate(context.Items[CallItems.RefusalReason] as string, 500),
                        InteractionIdSent = context.Items[InteractionIds.SentItem] as bool?,
                        ConsentId = Truncate(user.FindFirst(PlatformClaims.ConsentId)?.Value ?? RouteTemplates.ConsentIdIn(request.Path), 100),
                        IdempotencyKey = Truncate(request.Headers[PlatformHeaders.IdempotencyKey].ToString(), 100),
                        RetryAfterSeconds = statusCode is 429 or 503 ? RetryAfter(context.Response.Headers.RetryAfter.ToString()) : null,
                    }, new CallCapture
                    {
                        Query = Truncate(request.QueryString.Value, 2000),
                        RequestHeaders = CallCapture.Snapshot(request.Headers),
                        ResponseHeaders = CallCapture.Snapshot(context.Response.Headers),
                        RequestBody = requestBody,
                        ResponseBody = responseBody,
                        RequestContentLength = requestBody.Total < requestBytes ? requestBytes : null,
                    });
                }
            }
        });
    }

    /// <summary>Retry-After in seconds (the delta form; an HTTP date is turned into the seconds left).</summary>
    internal static int? RetryAfter(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds;
        }

        return DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? Math.Max(0, (int)Math.Ceiling((at - DateTimeOffset.UtcNow).TotalSeconds))
            : null;
    }

    private static string? Truncate(string? value, int length)
        => string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}

/// <summary>A call and what the request path captured of it, as queued for the writer.</summary>
public readonly record struct CallRecord(ApiCall Call, CallCapture? Capture);
