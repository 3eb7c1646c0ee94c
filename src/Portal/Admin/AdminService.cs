using Microsoft.EntityFrameworkCore;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Admin;

public sealed record PaymentAccessRequest(PartnerApp App, string OrganisationName);

public sealed record ReviewQueue(
    IReadOnlyList<Organisation> Organisations, IReadOnlyList<PaymentAccessRequest> PaymentRequests, IReadOnlyList<ProductionRequestView> ProductionRequests);

public sealed record PlatformOverview(
    IReadOnlyDictionary<OrganisationStatus, int> OrganisationsByStatus, int Apps, int SuspendedApps, int PendingPaymentRequests,
    int Calls, int Errors, IReadOnlyList<(string Organisation, int Calls, int Errors)> CallsByOrganisation, string? CallsError,
    int PendingProductionRequests = 0);

public sealed record AuditFilter(string? Actor = null, string? Action = null, string? EntityId = null, Guid? OrganisationId = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>
/// The bank admin's decisions: organisations (approve, reject with a reason, suspend, reactivate) and payment-scope
/// requests (grant, refuse with a reason); the platform overview and the audit log. Every method refuses non-admins.
/// </summary>
public sealed class AdminService(CurrentPartner current, IDbContextFactory<PortalDbContext> dbFactory, IdentityClientsClient identity, GatewayCallsClient calls, TimeProvider clock)
{
    public async Task<ReviewQueue> ReviewQueueAsync(CancellationToken ct = default)
    {
        await RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var organisations = await db.Organisations.AsNoTracking().Where(o => o.Status == OrganisationStatus.Pending).ToListAsync(ct);
        var requests = await db.Apps.AsNoTracking().Where(a => a.PaymentAccess == PaymentAccess.Requested)
            .Join(db.Organisations, a => a.OrganisationId, o => o.Id, (a, o) => new { a, o.LegalName })
            .ToListAsync(ct);
        var production = await db.ProductionAccessRequests.AsNoTracking().Where(r => r.Status == ProductionAccess.Requested)
            .Join(db.Apps, r => r.ClientId, a => a.ClientId, (r, a) => new { r, a.Name, a.OrganisationId })
            .Join(db.Organisations, x => x.OrganisationId, o => o.Id, (x, o) => new { x.r, x.Name, o.LegalName })
            .ToListAsync(ct);
        return new ReviewQueue(
            [.. organisations.OrderBy(o => o.CreatedAt)],
            [.. requests.OrderBy(r => r.a.CreatedAt).Select(r => new PaymentAccessRequest(r.a, r.LegalName))],
            [.. production.OrderBy(p => p.r.Id).Select(p => new ProductionRequestView(p.r, p.Name, p.LegalName, ReadinessService.Decode(p.r.ReportJson)))]);
    }

    public async Task<IReadOnlyList<Organisation>> OrganisationsAsync(OrganisationStatus? status = null, CancellationToken ct = default)
    {
        await RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Organisations.AsNoTracking();
        if (status is not null)
        {
            query = query.Where(o => o.Status == status);
        }

        return [.. (await query.ToListAsync(ct)).OrderBy(o => o.LegalName, StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<(Organisation Organisation, IReadOnlyList<Membership> Members, IReadOnlyList<PartnerApp> Apps)> OrganisationAsync(Guid id, CancellationToken ct = default)
    {
        await RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var organisation = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct)
            ?? throw new PortalNotFoundException("No such organisation.");
        var members = await db.Memberships.AsNoTracking().Where(m => m.OrganisationId == id).ToListAsync(ct);
        var apps = await db.Apps.AsNoTracking().Where(a => a.OrganisationId == id).ToListAsync(ct);
        return (organisation, members, apps);
    }

    /// <summary>
    /// Approves the organisation under the name the admin reviewed: a Pending organisation may rename itself freely, so
    /// an approval of a name that is no longer current is refused (the admin reviews the new one).
    /// </summary>
    public Task ApproveAsync(Guid organisationId, string reviewedName, CancellationToken ct = default)
        => DecideAsync(organisationId, OrganisationStatus.Approved, null, reviewedName, ct);

    /// <summary>Rejects a registration; for a renamed organisation under re-review, rejects the new name (the approved one comes back).</summary>
    public Task RejectAsync(Guid organisationId, string? reason, CancellationToken ct = default)
        => DecideAsync(organisationId, OrganisationStatus.Rejected, RequireReason(reason), null, ct);

    /// <summary>Suspends an approved organisation, or one under re-review after a rename (its apps work until then).</summary>
    public Task SuspendAsync(Guid organisationId, string? reason, CancellationToken ct = default)
        => DecideAsync(organisationId, OrganisationStatus.Suspended, RequireReason(reason), null, ct);

    /// <summary>Lifts a suspension: back to Approved, or back to re-review if its current name is not the approved one.</summary>
    public Task ReactivateAsync(Guid organisationId, CancellationToken ct = default)
        => DecideAsync(organisationId, OrganisationStatus.Approved, null, null, ct);

    public async Task DecidePaymentAccessAsync(string clientId, bool grant, string? reason, CancellationToken ct = default)
    {
        var actor = await RequireAdminAsync();
        var why = grant ? reason?.Trim() : RequireReason(reason);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var app = await db.Apps.SingleOrDefaultAsync(a => a.ClientId == clientId, ct) ?? throw new PortalNotFoundException("No such app.");
        if (app.PaymentAccess != PaymentAccess.Requested)
        {
            throw new PortalValidationException("", $"{app.Name} has no open payment-access request.");
        }

        if (grant)
        {
            var client = await AppService.CallIdentityAsync(() => identity.GetAsync(clientId, ct))
                ?? throw new PortalNotFoundException("Identity does not know this app any more.");
            if (!client.Scopes.Contains("payments"))
            {
                await AppService.CallIdentityAsync(() => identity.UpdateAsync(clientId, new ClientChanges(Scopes: [.. client.Scopes, "payments"]), actor.Email, ct));
            }
        }

        var before = AuditTrail.Snapshot(new { app.PaymentAccess, app.PaymentAccessReason });
        var now = clock.GetUtcNow();
        app.PaymentAccess = grant ? PaymentAccess.Granted : PaymentAccess.Refused;
        app.PaymentAccessReason = why;
        app.PaymentAccessDecidedAt = now;
        AuditTrail.Record(db, now, actor, null, grant ? AuditActions.AppPaymentAccessGranted : AuditActions.AppPaymentAccessRefused, nameof(PartnerApp), app.ClientId,
            app.OrganisationId, before, AuditTrail.Snapshot(new { app.PaymentAccess, app.PaymentAccessReason }));
        AuditTrail.Notify(db, now, app.OrganisationId,
            grant ? $"Payment initiation granted on {app.Name}." : $"Payment initiation refused on {app.Name}: {why}",
            $"/apps/{app.ClientId}", grant ? NotificationSeverity.Success : NotificationSeverity.Warning);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Decides an open production-access request: approval marks the app production-approved (no credentials are
    /// issued: that is outside this sandbox platform); a refusal needs a reason the partner sees, and they may ask again.
    /// </summary>
    public async Task DecideProductionAccessAsync(long requestId, bool approve, string? reason, CancellationToken ct = default)
    {
        var actor = await RequireAdminAsync();
        var why = approve ? (string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()) : RequireReason(reason);
        if (why?.Length > 1000)
        {
            throw new PortalValidationException("reason", "Give a reason of up to 1,000 characters; the partner sees it.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await db.ProductionAccessRequests.SingleOrDefaultAsync(r => r.Id == requestId, ct)
            ?? throw new PortalNotFoundException("No such production-access request.");
        var app = await db.Apps.SingleOrDefaultAsync(a => a.ClientId == request.ClientId, ct) ?? throw new PortalNotFoundException("No such app.");
        if (request.Status != ProductionAccess.Requested)
        {
            throw new PortalValidationException("", $"The request for {app.Name} was already decided.");
        }

        var before = AuditTrail.Snapshot(new { app.ProductionAccess, app.ProductionAccessReason });
        var now = clock.GetUtcNow();
        var status = approve ? ProductionAccess.Approved : ProductionAccess.Refused;
        request.Status = status;
        request.DecidedBy = actor.Email;
        request.DecidedAt = now;
        request.DecisionReason = why;
        app.ProductionAccess = status;
        app.ProductionAccessReason = why;
        app.ProductionAccessDecidedAt = now;
        AuditTrail.Record(db, now, actor, null, approve ? AuditActions.AppProductionAccessGranted : AuditActions.AppProductionAccessRefused, nameof(PartnerApp),
            app.ClientId, app.OrganisationId, before, AuditTrail.Snapshot(new { app.ProductionAccess, app.ProductionAccessReason, RequestId = request.Id }));
        AuditTrail.Notify(db, now, app.OrganisationId,
            approve ? $"{app.Name} is production-approved." : $"Production access refused on {app.Name}: {why}",
            $"/apps/{app.ClientId}/go-live", approve ? NotificationSeverity.Success : NotificationSeverity.Warning);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Suspends or reactivates one app (takes effect on tokens at once: Identity refuses and revokes them). The bank's
    /// suspension binds the team; an admin's reactivation lifts any suspension, the team's own included.
    /// </summary>
    public async Task SetAppSuspendedAsync(string clientId, bool suspended, CancellationToken ct = default)
    {
        var actor = await RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var app = await db.Apps.SingleOrDefaultAsync(a => a.ClientId == clientId, ct) ?? throw new PortalNotFoundException("No such app.");
        if (app.Suspended == suspended && (!suspended || app.SuspendedBy == AppSuspender.Bank))
        {
            return;
        }

        await AppService.ApplySuspensionAsync(db, actor, null, app, suspended, AppSuspender.Bank, identity, clock, ct);
    }

    public async Task<PlatformOverview> OverviewAsync(CancellationToken ct = default)
    {
        await RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var byStatus = await db.Organisations.GroupBy(o => o.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var apps = await db.Apps.CountAsync(ct);
        var suspendedApps = await db.Apps.CountAsync(a => a.Suspended, ct);
        var pending = await db.Apps.CountAsync(a => a.PaymentAccess == PaymentAccess.Requested, ct);
        var pendingProduction = await db.Apps.CountAsync(a => a.ProductionAccess == ProductionAccess.Requested, ct);
        var withApps = await db.Apps.Select(a => a.OrganisationId).Distinct()
            .Join(db.Organisations, id => id, o => o.Id, (id, o) => new { o.Id, o.LegalName }).Take(100).ToListAsync(ct);

        // The gateway answers per organisation (no query ever spans partners); the overview adds them up.
        var rows = new List<(string Organisation, int Calls, int Errors)>();
        string? callsError = null;
        var since = clock.GetUtcNow().AddHours(-24);
        try
        {
            foreach (var organisation in withApps)
            {
                var stats = await calls.StatisticsAsync(new CallFilter(organisation.Id, From: since), "hour", ct);
                rows.Add((organisation.LegalName, stats.Calls, stats.Errors));
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or PlatformServiceException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            callsError = "The gateway's call log could not be reached.";
        }

        return new PlatformOverview(
            Enum.GetValues<OrganisationStatus>().ToDictionary(s => s, s => byStatus.SingleOrDefault(b => b.Key == s)?.Count ?? 0),
            apps, suspendedApps, pending, rows.Sum(r => r.Calls), rows.Sum(r => r.Errors),
            [.. rows.OrderByDescending(r => r.Calls)], callsError, pendingProduction);
    }

    public async Task<(IReadOnlyList<AuditEntry> Entries, int Total)> AuditAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        await RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await QueryAuditAsync(db, filter, page, pageSize, ct);
    }

    internal static async Task<(IReadOnlyList<AuditEntry> Entries, int Total)> QueryAuditAsync(
        PortalDbContext db, AuditFilter filter, int page, int pageSize, CancellationToken ct)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            query = query.Where(a => a.Actor.Contains(filter.Actor.Trim().ToLower()));
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            query = query.Where(a => a.Action.StartsWith(filter.Action.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(filter.EntityId))
        {
            query = query.Where(a => a.EntityId == filter.EntityId.Trim());
        }

        if (filter.OrganisationId is not null)
        {
            query = query.Where(a => a.OrganisationId == filter.OrganisationId);
        }

        var entries = await query.OrderByDescending(a => a.Id).ToListAsync(ct);
        // DateTimeOffset ranges are filtered after loading: SQLite cannot compare them (the log is small).
        var filtered = entries.Where(a => (filter.From is null || a.Timestamp >= filter.From) && (filter.To is null || a.Timestamp <= filter.To)).ToList();
        var size = Math.Clamp(pageSize, 1, 200);
        return ([.. filtered.Skip((Math.Max(page, 1) - 1) * size).Take(size)], filtered.Count);
    }

    private async Task DecideAsync(Guid organisationId, OrganisationStatus status, string? reason, string? reviewedName, CancellationToken ct)
    {
        var actor = await RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var organisation = await db.Organisations.SingleOrDefaultAsync(o => o.Id == organisationId, ct)
            ?? throw new PortalNotFoundException("No such organisation.");
        var hasApps = organisation.Status == OrganisationStatus.Pending && await db.Apps.AnyAsync(a => a.OrganisationId == organisationId, ct);
        var before = AuditTrail.Snapshot(new { organisation.Status, organisation.StatusReason, organisation.LegalName, organisation.ApprovedName });
        var now = clock.GetUtcNow();
        OrganisationChange change;
        try
        {
            // Changes the tracked entity only: nothing is saved unless Identity below takes every step.
            change = organisation.Decide(status, reason, reviewedName, hasApps, now);
        }
        catch (OrganisationTransitionException exception)
        {
            throw new PortalValidationException("", exception.Message);
        }

        // Suspension reaches the apps at Identity first (their tokens stop at once); reactivation brings back the apps
        // that were not suspended on their own.
        if (change is OrganisationChange.Suspended or OrganisationChange.Reactivated)
        {
            var apps = await db.Apps.Where(a => a.OrganisationId == organisationId && !a.Suspended).ToListAsync(ct);
            foreach (var app in apps)
            {
                await AppService.CallIdentityAsync(async () =>
                {
                    if (change == OrganisationChange.Suspended)
                    {
                        await identity.SuspendAsync(app.ClientId, actor.Email, ct);
                    }
                    else
                    {
                        await identity.ReactivateAsync(app.ClientId, actor.Email, ct);
                    }

                    return true;
                });
            }
        }

        // An approval (first, or after a rename) makes the approved name the one customers see on consent pages.
        if (change == OrganisationChange.Approved)
        {
            var named = await db.Apps.Where(a => a.OrganisationId == organisationId).Select(a => a.ClientId).ToListAsync(ct);
            foreach (var clientId in named)
            {
                await AppService.CallIdentityAsync(() => identity.UpdateAsync(clientId, new ClientChanges(OrganisationName: organisation.LegalName), actor.Email, ct));
            }
        }

        AuditTrail.Record(db, now, actor, null, AuditActions.For(change), nameof(Organisation), organisation.Id.ToString(), organisation.Id, before,
            AuditTrail.Snapshot(new { organisation.Status, organisation.StatusReason, organisation.LegalName, organisation.ApprovedName }));
        AuditTrail.Notify(db, now, organisation.Id, change switch
        {
            OrganisationChange.Approved => "Your organisation is approved: you can create apps now.",
            OrganisationChange.Rejected => $"Your organisation was not approved: {organisation.StatusReason}",
            OrganisationChange.Suspended => $"Your organisation is suspended: {organisation.StatusReason}",
            OrganisationChange.RenameRejected => $"{organisation.StatusReason} Your organisation keeps the name {organisation.LegalName}.",
            _ when organisation.Status == OrganisationStatus.Pending => "Your organisation is active again; the bank still reviews its new name.",
            _ => "Your organisation is active again.",
        }, "/organisation", change switch
        {
            OrganisationChange.Approved or OrganisationChange.Reactivated => NotificationSeverity.Success,
            OrganisationChange.RenameRejected => NotificationSeverity.Warning,
            _ => NotificationSeverity.Error,
        });
        await db.SaveChangesAsync(ct);
    }

    private static string RequireReason(string? reason)
    {
        var trimmed = reason?.Trim();
        return string.IsNullOrEmpty(trimmed) || trimmed.Length > 1000
            ? throw new PortalValidationException("reason", "Give a reason (up to 1,000 characters); the partner sees it.")
            : trimmed;
    }

    /// <summary>
    /// Admin power is read from Identity for every admin action, not from the sign-in's role claim: a removed role or a
    /// locked account stops the next action, whatever the session cookie says.
    /// </summary>
    private async Task<PortalActor> RequireAdminAsync()
    {
        var actor = await current.GetActorAsync();
        return await new Authentication.UserStanding(identity, clock).IsAdminNowAsync(actor, CancellationToken.None)
            ? actor
            : throw new PortalForbiddenException("Only the bank's admins can do this.");
    }
}
