using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.Events.Dispatch;

/// <summary>
/// Turns committed outbox rows into signed notifications, in <see cref="OutboxMessage.Id"/> order, a batch at a time:
/// the rows' notifications are inserted and the rows marked dispatched in ONE transaction, so a row is either wholly
/// notified or not at all. A second instance (or a retry after a crash between the steps) finds the notifications it
/// would create already there — the unique (OutboxMessageId, EventType) index — and only marks the rows.
/// </summary>
public sealed partial class EventDispatcher(
    IServiceScopeFactory scopes,
    SecurityEventTokens tokens,
    EventSignal signal,
    TimeProvider time,
    IOptions<EventOptions> options,
    IOptions<OpenBankingOptions> openBanking,
    ILogger<EventDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Workers)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var read = 0;
            try
            {
                read = await DispatchOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A conflict with another instance or a passing database error: the rows stay undispatched and the
                // next pass (which skips what exists) takes them again.
                LogFailed(logger, e);
            }

            if (read < options.Value.DispatchBatchSize)
            {
                await signal.Outbox.WaitAsync(options.Value.IdlePollInterval, stoppingToken);
            }
        }
    }

    /// <summary>One batch: the number of outbox rows it read (and marked dispatched).</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        var rows = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.DispatchedAt == null)
            .OrderBy(m => m.Id)
            .Take(options.Value.DispatchBatchSize)
            .ToListAsync(ct);
        if (rows.Count == 0)
        {
            return 0;
        }

        var notifications = await NotificationsAsync(db, rows, ct);
        var ids = rows.Select(r => r.Id).ToList();
        var created = 0;
        var transaction = scope.ServiceProvider.GetRequiredService<WriteTransaction>();
        await transaction.RunAsync(async work =>
        {
            var outboxIds = notifications.Select(n => n.OutboxMessageId).Distinct().ToList();
            var existing = (await work.EventNotifications.AsNoTracking()
                    .Where(n => outboxIds.Contains(n.OutboxMessageId))
                    .Select(n => new { n.OutboxMessageId, n.EventType })
                    .ToListAsync(ct))
                .Select(n => (n.OutboxMessageId, n.EventType))
                .ToHashSet();
            var fresh = notifications.Where(n => !existing.Contains((n.OutboxMessageId, n.EventType))).ToList();
            work.EventNotifications.AddRange(fresh);
            await work.SaveChangesAsync(ct);
            var now = time.GetUtcNow().UtcDateTime;
            await work.OutboxMessages.Where(m => ids.Contains(m.Id) && m.DispatchedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.DispatchedAt, now), ct);
            created = fresh.Count;
        }, ct);

        if (created > 0)
        {
            signal.Notifications.Set();
        }

        return rows.Count;
    }

    /// <summary>The batch's notifications, signed (outside the write transaction: signing is the slow part).</summary>
    private async Task<List<EventNotification>> NotificationsAsync(SandboxDbContext db, List<OutboxMessage> rows, CancellationToken ct)
    {
        var clientIds = rows.Select(r => r.ClientId).Distinct().ToList();
        var subscriptions = (await db.EventSubscriptions.AsNoTracking().Where(s => clientIds.Contains(s.ClientId)).ToListAsync(ct))
            .ToDictionary(s => (s.TenantId, s.ClientId));
        // Only rows some subscription wants cost a lookup; the rest are just marked.
        var wanted = rows.Where(r => subscriptions.TryGetValue((r.TenantId, r.ClientId), out var s)
                && EventRules.EventTypesOf(r.Resource, r.Change, r.Status, deletedByPartner: false).Any(s.Wants))
            .ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        var deleted = await DeletedByPartnerAsync(db, wanted, ct);
        var executions = await ExecutionsAsync(db, wanted, ct);
        // Each row as the resource the partner knows (an execution is its order), then the versions that created them,
        // one query per resource type.
        var subjects = wanted
            .Select(r => (Row: r, Subject: r.Resource == OutboxResource.PaymentExecution
                ? executions.GetValueOrDefault(r.ResourceId) is { } order ? order : ((OutboxResource, string)?)null
                : (r.Resource, r.ResourceId)))
            .Where(x => x.Subject is not null && EventResources.Of(x.Subject.Value.Item1) is not null)
            .Select(x => (x.Row, Resource: x.Subject!.Value.Item1, Id: x.Subject.Value.Item2))
            .ToList();
        var created = new Dictionary<(OutboxResource, string), ApiVersion>();
        foreach (var group in subjects.GroupBy(s => s.Resource))
        {
            foreach (var (id, version) in await CreatedVersionsAsync(db, group.Key, group.Select(s => s.Id).Distinct().ToList(), ct))
            {
                created[(group.Key, id)] = version;
            }
        }

        var now = time.GetUtcNow();
        var baseUrl = openBanking.Value.PublicBaseUrl;
        var unsigned = new List<(SetClaims Claims, EventNotification Notification)>();
        foreach (var (row, resourceKind, id) in subjects)
        {
            if (!created.TryGetValue((resourceKind, id), out var version))
            {
                // The resource is gone (its tenant was reset after the row was written): nothing to tell.
                continue;
            }

            var subscription = subscriptions[(row.TenantId, row.ClientId)];
            var resource = EventResources.Of(resourceKind)!;
            var types = EventRules.EventTypesOf(row.Resource, row.Change, row.Status, deleted.Contains((row.Resource, row.ResourceId, row.Version)));
            foreach (var type in types.Where(subscription.Wants))
            {
                var jti = Guid.NewGuid().ToString();
                var claims = EventRules.Claims(jti, row.ClientId, type, resource, id, version, EventRules.SubscriptionVersion(subscription.Version),
                    baseUrl, $"{row.ResourceId}:{row.Version}", new DateTimeOffset(DateTime.SpecifyKind(row.OccurredAt, DateTimeKind.Utc)), now);
                var push = subscription.CallbackUrl is not null;
                unsigned.Add((claims, new EventNotification
                {
                    Jti = jti,
                    TenantId = row.TenantId,
                    ClientId = row.ClientId,
                    EventType = type,
                    ResourceType = resource.Type,
                    ResourceId = id,
                    ResourceStatus = row.Status,
                    OutboxMessageId = row.Id,
                    Set = string.Empty,
                    Kid = string.Empty,
                    OccurredAt = DateTime.SpecifyKind(row.OccurredAt, DateTimeKind.Utc),
                    CreatedAt = now.UtcDateTime,
                    ExpiresAt = now.UtcDateTime + options.Value.Retention,
                    CallbackUrl = subscription.CallbackUrl,
                    State = push ? EventDeliveryState.Pending : EventDeliveryState.PollingOnly,
                    NextAttemptAt = push ? now.UtcDateTime : null,
                    RoundStartedAt = push ? now.UtcDateTime : null,
                    RoundTrigger = EventAttemptTrigger.Automatic,
                }));
            }
        }

        // Signing (RSA-PSS) is most of a batch's CPU: spread over the cores.
        await Parallel.ForEachAsync(unsigned, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (item, token) =>
            {
                var signed = await tokens.SignAsync(item.Claims, token);
                item.Notification.Set = signed.Token;
                item.Notification.Kid = signed.Kid;
            });
        return unsigned.Select(u => u.Notification).ToList();
    }

    /// <summary>The revocations that were the partner's own DELETE: a Deleted row of the same resource and version.</summary>
    private static async Task<HashSet<(OutboxResource, string, int)>> DeletedByPartnerAsync(SandboxDbContext db, List<OutboxMessage> rows, CancellationToken ct)
    {
        var revoked = rows.Where(r => r.Change == OutboxChange.StatusChanged && r.Status == EventRules.RevokedStatus).Select(r => r.ResourceId).Distinct().ToList();
        if (revoked.Count == 0)
        {
            return [];
        }

        return (await db.OutboxMessages.AsNoTracking()
                .Where(m => m.Change == OutboxChange.Deleted && revoked.Contains(m.ResourceId))
                .Select(m => new { m.Resource, m.ResourceId, m.Version })
                .ToListAsync(ct))
            .Select(m => (m.Resource, m.ResourceId, m.Version))
            .ToHashSet();
    }

    /// <summary>The order each execution row carries out (a scheduled payment or a standing order), by the execution's id.</summary>
    private static async Task<Dictionary<string, (OutboxResource, string)>> ExecutionsAsync(SandboxDbContext db, List<OutboxMessage> rows, CancellationToken ct)
    {
        var ids = rows.Where(r => r.Resource == OutboxResource.PaymentExecution).Select(r => r.ResourceId).Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var payments = await db.DomesticPayments.AsNoTracking()
            .Where(p => ids.Contains(p.Id) && p.OrderId != null)
            .Select(p => new { p.Id, p.Kind, p.OrderId })
            .ToListAsync(ct);
        return payments
            .Where(p => p.Kind is PaymentKind.Scheduled or PaymentKind.StandingOrder)
            .ToDictionary(p => p.Id, p => (p.Kind == PaymentKind.Scheduled ? OutboxResource.DomesticScheduledPayment : OutboxResource.DomesticStandingOrder, p.OrderId!));
    }

    /// <summary>The version each resource was created through (one query for every id of one resource type).</summary>
    private static async Task<Dictionary<string, ApiVersion>> CreatedVersionsAsync(SandboxDbContext db, OutboxResource resource, List<string> ids, CancellationToken ct)
        => resource switch
        {
            OutboxResource.AccountAccessConsent => await db.AccountAccessConsents.AsNoTracking().Where(x => ids.Contains(x.Id))
                .Select(x => new { x.Id, x.ApiVersion }).ToDictionaryAsync(x => x.Id, x => x.ApiVersion, ct),
            OutboxResource.FundsConfirmationConsent => await db.FundsConfirmationConsents.AsNoTracking().Where(x => ids.Contains(x.Id))
                .Select(x => new { x.Id, x.ApiVersion }).ToDictionaryAsync(x => x.Id, x => x.ApiVersion, ct),
            OutboxResource.DomesticPaymentConsent => await db.DomesticPaymentConsents.AsNoTracking().Where(x => ids.Contains(x.Id))
                .Select(x => new { x.Id, x.ApiVersion }).ToDictionaryAsync(x => x.Id, x => x.ApiVersion, ct),
            OutboxResource.DomesticPayment or OutboxResource.DomesticVrp or OutboxResource.InternationalPayment => await db.DomesticPayments.AsNoTracking().Where(x => ids.Contains(x.Id))
                .Select(x => new { x.Id, x.ApiVersion }).ToDictionaryAsync(x => x.Id, x => x.ApiVersion, ct),
            OutboxResource.DomesticScheduledPaymentConsent => await db.DomesticScheduledPaymentConsents.AsNoTracking().Where(x => ids.Contains(x.Id))
                .Select(x => new { x.Id, x.ApiVersion }).ToDictionaryAsync(x => x.Id, x => x.ApiVersion, ct),
            OutboxResource.DomesticScheduledPayment => await db.DomesticScheduledPayments.AsNoTracking().Where(x => ids.Contains(x.Id))
                .Select(x => new { x.Id, x.ApiVersion }).ToDictionaryAsync(x => x.Id, x => x.ApiVersion, ct),
            OutboxResource.DomesticStandingOrderConsent => await db.DomesticStandingOrderConsents.AsNoTracking().Where(x => ids.Contains(x.Id))
                .Select(x => new { x.Id, x.ApiVersion }).ToDictionaryAsync(x => x.Id, x => x.ApiVersion, ct),
            OutboxResource.DomesticStandingOrder => await db.DomesticStandingOrders.AsNoTracking().Where(x => ids.Contains(x.Id))
                .Select(x => new { x.Id, x.ApiVersion }).ToDictionaryAsync(x => x.Id, x => x.ApiVersion, ct),
            OutboxResource.DomesticVrpConsent => await db.DomesticVrpConsents.AsNoTracking().Where(x => ids.Contains(x.Id))
                .Select(x => new { x.Id, x.ApiVersion }).ToDictionaryAsync(x => x.Id, x => x.ApiVersion, ct),
            OutboxResource.InternationalPaymentConsent => await db.InternationalPaymentConsents.AsNoTracking().Where(x => ids.Contains(x.Id))
                .Select(x => new { x.Id, x.ApiVersion }).ToDictionaryAsync(x => x.Id, x => x.ApiVersion, ct),
            _ => [],
        };

    [LoggerMessage(Level = LogLevel.Warning, Message = "A pass of the event dispatcher failed; its outbox rows are taken again on the next pass")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
