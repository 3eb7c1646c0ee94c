using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.Events.Delivery;

/// <summary>
/// Pushes due notifications to partners' callbacks, at least once and in order per resource, and records every push.
/// <list type="bullet">
/// <item>All state is in the database: a notification is due when it is Pending, has a callback, is not acknowledged
/// or expired and its <see cref="EventNotification.NextAttemptAt"/> has come. A push interrupted by a stop or a crash
/// left it due, so the next start pushes it again with the same jti (at-least-once).</item>
/// <item>Each app has its own bounded queue and at most <see cref="EventOptions.PerAppConcurrency"/> pushes in flight:
/// a slow or dead endpoint fills only its own queue (the rest waits in the database) and never holds another app's
/// pushes, nor a payment (pushes are never inside a payment's transaction; their outcomes are written in batches).</item>
/// <item>In order per resource: a notification is not pushed while an older one of the same app and resource is
/// still Pending. The in-flight set keeps one notification from being pushed twice at once in this instance.</item>
/// </list>
/// Also prunes: notifications past their expiry (and their attempts), and dispatched outbox rows older than the retention.
/// </summary>
public sealed partial class EventDeliverer(
    IServiceScopeFactory scopes,
    CallbackSender sender,
    CallbackProtection callbacks,
    EventSignal signal,
    TimeProvider time,
    IOptions<EventOptions> options,
    ILogger<EventDeliverer> logger) : BackgroundService
{
    private const int FeedPage = 1000;
    private const int OutcomeBatch = 256;
    private const int PruneChunk = 1000;

    // A queued item older than this is checked again before its push (polled and acknowledged, replayed, expired).
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<long, byte> _inFlight = new();
    // Notifications that left the in-flight set, by the recording round that wrote their outcome: a feed pass whose
    // query began before that round read them still due, and must not queue them again (a duplicate push).
    private readonly ConcurrentDictionary<long, long> _finished = new();
    private long _round;
    private readonly ConcurrentDictionary<(Guid, string), AppQueue> _apps = new();
    private readonly Channel<Outcome> _outcomes = Channel.CreateUnbounded<Outcome>(new UnboundedChannelOptions { SingleReader = true });
    private readonly EventSignal.Pulse _recorded = new();

    /// <summary>Notifications queued or being pushed in this instance (for tests and diagnostics).</summary>
    public int InFlight => _inFlight.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Workers)
        {
            return;
        }

        var recorder = Task.Run(() => RecordLoopAsync(stoppingToken), CancellationToken.None);
        var pruner = Task.Run(() => PruneLoopAsync(stoppingToken), CancellationToken.None);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await FeedOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFeedFailed(logger, e);
                }

                var idle = options.Value.IdlePollInterval;
                await Task.WhenAny(signal.Notifications.WaitAsync(idle, stoppingToken), _recorded.WaitAsync(idle, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var app in _apps.Values)
            {
                app.Queue.Writer.TryComplete();
            }

            _outcomes.Writer.TryComplete();
            await Task.WhenAll(recorder, pruner).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Queues what is due now (oldest first, per-resource order kept); the number queued.</summary>
    public async Task<int> FeedOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var round = Interlocked.Read(ref _round);
        // Apps whose queue is full are left out of the query, so their backlog never hides another app's due rows.
        var full = _apps.Where(a => a.Value.Queue.Reader.Count >= options.Value.PerAppQueueCapacity).Select(a => a.Key.Item2).Distinct().ToList();
        // In order per resource: only the oldest still-Pending notification of a resource (its head) may be pushed.
        // Asking the database for due heads, rather than due rows, keeps a resource's backlog behind a failing head (a
        // dead partner's thousands) from filling every page.
        var pushable = db.EventNotifications.AsNoTracking()
            .Where(n => n.State == EventDeliveryState.Pending && n.CallbackUrl != null && n.AcknowledgedAt == null && n.ExpiresAt > now);
        var heads = pushable.GroupBy(n => new { n.TenantId, n.ClientId, n.ResourceId }).Select(g => g.Min(n => n.Id));
        var rows = await pushable
            .Where(n => n.NextAttemptAt <= now && !full.Contains(n.ClientId) && heads.Contains(n.Id))
            .OrderBy(n => n.Id)
            // Those already queued or in flight here are still due: look past them.
            .Take(FeedPage + _inFlight.Count)
            .Select(n => new Due(n.Id, n.TenantId, n.ClientId, n.ResourceId, n.CallbackUrl!, n.Set, n.RoundTrigger, n.RoundStartedAt))
            .ToListAsync(ct);

        var queued = 0;
        var enqueuedAt = time.GetUtcNow().UtcDateTime;
        foreach (var due in rows)
        {
            if (!_inFlight.TryAdd(due.Id, 0))
            {
                continue;
            }

            // Checked after taking it: Finish records the round before it lets go, so one finishing meanwhile is seen here.
            if (_finished.TryGetValue(due.Id, out var finishedIn) && finishedIn >= round)
            {
                _inFlight.TryRemove(due.Id, out _);
                continue;
            }

            var app = _apps.GetOrAdd((due.TenantId, due.ClientId), _ => new AppQueue(this, options.Value, ct));
            if (app.Queue.Writer.TryWrite(due with { EnqueuedAt = enqueuedAt }))
            {
                queued++;
            }
            else
            {
                _inFlight.TryRemove(due.Id, out _);
            }
        }

        // Outcomes written before this pass's query began are in what it read, and in what every later pass reads.
        foreach (var finished in _finished.Where(f => f.Value < round))
        {
            _finished.TryRemove(finished.Key, out _);
        }

        return queued;
    }

    /// <summary>Takes notifications out of the in-flight set once their outcome is written (or will not be).</summary>
    private void Finish(long id)
    {
        _finished[id] = Interlocked.Read(ref _round);
        _inFlight.TryRemove(id, out _);
    }

    private async Task PushAsync(Due due, CancellationToken ct)
    {
        try
        {
            if (time.GetUtcNow().UtcDateTime - due.EnqueuedAt > RecheckAfter && !await StillDueAsync(due, ct))
            {
                Finish(due.Id);
                return;
            }

            var attemptedAt = time.GetUtcNow().UtcDateTime;
            var result = await sender.SendAsync(callbacks.Reveal(due.CallbackUrl)!, due.Set, cancellationToken: ct);
            // Leaves the in-flight set only once its outcome is written: until then the row still looks due.
            _outcomes.Writer.TryWrite(new Outcome(due, result, attemptedAt));
        }
        catch (Exception e)
        {
            // Stopping, or the database failed: the row is still due and is pushed again (same jti).
            _inFlight.TryRemove(due.Id, out _);
            if (e is not OperationCanceledException)
            {
                LogPushFailed(logger, e, due.Id);
            }
        }
    }

    private async Task<bool> StillDueAsync(Due due, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        return await db.EventNotifications.AsNoTracking().AnyAsync(n => n.Id == due.Id && n.State == EventDeliveryState.Pending
            && n.AcknowledgedAt == null && n.ExpiresAt > now && n.RoundStartedAt == due.RoundStartedAt, ct);
    }

    private async Task RecordLoopAsync(CancellationToken ct)
    {
        var batch = new List<Outcome>(OutcomeBatch);
        // Runs until the channel is completed at stop, so outcomes of pushes that finished are still written.
        while (await _outcomes.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < OutcomeBatch && _outcomes.Reader.TryRead(out var outcome))
            {
                batch.Add(outcome);
            }

            try
            {
                await RecordAsync(batch, ct.IsCancellationRequested ? CancellationToken.None : ct);
            }
            catch (Exception e)
            {
                // Not written: the notifications are still due and are pushed again (same jti). Said only when it is
                // not the service stopping.
                if (!ct.IsCancellationRequested)
                {
                    LogRecordFailed(logger, e, batch.Count);
                }
            }
            finally
            {
                foreach (var outcome in batch)
                {
                    Finish(outcome.Due.Id);
                }

                Interlocked.Increment(ref _round);
                _recorded.Set();
            }
        }
    }

    /// <summary>One attempt row per push, and each notification's new state, in one transaction.</summary>
    private async Task RecordAsync(List<Outcome> outcomes, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var transaction = scope.ServiceProvider.GetRequiredService<WriteTransaction>();
        var settings = options.Value;
        await transaction.RunAsync(async db =>
        {
            db.EventDeliveryAttempts.AddRange(outcomes.Select(o => new EventDeliveryAttempt
            {
                NotificationId = o.Due.Id,
                AttemptedAt = o.AttemptedAt,
                CallbackUrl = callbacks.Protect(Cut(o.Result.Target.ToString(), CallbackPolicy.MaxLength + 32))!,
                InteractionId = o.Result.InteractionId,
                StatusCode = o.Result.StatusCode,
                LatencyMs = (int)Math.Min(o.Result.Latency.TotalMilliseconds, int.MaxValue),
                EchoedInteractionId = o.Result.EchoedInteractionId,
                Error = Cut(o.Result.Error, 500),
                Trigger = o.Due.Trigger,
            }));
            await db.SaveChangesAsync(ct);

            // Delivered, whatever happened meanwhile (a poll's ack keeps its own time): the partner has it.
            foreach (var group in outcomes.Where(o => o.Result.Delivered).GroupBy(o => o.Result.StatusCode))
            {
                var ids = group.Select(o => o.Due.Id).ToList();
                var at = group.Max(o => o.AttemptedAt + o.Result.Latency);
                await db.EventNotifications.Where(n => ids.Contains(n.Id)).ExecuteUpdateAsync(s => s
                    .SetProperty(n => n.State, EventDeliveryState.Delivered)
                    .SetProperty(n => n.AcknowledgedAt, n => n.AcknowledgedAt ?? at)
                    .SetProperty(n => n.Attempts, n => n.Attempts + 1)
                    .SetProperty(n => n.LastAttemptAt, at)
                    .SetProperty(n => n.LastStatusCode, group.Key)
                    .SetProperty(n => n.LastError, (string?)null)
                    .SetProperty(n => n.NextAttemptAt, (DateTime?)null), ct);
            }

            var failed = outcomes.Where(o => !o.Result.Delivered).ToList();
            if (failed.Count == 0)
            {
                return;
            }

            var failedIds = failed.Select(o => o.Due.Id).ToList();
            var since = failed.Min(o => o.Due.RoundStartedAt ?? DateTime.MinValue);
            var attempts = (await db.EventDeliveryAttempts.AsNoTracking()
                    .Where(a => failedIds.Contains(a.NotificationId) && a.AttemptedAt >= since)
                    .Select(a => new { a.NotificationId, a.AttemptedAt })
                    .ToListAsync(ct))
                .ToLookup(a => a.NotificationId, a => a.AttemptedAt);
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var outcome in failed)
            {
                var due = outcome.Due;
                var roundStart = due.RoundStartedAt ?? outcome.AttemptedAt;
                var inRound = attempts[due.Id].Count(at => at >= roundStart);
                var next = RetryPolicy.NextAttempt(settings, inRound, roundStart, now, Random.Shared.NextDouble());
                var error = Cut(outcome.Result.Error, 500);
                await db.EventNotifications.Where(n => n.Id == due.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(n => n.Attempts, n => n.Attempts + 1)
                    .SetProperty(n => n.LastAttemptAt, outcome.AttemptedAt)
                    .SetProperty(n => n.LastStatusCode, outcome.Result.StatusCode), ct);
                // The state (and the error that explains it) moves only if nothing changed it meanwhile: a poll's ack
                // stops pushes, a replay's new round (a new RoundStartedAt) pushes again at once, a push re-pointed to
                // a new callback while this attempt went to the old one is tried at once, and a subscription left
                // without a callback keeps its own reason (the attempt's error stays in EventDeliveryAttempts).
                // The callback is compared as stored (encrypted): re-pointing writes a new ciphertext, even to the same URL.
                await db.EventNotifications
                    .Where(n => n.Id == due.Id && n.State == EventDeliveryState.Pending && n.AcknowledgedAt == null && n.RoundStartedAt == due.RoundStartedAt
                        && n.CallbackUrl == due.CallbackUrl)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(n => n.State, next is null ? EventDeliveryState.Failed : EventDeliveryState.Pending)
                        .SetProperty(n => n.LastError, error)
                        .SetProperty(n => n.NextAttemptAt, next), ct);
            }
        }, ct);
    }

    private async Task PruneLoopAsync(CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(options.Value.PruneInterval, time);
            do
            {
                try
                {
                    await PruneOnceAsync(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPruneFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Deletes notifications past <see cref="EventNotification.ExpiresAt"/> with their attempts, and outbox rows dispatched
    /// more than <see cref="EventOptions.Retention"/> ago (nothing pruned the outbox before), a chunk per transaction so
    /// payments never wait long behind it. The number of rows deleted.
    /// </summary>
    public async Task<int> PruneOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var outboxBefore = now - options.Value.Retention;
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
            var expired = await db.EventNotifications.AsNoTracking().Where(n => n.ExpiresAt <= now).OrderBy(n => n.Id).Select(n => n.Id).Take(PruneChunk).ToListAsync(ct);
            var dispatched = await db.OutboxMessages.AsNoTracking().Where(m => m.DispatchedAt != null && m.DispatchedAt < outboxBefore)
                .OrderBy(m => m.Id).Select(m => m.Id).Take(PruneChunk).ToListAsync(ct);
            if (expired.Count == 0 && dispatched.Count == 0)
            {
                return total;
            }

            await scope.ServiceProvider.GetRequiredService<WriteTransaction>().RunAsync(async work =>
            {
                await work.EventDeliveryAttempts.Where(a => expired.Contains(a.NotificationId)).ExecuteDeleteAsync(ct);
                await work.EventNotifications.Where(n => expired.Contains(n.Id)).ExecuteDeleteAsync(ct);
                await work.OutboxMessages.Where(m => dispatched.Contains(m.Id)).ExecuteDeleteAsync(ct);
            }, ct);
            total += expired.Count + dispatched.Count;
        }
    }

    private static string? Cut(string? text, int length) => text is null || text.Length <= length ? text : text[..length];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for due event notifications failed; retried on the next pass")]
    private static partial void LogFeedFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing event notification {NotificationId} failed in the bank; it stays due")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, long notificationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {Count} push outcomes failed; those notifications stay due and are pushed again")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning expired event notifications and old outbox rows failed; retried at the next interval")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);

    private sealed record Due(long Id, Guid TenantId, string ClientId, string ResourceId, string CallbackUrl, string Set, EventAttemptTrigger Trigger, DateTime? RoundStartedAt)
    {
        public DateTime EnqueuedAt { get; init; }
    }

    private sealed record Outcome(Due Due, CallbackResult Result, DateTime AttemptedAt);

    /// <summary>One app's bounded queue and its pushers (<see cref="EventOptions.PerAppConcurrency"/> of them).</summary>
    private sealed class AppQueue
    {
        public AppQueue(EventDeliverer owner, EventOptions settings, CancellationToken ct)
        {
            Queue = Channel.CreateBounded<Due>(new BoundedChannelOptions(Math.Max(settings.PerAppQueueCapacity, 1)) { FullMode = BoundedChannelFullMode.Wait });
            for (var i = 0; i < Math.Max(settings.PerAppConcurrency, 1); i++)
            {
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await foreach (var due in Queue.Reader.ReadAllAsync(ct))
                        {
                            await owner.PushAsync(due, ct);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }, CancellationToken.None);
            }
        }

        public Channel<Due> Queue { get; }
    }
}
