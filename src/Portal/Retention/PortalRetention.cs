using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.ServiceDefaults.Retention;

namespace OpenBanking.Portal.Retention;

/// <summary><c>Portal:Retention</c> settings.</summary>
public sealed class PortalRetentionOptions : RetentionSettings
{
    public const string SectionName = "Portal:Retention";

    /// <summary>
    /// Audit entries (who approved, suspended or changed an organisation, an app, production access) are kept six years:
    /// the UK limitation period for a claim about what was done, and the span regulators expect of a bank's records of
    /// who had access to what. An erased user's entries keep only an opaque id meanwhile.
    /// </summary>
    public int AuditDays { get; set; } = 6 * 365 + 2;

    /// <summary>Notifications to an organisation are news: kept ninety days.</summary>
    public int NotificationDays { get; set; } = 90;

    /// <summary>An invitation nobody accepted (an email address, who invited) is deleted this many days after it expired.</summary>
    public int ExpiredInvitationDays { get; set; } = 30;
}

/// <summary>
/// The Portal's retention (issue 22): audit entries after six years, notifications after ninety days, and invitations
/// nobody accepted a month after they expired. SQLite cannot compare DateTimeOffset columns, so the audit and
/// notifications are read oldest id first, a batch at a time, and deleted by id while older than the cutoff (ids grow
/// with time; a row out of order only waits for the next run).
/// </summary>
public sealed class PortalRetention(IServiceScopeFactory scopes, TimeProvider time, IOptions<PortalRetentionOptions> options, ILogger<PortalRetention> logger)
    : RetentionWorker(time, logger)
{
    protected override RetentionSettings Settings => options.Value;

    public override async Task<IReadOnlyDictionary<string, int>> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = Time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();

        var auditCutoff = now - TimeSpan.FromDays(settings.AuditDays);
        var audit = await DeleteOldestAsync(settings.BatchSize,
            () => db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).Select(a => new Row(a.Id, a.Timestamp)).Take(settings.BatchSize).ToListAsync(cancellationToken),
            auditCutoff,
            ids => db.AuditEntries.Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(cancellationToken));
        var notificationCutoff = now - TimeSpan.FromDays(settings.NotificationDays);
        var notifications = await DeleteOldestAsync(settings.BatchSize,
            () => db.Notifications.AsNoTracking().OrderBy(n => n.Id).Select(n => new Row(n.Id, n.CreatedAt)).Take(settings.BatchSize).ToListAsync(cancellationToken),
            notificationCutoff,
            ids => db.Notifications.Where(n => ids.Contains(n.Id)).ExecuteDeleteAsync(cancellationToken));

        var invitationCutoff = now - TimeSpan.FromDays(settings.ExpiredInvitationDays);
        var expired = (await db.Memberships.AsNoTracking().Where(m => m.AcceptedAt == null && m.ExpiresAt != null)
                .Select(m => new { m.Id, m.ExpiresAt }).ToListAsync(cancellationToken))
            .Where(m => m.ExpiresAt < invitationCutoff).Select(m => m.Id).ToList();
        var invitations = 0;
        foreach (var ids in expired.Chunk(settings.BatchSize))
        {
            // Still open and still expired when deleted: an invitation renewed meanwhile stays.
            invitations += await db.Memberships.Where(m => ids.Contains(m.Id) && m.AcceptedAt == null).ExecuteDeleteAsync(cancellationToken);
        }

        return new Dictionary<string, int>
        {
            ["audit entries"] = audit,
            ["notifications"] = notifications,
            ["expired invitations"] = invitations,
        };
    }

    private sealed record Row(long Id, DateTimeOffset At);

    private static async Task<int> DeleteOldestAsync(int batchSize, Func<Task<List<Row>>> oldest, DateTimeOffset cutoff, Func<List<long>, Task<int>> delete)
    {
        var total = 0;
        while (true)
        {
            var rows = await oldest();
            var old = rows.TakeWhile(r => r.At < cutoff).Select(r => r.Id).ToList();
            if (old.Count > 0)
            {
                total += await delete(old);
            }

            if (old.Count < batchSize || old.Count < rows.Count)
            {
                return total;
            }
        }
    }
}
