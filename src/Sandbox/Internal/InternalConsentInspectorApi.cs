using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Internal;

/// <summary>
/// The consent inspector's view of a tenant's consents (the Portal's <c>SandboxConsentsClient</c>): a search over every
/// kind, and one consent's life — what it allows, the accounts chosen, every status change with who made it, the
/// payments made with it and the event notifications about it or them. Always one organisation; <c>clientId</c>
/// narrows to one app, and a consent of another organisation or app is 404 alike.
/// </summary>
public static class InternalConsentInspectorApi
{
    public const int MaxTake = 200;

    public static RouteGroupBuilder MapInternalConsentInspectorApi(this RouteGroupBuilder group)
    {
        group.MapGet("/tenants/{organisationId}/consents", SearchAsync).WithName("SearchTenantConsents");
        group.MapGet("/tenants/{organisationId}/consents/{consentId}/timeline", TimelineAsync).WithName("GetConsentTimeline");
        return group;
    }

    public sealed record ConsentSummary(
        string ConsentId, string Kind, string ClientId, string Status, string ApiVersion, string? CustomerId, string? CustomerUsername,
        DateTimeOffset CreatedAt, DateTimeOffset StatusUpdatedAt);

    public sealed record ConsentTimeline(
        ConsentSummary Consent, IReadOnlyList<string> Permissions, IReadOnlyList<string> AccountIds, DateTimeOffset? Expiration,
        DateTimeOffset? AccessRevokedAt, DateTimeOffset? LastUsedAt, IReadOnlyList<ConsentChange> Changes,
        IReadOnlyList<ConsentPayment> Payments, IReadOnlyList<ConsentEvent> Events);

    public sealed record ConsentChange(DateTimeOffset At, string Status, string Actor, string? Detail);

    public sealed record ConsentPayment(string PaymentId, string Status, DateTimeOffset At, string Amount, string Currency);

    public sealed record ConsentEvent(
        string NotificationId, string EventType, string ResourceId, string State, int Attempts, int? LastStatusCode,
        DateTimeOffset CreatedAt, DateTimeOffset? AcknowledgedAt);

    /// <summary>One consent of any kind, as read for the inspector.</summary>
    private sealed record Row(
        string Id, ConsentKind Kind, string ClientId, string Status, ApiVersion ApiVersion, string? CustomerId,
        DateTimeOffset CreatedAt, DateTimeOffset StatusUpdatedAt, IReadOnlyList<string> Permissions, IReadOnlyList<string> AccountIds,
        DateTimeOffset? Expiration, DateTimeOffset? AccessRevokedAt, DateTimeOffset? LastUsedAt);

    /// <summary>
    /// Consents whose id is <paramref name="q"/>, or whose customer's username or id is; every consent without
    /// <paramref name="q"/>. Newest first, at most <paramref name="take"/> (1–200, default 50).
    /// </summary>
    public static async Task<Results<Ok<ConsentSummary[]>, NotFound>> SearchAsync(
        string organisationId, int? take, string? clientId, string? q, SandboxDbContext db, CancellationToken ct)
    {
        var tenantId = await TenantIdAsync(db, organisationId, ct);
        if (tenantId is null)
        {
            // No bank yet: no consents (a search never creates one).
            return TypedResults.Ok(Array.Empty<ConsentSummary>());
        }

        var limit = Math.Clamp(take ?? 50, 1, MaxTake);
        q = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        string? consentId = null;
        string[]? customerIds = null;
        if (q is not null && ConsentKinds.FromId(q) is not null)
        {
            consentId = q;
        }
        else if (q is not null)
        {
            var username = q.ToLowerInvariant();
            customerIds = await db.Customers.AsNoTracking().Where(c => c.TenantId == tenantId && (c.Username == username || c.Id == q))
                .Select(c => c.Id).ToArrayAsync(ct);
            if (customerIds.Length == 0)
            {
                return TypedResults.Ok(Array.Empty<ConsentSummary>());
            }
        }

        var rows = await RowsAsync(db, tenantId.Value, clientId, consentId, customerIds, limit, ct);
        var newest = rows.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).Take(limit).ToList();
        return TypedResults.Ok(await SummariesAsync(db, tenantId.Value, newest, ct));
    }

    public static async Task<Results<Ok<ConsentTimeline>, NotFound>> TimelineAsync(
        string organisationId, string consentId, string? clientId, SandboxDbContext db, CancellationToken ct)
    {
        var tenantId = await TenantIdAsync(db, organisationId, ct);
        if (tenantId is null || ConsentKinds.FromId(consentId) is null)
        {
            return TypedResults.NotFound();
        }

        var row = (await RowsAsync(db, tenantId.Value, clientId, consentId, null, 1, ct)).SingleOrDefault();
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        var summary = (await SummariesAsync(db, tenantId.Value, [row], ct))[0];
        var changes = (await db.ConsentStatusChanges.AsNoTracking()
                .Where(c => c.TenantId == tenantId && c.ConsentId == consentId).OrderBy(c => c.Id).ToListAsync(ct))
            .Select(c => new ConsentChange(Utc(c.At), c.Status, c.Actor, c.Detail)).ToList();
        if (changes.Count == 0)
        {
            // A consent older than its history: what its own row still says.
            changes.Add(new ConsentChange(row.CreatedAt, nameof(ConsentStatus.AwaitingAuthorisation), ConsentActors.Tpp, "Created by the app (recorded before the bank kept consent histories)."));
            if (row.Status != nameof(ConsentStatus.AwaitingAuthorisation))
            {
                changes.Add(new ConsentChange(row.StatusUpdatedAt, row.Status, ConsentActors.Bank, "The consent's latest status (its earlier changes were not recorded)."));
            }
        }

        var payments = (await db.DomesticPayments.AsNoTracking().Where(p => p.TenantId == tenantId && p.ConsentId == consentId)
                .Select(p => new { p.Id, p.Status, p.CreationDateTime, p.AmountMinor, p.Currency }).ToListAsync(ct))
            .OrderBy(p => p.CreationDateTime).ThenBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => new ConsentPayment(p.Id, p.Status.ToString(), Utc(p.CreationDateTime), Money.Format(p.AmountMinor, p.Currency), p.Currency)).ToList();

        var resourceIds = payments.Select(p => p.PaymentId).Append(consentId).ToList();
        var events = (await db.EventNotifications.AsNoTracking()
                .Where(n => n.TenantId == tenantId && n.ClientId == row.ClientId && resourceIds.Contains(n.ResourceId))
                .OrderBy(n => n.Id).Take(500)
                .Select(n => new { n.Id, n.EventType, n.ResourceId, n.State, n.Attempts, n.LastStatusCode, n.CreatedAt, n.AcknowledgedAt })
                .ToListAsync(ct))
            .Select(n => new ConsentEvent(n.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), n.EventType, n.ResourceId, n.State.ToString(),
                n.Attempts, n.LastStatusCode, Utc(n.CreatedAt), n.AcknowledgedAt is { } acknowledged ? Utc(acknowledged) : null)).ToList();

        return TypedResults.Ok(new ConsentTimeline(summary, row.Permissions, row.AccountIds, row.Expiration, row.AccessRevokedAt, row.LastUsedAt,
            changes, payments, events));
    }

    private static async Task<Guid?> TenantIdAsync(SandboxDbContext db, string organisationId, CancellationToken ct)
        => await db.Tenants.AsNoTracking().Where(t => t.OrganisationId == organisationId).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(ct);

    private static async Task<ConsentSummary[]> SummariesAsync(SandboxDbContext db, Guid tenantId, IReadOnlyList<Row> rows, CancellationToken ct)
    {
        var customerIds = rows.Select(r => r.CustomerId).OfType<string>().Distinct().ToList();
        var usernames = customerIds.Count == 0 ? [] : await db.Customers.AsNoTracking()
            .Where(c => c.TenantId == tenantId && customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Username, ct);
        return [.. rows.Select(r => new ConsentSummary(r.Id, r.Kind.ToString(), r.ClientId, r.Status, r.ApiVersion.Name(), r.CustomerId,
            r.CustomerId is not null && usernames.TryGetValue(r.CustomerId, out var username) ? username : null, r.CreatedAt, r.StatusUpdatedAt))];
    }

    /// <summary>
    /// The tenant's consents of every kind matching the filters: per kind the newest <paramref name="take"/> (ids are
    /// time-ordered, Guid v7), merged by the caller.
    /// </summary>
    private static async Task<List<Row>> RowsAsync(
        SandboxDbContext db, Guid tenantId, string? clientId, string? consentId, string[]? customerIds, int take, CancellationToken ct)
    {
        var kind = consentId is null ? (ConsentKind?)null : ConsentKinds.FromId(consentId)?.Kind;
        bool Wanted(ConsentKind k) => kind is null || kind == k;
        IQueryable<T> Filter<T>(IQueryable<T> source) where T : class, IConsent
        {
            var query = source.AsNoTracking().Where(c => c.TenantId == tenantId);
            if (clientId is not null)
            {
                query = query.Where(c => c.ClientId == clientId);
            }

            if (consentId is not null)
            {
                query = query.Where(c => c.Id == consentId);
            }

            if (customerIds is not null)
            {
                query = query.Where(c => c.CustomerId != null && customerIds.Contains(c.CustomerId));
            }

            return query.OrderByDescending(c => c.Id).Take(take);
        }

        var rows = new List<Row>();
        if (Wanted(ConsentKind.AccountAccess))
        {
            rows.AddRange((await Filter(db.AccountAccessConsents).ToListAsync(ct)).Select(c => new Row(c.Id, c.Kind, c.ClientId, c.Status.ToString(), c.ApiVersion,
                c.CustomerId, c.CreationDateTime, c.StatusUpdateDateTime, c.Permissions, c.AccountIds, c.ExpirationDateTime, c.AccessRevokedAt, c.LastUsedAt)));
        }

        if (Wanted(ConsentKind.DomesticPayment))
        {
            rows.AddRange((await Filter(db.DomesticPaymentConsents).ToListAsync(ct)).Select(c => new Row(c.Id, ConsentKind.DomesticPayment, c.ClientId,
                ((IConsent)c).Status.ToString(), c.ApiVersion, c.CustomerId, c.CreationDateTime, c.StatusUpdateDateTime, [], Accounts(c.DebtorAccountId),
                null, null, c.LastUsedAt)));
        }

        if (Wanted(ConsentKind.FundsConfirmation))
        {
            rows.AddRange((await Filter(db.FundsConfirmationConsents).ToListAsync(ct)).Select(c => new Row(c.Id, c.Kind, c.ClientId, c.Status.ToString(),
                c.ApiVersion, c.CustomerId, c.CreationDateTime, c.StatusUpdateDateTime, [], Accounts(c.AccountId), c.ExpirationDateTime, null, c.LastUsedAt)));
        }

        if (Wanted(ConsentKind.DomesticScheduledPayment))
        {
            rows.AddRange((await Filter(db.DomesticScheduledPaymentConsents).ToListAsync(ct)).Select(c => new Row(c.Id, ConsentKind.DomesticScheduledPayment, c.ClientId,
                ((IConsent)c).Status.ToString(), c.ApiVersion, c.CustomerId, c.CreationDateTime, c.StatusUpdateDateTime, [], Accounts(c.DebtorAccountId),
                null, null, c.LastUsedAt)));
        }

        if (Wanted(ConsentKind.DomesticStandingOrder))
        {
            rows.AddRange((await Filter(db.DomesticStandingOrderConsents).ToListAsync(ct)).Select(c => new Row(c.Id, ConsentKind.DomesticStandingOrder, c.ClientId,
                ((IConsent)c).Status.ToString(), c.ApiVersion, c.CustomerId, c.CreationDateTime, c.StatusUpdateDateTime, [], Accounts(c.DebtorAccountId),
                null, null, c.LastUsedAt)));
        }

        if (Wanted(ConsentKind.DomesticVrp))
        {
            rows.AddRange((await Filter(db.DomesticVrpConsents).ToListAsync(ct)).Select(c => new Row(c.Id, ConsentKind.DomesticVrp, c.ClientId,
                ((IConsent)c).Status.ToString(), c.ApiVersion, c.CustomerId, c.CreationDateTime, c.StatusUpdateDateTime, [], Accounts(c.DebtorAccountId),
                ((IConsent)c).ExpirationDateTime, null, c.LastUsedAt)));
        }

        if (Wanted(ConsentKind.InternationalPayment))
        {
            rows.AddRange((await Filter(db.InternationalPaymentConsents).ToListAsync(ct)).Select(c => new Row(c.Id, ConsentKind.InternationalPayment, c.ClientId,
                ((IConsent)c).Status.ToString(), c.ApiVersion, c.CustomerId, c.CreationDateTime, c.StatusUpdateDateTime, [], Accounts(c.DebtorAccountId),
                null, null, c.LastUsedAt)));
        }

        return rows;
    }

    private static IReadOnlyList<string> Accounts(string? accountId) => accountId is null ? [] : [accountId];

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
