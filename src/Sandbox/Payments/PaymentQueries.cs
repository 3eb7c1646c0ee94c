using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Payments;

/// <summary>
/// The reads on a payment's request path, compiled once: EF Core otherwise walks each query's expression tree to find
/// its parameters and its cached plan on every call — a fifth of the request's CPU before these (docs/benchmarks.md).
/// </summary>
internal static class PaymentQueries
{
    public static readonly Func<SandboxDbContext, string, string, string, DateTime, CancellationToken, Task<IdempotencyRecord?>> LiveKey =
        EF.CompileAsyncQuery((SandboxDbContext db, string clientId, string operation, string key, DateTime cutoff, CancellationToken ct) =>
            db.IdempotencyRecords.AsNoTracking().SingleOrDefault(r => r.ClientId == clientId && r.Operation == operation && r.Key == key && r.CreatedAt > cutoff));

    public static readonly Func<SandboxDbContext, string, CancellationToken, Task<DomesticPayment?>> Payment =
        EF.CompileAsyncQuery((SandboxDbContext db, string id, CancellationToken ct) => db.DomesticPayments.AsNoTracking().SingleOrDefault(p => p.Id == id));

    public static readonly Func<SandboxDbContext, string, CancellationToken, Task<DomesticPaymentConsent?>> Consent =
        EF.CompileAsyncQuery((SandboxDbContext db, string id, CancellationToken ct) => db.DomesticPaymentConsents.AsNoTracking().SingleOrDefault(c => c.Id == id));

    public static readonly Func<SandboxDbContext, string, CancellationToken, Task<Account?>> Account =
        EF.CompileAsyncQuery((SandboxDbContext db, string id, CancellationToken ct) => db.Accounts.AsNoTracking().SingleOrDefault(a => a.Id == id));

    /// <summary>The payee's account when it is in the same tenant's bank (an internal transfer).</summary>
    public static readonly Func<SandboxDbContext, Guid, string, string, string, CancellationToken, Task<string?>> InternalCreditor =
        EF.CompileAsyncQuery((SandboxDbContext db, Guid tenantId, string identification, string scheme, string currency, CancellationToken ct) =>
            db.Accounts.AsNoTracking()
                .Where(a => a.TenantId == tenantId && a.Identification == identification && a.SchemeName == scheme && a.Currency == currency)
                .Select(a => a.Id).FirstOrDefault());
}
