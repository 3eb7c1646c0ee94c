using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Infrastructure;
using static OpenBanking.Sandbox.Internal.InternalConsentsApi;

namespace OpenBanking.Sandbox.Internal;

/// <summary>
/// Every consent a customer ever gave or declined, of every kind and in any state, with its full status history — for
/// the customer's connected-apps page (current and ended) and their "download my consent history" (issue 22: the right
/// of access). Scoped to one tenant and one customer: the route's organisation and customer are the only filter, and
/// Identity fills them from the signed-in customer's session, never from the request.
/// </summary>
public static class InternalConsentHistoryApi
{
    public static RouteGroupBuilder MapInternalConsentHistoryApi(this RouteGroupBuilder group)
    {
        group.MapGet("/tenants/{organisationId}/customers/{customerId}/consent-history", GetHistoryAsync)
            .WithName("GetCustomerConsentHistory")
            .WithSummary("Every consent of the customer's, current and ended, with its status history.");
        return group;
    }

    /// <summary>One change of a consent's status, as the history keeps it (<c>ConsentStatusChange</c>).</summary>
    /// <param name="At">On the tenant's clock.</param>
    public sealed record StatusChangeEntry(string Status, string Actor, string? Detail, DateTimeOffset At);

    /// <param name="Current">Whether it still grants something (the dashboard's list); otherwise it has ended.</param>
    /// <param name="StatusUpdateDateTime">When its status last changed: an ended consent ended then (or at its expiry, if earlier).</param>
    /// <param name="DeletedAt">When the app deleted it, if it did.</param>
    public sealed record ConsentRecord(
        ConsentSummary Consent, bool Current, DateTimeOffset StatusUpdateDateTime, DateTimeOffset? DeletedAt, IReadOnlyList<StatusChangeEntry> History);

    public static async Task<Results<Ok<ConsentRecord[]>, NotFound>> GetHistoryAsync(
        string organisationId, string customerId, SandboxDbContext db, TenantClock clock, HttpContext http, CancellationToken ct)
    {
        var customer = await InternalCustomersApi.FindCustomerAsync(db, organisationId, customerId, ct);
        if (customer is null || (await ListConsentsAsync(organisationId, customerId, db, clock, http, ct)).Result is not Ok<ConsentSummary[]> { Value: { } listed })
        {
            return TypedResults.NotFound();
        }

        // What the dashboard lists as current, less what the customer withdrew (its status stays Authorised).
        var current = listed.Where(c => c.AccessRevokedAt is null).Select(c => c.ConsentId).ToHashSet(StringComparer.Ordinal);
        var (tenantId, id) = (customer.TenantId, customer.Id);
        var all = new List<(ConsentSummary Summary, DateTimeOffset Updated, DateTimeOffset? DeletedAt)>();
        foreach (var c in await db.AccountAccessConsents.AsNoTracking().Where(c => c.TenantId == tenantId && c.CustomerId == id).ToListAsync(ct))
        {
            all.Add((ConsentJourney.AccountAccess.Summary(c, organisationId), c.StatusUpdateDateTime, c.DeletedAt));
        }

        foreach (var c in await db.FundsConfirmationConsents.AsNoTracking().Where(c => c.TenantId == tenantId && c.CustomerId == id).ToListAsync(ct))
        {
            all.Add((FundsConfirmationJourney.Summary(c, organisationId), c.StatusUpdateDateTime, c.DeletedAt));
        }

        foreach (var c in await db.DomesticPaymentConsents.AsNoTracking().Where(c => c.TenantId == tenantId && c.CustomerId == id).ToListAsync(ct))
        {
            all.Add((DomesticPaymentJourney.Summary(c, organisationId), c.StatusUpdateDateTime, null));
        }

        foreach (var c in await db.DomesticScheduledPaymentConsents.AsNoTracking().Where(c => c.TenantId == tenantId && c.CustomerId == id).ToListAsync(ct))
        {
            all.Add((Payments.Scheduled.ScheduledPaymentJourney.Summary(c, organisationId), c.StatusUpdateDateTime, null));
        }

        foreach (var c in await db.DomesticVrpConsents.AsNoTracking().Where(c => c.TenantId == tenantId && c.CustomerId == id).ToListAsync(ct))
        {
            all.Add((Payments.Vrp.DomesticVrpJourney.Summary(c, organisationId), c.StatusUpdateDateTime, c.DeletedAt));
        }

        var standing = await db.DomesticStandingOrderConsents.AsNoTracking().Where(c => c.TenantId == tenantId && c.CustomerId == id).ToListAsync(ct);
        var standingIds = standing.Select(c => c.Id).ToList();
        var orders = await db.DomesticStandingOrders.AsNoTracking().Where(o => standingIds.Contains(o.ConsentId)).ToDictionaryAsync(o => o.ConsentId, ct);
        all.AddRange(standing.Select(c => (DomesticStandingOrderJourney.Summary(c, organisationId, orders.GetValueOrDefault(c.Id)), c.StatusUpdateDateTime, (DateTimeOffset?)null)));

        foreach (var c in await db.InternationalPaymentConsents.AsNoTracking().Where(c => c.TenantId == tenantId && c.CustomerId == id).ToListAsync(ct))
        {
            // A current one is priced now (as the dashboard shows it); an ended one only says what it sent.
            all.Add((await ConsentJourney.International.SummaryAsync(http.RequestServices, db, c, ct), c.StatusUpdateDateTime, null));
        }

        var ids = all.Select(a => a.Summary.ConsentId).ToList();
        var history = (await db.ConsentStatusChanges.AsNoTracking()
                .Where(h => h.TenantId == tenantId && ids.Contains(h.ConsentId))
                .OrderBy(h => h.At).ThenBy(h => h.Id)
                .Select(h => new { h.ConsentId, h.Status, h.Actor, h.Detail, h.At })
                .ToListAsync(ct))
            .ToLookup(h => h.ConsentId, h => new StatusChangeEntry(h.Status, h.Actor, h.Detail, new DateTimeOffset(DateTime.SpecifyKind(h.At, DateTimeKind.Utc))));
        var records = all
            .Select(a => new ConsentRecord(a.Summary, current.Contains(a.Summary.ConsentId), a.Updated, a.DeletedAt, [.. history[a.Summary.ConsentId]]))
            .OrderByDescending(r => r.Current).ThenByDescending(r => r.StatusUpdateDateTime)
            .ToArray();
        return TypedResults.Ok(records);
    }
}
