using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Payments.Screening;

namespace OpenBanking.Sandbox.Internal;

/// <summary>A tenant's payments for the Portal, and the reviewer's decision on a held one (through <see cref="Payments.PaymentService"/>).</summary>
public static class InternalPaymentsApi
{
    public static RouteGroupBuilder MapInternalPaymentsApi(this RouteGroupBuilder group)
    {
        group.MapPost("/payments/{paymentId}/review", ReviewPaymentAsync).WithName("ReviewPayment");
        group.MapGet("/tenants/{organisationId}/payments", ListTenantPaymentsAsync).WithName("ListTenantPayments")
            .WithSummary("A tenant's payments, newest first, with their risk scores and reasons (the Portal's payments page)");
        group.MapPost("/tenants/{organisationId}/payments/{paymentId}/review", ReviewTenantPaymentAsync).WithName("ReviewTenantPayment")
            .WithSummary("Release or reject a held payment of this tenant (in the sandbox the partner plays the reviewer)");
        return group;
    }

    public sealed record Review(bool Approve);

    /// <summary>A bank reviewer's decision on a payment the risk screen held: release it for settlement, or reject it.</summary>
    public static async Task<Results<Ok<Payments.PaymentStatus>, NotFound, ProblemHttpResult>> ReviewPaymentAsync(
        string paymentId, Review body, Payments.PaymentService payments, CancellationToken ct)
    {
        var (found, status, error) = await payments.ReviewAsync(paymentId, body.Approve, ct);
        return !found ? TypedResults.NotFound()
            : error is not null ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: error)
            : TypedResults.Ok(status!.Value);
    }

    /// <param name="ApiVersion">The version the payment was made through ("v3.1.11" or "v4.0"); Status keeps the domain's words.</param>
    /// <param name="Amount">What left the payer's account, in <paramref name="Currency"/> (for a payment abroad, fees it pays included).</param>
    /// <param name="Kind">The domain's <see cref="Payments.PaymentKind"/>: Domestic, Scheduled, StandingOrder, Vrp, International.</param>
    /// <param name="SentAmount">A payment abroad: what went to the payee's bank, in <paramref name="SentCurrency"/>; null otherwise.</param>
    /// <param name="ExchangeRate">Units of <paramref name="SentCurrency"/> per one of <paramref name="Currency"/>; null without a conversion.</param>
    /// <param name="ScreeningReasons">A payment abroad: what cross-border screening found (sanctions, countries, amount).</param>
    public sealed record TenantPayment(
        string PaymentId, string ConsentId, string ClientId, string Status, string Amount, string Currency, string CreditorName,
        string? Reference, DateTimeOffset CreatedAt, DateTimeOffset StatusUpdatedAt, string? StatusReason, int RiskScore,
        IReadOnlyList<string> RiskReasons, bool HeldForReview, string ApiVersion,
        string Kind = "Domestic", string? SentAmount = null, string? SentCurrency = null, decimal? ExchangeRate = null,
        IReadOnlyList<string>? ScreeningReasons = null);

    public static async Task<Ok<TenantPayment[]>> ListTenantPaymentsAsync(string organisationId, int? take, SandboxDbContext db, CancellationToken ct)
    {
        var tenantId = await db.Tenants.AsNoTracking().Where(t => t.OrganisationId == organisationId).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(ct);
        if (tenantId is null)
        {
            return TypedResults.Ok(Array.Empty<TenantPayment>());
        }

        var rows = await db.DomesticPayments.AsNoTracking()
            .Where(p => p.TenantId == tenantId)
            .OrderByDescending(p => p.CreationDateTime)
            .Take(Math.Clamp(take ?? 100, 1, 500))
            .GroupJoin(db.DomesticPaymentConsents, p => p.ConsentId, c => c.Id, (p, consents) => new { p, consents })
            .SelectMany(x => x.consents.DefaultIfEmpty(), (x, c) => new { x.p, Reference = c == null ? null : c.Reference })
            .GroupJoin(db.InternationalTransfers, x => x.p.Id, t => t.PaymentId, (x, transfers) => new { x.p, x.Reference, transfers })
            .SelectMany(x => x.transfers.DefaultIfEmpty(), (x, t) => new { x.p, x.Reference, Transfer = t })
            .ToListAsync(ct);
        // An international payment's reference is on its own consent; one query for the page, not one per row.
        var abroad = rows.Where(r => r.Transfer is not null).Select(r => r.p.ConsentId).ToArray();
        var references = abroad.Length == 0 ? new Dictionary<string, string?>()
            : await db.InternationalPaymentConsents.AsNoTracking().Where(c => abroad.Contains(c.Id))
                .ToDictionaryAsync(c => c.Id, c => c.Reference, ct);
        return TypedResults.Ok(rows.Select(r => new TenantPayment(
            r.p.Id, r.p.ConsentId, r.p.ClientId, r.p.Status.ToString(), Money.Format(r.p.AmountMinor, r.p.Currency), r.p.Currency, r.p.CreditorName,
            r.Reference ?? references.GetValueOrDefault(r.p.ConsentId),
            new DateTimeOffset(r.p.CreationDateTime, TimeSpan.Zero), new DateTimeOffset(r.p.StatusUpdateDateTime, TimeSpan.Zero), r.p.StatusReason,
            r.p.RiskScore, r.p.RiskReasons.Split("; ", StringSplitOptions.RemoveEmptyEntries),
            r.p.Status == Payments.PaymentStatus.Pending && r.p.StatusReason == Payments.PaymentStatusReasons.HeldForReview,
            r.p.ApiVersion.Name(),
            r.p.Kind.ToString(),
            r.Transfer is { } sent ? Money.Format(sent.SentMinor, sent.TransferCurrency) : null,
            r.Transfer?.TransferCurrency,
            r.Transfer?.ExchangeRate,
            r.Transfer is null ? null : ScreeningReasons.Of(r.p.RiskReasons, r.Transfer.ScreeningJson))).ToArray());
    }

    public static async Task<Results<Ok<Payments.PaymentStatus>, NotFound, ProblemHttpResult>> ReviewTenantPaymentAsync(
        string organisationId, string paymentId, Review body, SandboxDbContext db, Payments.PaymentService payments, CancellationToken ct)
    {
        var belongs = await db.DomesticPayments.AsNoTracking()
            .Join(db.Tenants, p => p.TenantId, t => t.Id, (p, t) => new { p.Id, t.OrganisationId })
            .AnyAsync(x => x.Id == paymentId && x.OrganisationId == organisationId, ct);
        return belongs ? await ReviewPaymentAsync(paymentId, body, payments, ct) : TypedResults.NotFound();
    }
}
