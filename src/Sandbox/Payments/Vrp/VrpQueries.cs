using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Payments.Vrp;

/// <summary>The reads on a VRP payment's path, compiled once (as <see cref="PaymentQueries"/> does for domestic payments).</summary>
internal static class VrpQueries
{
    public sealed record CreditorAccount(string Id, string CustomerId, string Currency);

    public sealed record CountedPayment(DateTime At, long AmountMinor);

    public static readonly Func<SandboxDbContext, string, CancellationToken, Task<DomesticVrpConsent?>> Consent =
        EF.CompileAsyncQuery((SandboxDbContext db, string id, CancellationToken ct) =>
            db.DomesticVrpConsents.AsNoTracking().SingleOrDefault(c => c.Id == id && c.DeletedAt == null));

    public static readonly Func<SandboxDbContext, Guid, string, string, CancellationToken, Task<CreditorAccount?>> Creditor =
        EF.CompileAsyncQuery((SandboxDbContext db, Guid tenantId, string identification, string scheme, CancellationToken ct) =>
            db.Accounts.AsNoTracking()
                .Where(a => a.TenantId == tenantId && a.Identification == identification && a.SchemeName == scheme)
                .Select(a => new CreditorAccount(a.Id, a.CustomerId, a.Currency)).FirstOrDefault());

    /// <summary>The consent's payments since <c>from</c> that count towards its limits (not rejected).</summary>
    public static readonly Func<SandboxDbContext, string, DateTime, IAsyncEnumerable<CountedPayment>> Counted =
        EF.CompileAsyncQuery((SandboxDbContext db, string consentId, DateTime from) =>
            db.DomesticPayments.AsNoTracking()
                .Where(p => p.ConsentId == consentId && p.Kind == PaymentKind.Vrp && p.Status != PaymentStatus.Rejected && p.CreationDateTime >= from)
                .Select(p => new CountedPayment(p.CreationDateTime, p.AmountMinor)));
}
