using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Tenancy;

namespace OpenBanking.Sandbox.Events.Polling;

/// <summary>
/// Aggregated polling (<c>POST /events</c>): records the partner's acknowledgements (<c>ack</c>, then <c>setErrs</c>),
/// then returns the app's oldest unacknowledged, unexpired SETs — whatever their push state, test events excepted — up
/// to <c>maxEvents</c> and never more than <see cref="EventOptions.MaxEventsPerPoll"/>. With nothing to return and
/// <c>returnImmediately</c> not true (RFC 8936: absent means false, a long poll), it waits for new notifications up to
/// <see cref="EventOptions.LongPollTimeout"/>. Only the calling app's rows are read or written.
/// </summary>
public sealed class EventPolling(SandboxDbContext db, TenantService tenants, TimeProvider clock, EventSignal signal, IOptions<EventOptions> options)
{
    public async Task<EventPollingResponse> PollAsync(CallerContext caller, PollRequest request, CancellationToken ct)
    {
        var tenant = await tenants.FindAsync(caller.OrganisationId, ct);
        if (tenant is null)
        {
            // No tenant yet: the app has never had anything to be notified of.
            return new EventPollingResponse(new Dictionary<string, string>(), false);
        }

        var app = new App(tenant.Id, caller.ClientId);
        await AcknowledgeAsync(app, request, ct);

        var settings = options.Value;
        var limit = Math.Min(request.MaxEvents ?? settings.MaxEventsPerPoll, settings.MaxEventsPerPoll);
        if (limit == 0)
        {
            return new EventPollingResponse(new Dictionary<string, string>(), await Waiting(app).AnyAsync(ct));
        }

        var longPoll = request.ReturnImmediately != true;
        var started = clock.GetTimestamp();
        while (true)
        {
            var remaining = settings.LongPollTimeout - clock.GetElapsedTime(started);
            // Taken before the query, so a notification made between the query and the wait still wakes it.
            var wake = longPoll && remaining > TimeSpan.Zero
                ? signal.Notifications.WaitAsync(Min(remaining, settings.IdlePollInterval), ct)
                : null;
            var found = await Waiting(app).OrderBy(n => n.Id).Select(n => new { n.Jti, n.Set }).Take(limit + 1).ToListAsync(ct);
            if (found.Count > 0 || wake is null)
            {
                var sets = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var set in found.Take(limit))
                {
                    sets[set.Jti] = set.Set;
                }

                return new EventPollingResponse(sets, found.Count > limit);
            }

            // Woken by a new notification, or after the idle interval (another instance's writes), whichever is first.
            await wake;
        }
    }

    /// <summary>
    /// <c>ack</c> then <c>setErrs</c>: each sets the acknowledgement time once (which also stops pushes of it);
    /// <c>setErrs</c> also records the partner's error, even on a SET already acknowledged (e.g. one it received by
    /// push and then found it cannot process). Jtis that are unknown or not this app's are ignored.
    /// </summary>
    private async Task AcknowledgeAsync(App app, PollRequest request, CancellationToken ct)
    {
        if (request.Ack.Count == 0 && request.SetErrs.Count == 0)
        {
            return;
        }

        var jtis = request.Ack.Concat(request.SetErrs.Keys).Distinct(StringComparer.Ordinal).ToList();
        var rows = await db.EventNotifications
            .Where(n => n.TenantId == app.TenantId && n.ClientId == app.ClientId && jtis.Contains(n.Jti))
            .ToListAsync(ct);
        if (rows.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var acked = request.Ack.ToHashSet(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (acked.Contains(row.Jti))
            {
                row.AcknowledgedAt ??= now;
            }

            if (request.SetErrs.TryGetValue(row.Jti, out var error))
            {
                row.AcknowledgedAt ??= now;
                row.SetError = error.Err;
                row.SetErrorDescription = error.Description;
            }
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>What polling returns: not acknowledged, not expired, not a test event — Pending, Failed or PollingOnly alike.</summary>
    private IQueryable<EventNotification> Waiting(App app)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.EventNotifications.AsNoTracking()
            .Where(n => n.TenantId == app.TenantId && n.ClientId == app.ClientId && n.AcknowledgedAt == null && n.ExpiresAt > now && !n.IsTest);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private readonly record struct App(Guid TenantId, string ClientId);
}
