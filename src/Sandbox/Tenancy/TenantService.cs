using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Tenancy;

/// <summary>
/// The lifecycle of a tenant — one partner organisation's private bank: created with its generated data on first
/// use, and reset to exactly that initial state on request.
/// </summary>
public sealed partial class TenantService(
    SandboxDbContext db,
    TimeProvider clock,
    TenantClocks clocks,
    IOptions<GeneratorOptions> generatorOptions,
    ILogger<TenantService> logger)
{
    public async Task<Tenant> GetOrCreateAsync(string organisationId, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(organisationId, cancellationToken);
        if (tenant is not null)
        {
            return tenant;
        }

        tenant = new Tenant
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = organisationId,
            Seed = Tenant.SeedFor(organisationId),
            CreatedAt = Timestamps.WholeSeconds(clock.GetUtcNow()),
        };

        try
        {
            // An execution strategy wraps the transaction so SQL Server's retry-on-failure can replay it whole.
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                db.Tenants.Add(tenant);
                await db.SaveChangesAsync(cancellationToken);
                await WriteBankAsync(tenant, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            });
            return tenant;
        }
        catch (DbUpdateException)
        {
            // Another request created it first (OrganisationId is unique): use theirs.
            db.ChangeTracker.Clear();
            return await FindAsync(organisationId, cancellationToken)
                ?? throw new InvalidOperationException($"Tenant of {organisationId} could be neither created nor found.");
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public Task<Tenant?> FindAsync(string organisationId, CancellationToken cancellationToken)
        => db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.OrganisationId == organisationId, cancellationToken);

    /// <summary>
    /// Throws away everything the tenant's apps and customers did — consents and their histories included — and
    /// regenerates the bank exactly as it was first made, with the partner's own test customers made again from their definitions.
    /// </summary>
    public async Task<Tenant?> ResetAsync(string organisationId, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(organisationId, cancellationToken);
        if (tenant is null)
        {
            return null;
        }

        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // The TOTP steps already used survive the reset (the secrets do too): a code seen before it stays spent.
            var usedSteps = await db.Customers.AsNoTracking().Where(c => c.TenantId == tenant.Id && c.LastTotpStep != null)
                .Select(c => new { c.Username, c.LastTotpStep }).ToListAsync(cancellationToken);
            await db.AccountAccessConsents.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            // A reset regenerates the whole bank, ledger included (the one place entries are removed, with the bank itself).
            var payments = db.DomesticPayments.Where(p => p.TenantId == tenant.Id).Select(p => p.Id);
            var paymentConsents = db.DomesticPaymentConsents.Where(c => c.TenantId == tenant.Id).Select(c => c.Id);
            await db.IdempotencyRecords.Where(r => payments.Contains(r.ResourceId) || paymentConsents.Contains(r.ResourceId)).ExecuteDeleteAsync(cancellationToken);
            // VRP: the consents' idempotency keys, the payments' instructions and the consents (the payments go with the others).
            var vrpConsents = db.DomesticVrpConsents.Where(c => c.TenantId == tenant.Id).Select(c => c.Id);
            await db.IdempotencyRecords.Where(r => vrpConsents.Contains(r.ResourceId)).ExecuteDeleteAsync(cancellationToken);
            await db.DomesticVrpInstructions.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.DomesticVrpConsents.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            // International payments (issue 18): the consents' keys, the transfers (the payments go with the others), the
            // consents, and the FX contracts booked against this bank.
            var internationalConsents = db.InternationalPaymentConsents.Where(c => c.TenantId == tenant.Id).Select(c => c.Id);
            var fxContracts = db.FxContracts.Where(c => c.TenantId == tenant.Id).Select(c => c.Id);
            await db.IdempotencyRecords.Where(r => internationalConsents.Contains(r.ResourceId) || fxContracts.Contains(r.ResourceId)).ExecuteDeleteAsync(cancellationToken);
            await db.InternationalTransfers.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.InternationalPaymentConsents.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.FxContracts.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.PaymentStatusChanges.Where(x => payments.Contains(x.PaymentId)).ExecuteDeleteAsync(cancellationToken);
            await db.DomesticPayments.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.DomesticPaymentConsents.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            var scheduled = db.DomesticScheduledPayments.Where(p => p.TenantId == tenant.Id).Select(p => p.Id)
                .Concat(db.DomesticScheduledPaymentConsents.Where(c => c.TenantId == tenant.Id).Select(c => c.Id));
            await db.IdempotencyRecords.Where(r => scheduled.Contains(r.ResourceId)).ExecuteDeleteAsync(cancellationToken);
            await db.DomesticScheduledPayments.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.DomesticScheduledPaymentConsents.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            // Standing orders (issue 16): their payments went with DomesticPayments above; their keys name the order or consent.
            var standingOrders = db.DomesticStandingOrders.Where(o => o.TenantId == tenant.Id).Select(o => o.Id);
            var standingOrderConsents = db.DomesticStandingOrderConsents.Where(c => c.TenantId == tenant.Id).Select(c => c.Id);
            await db.IdempotencyRecords.Where(r => standingOrders.Contains(r.ResourceId) || standingOrderConsents.Contains(r.ResourceId)).ExecuteDeleteAsync(cancellationToken);
            await db.DomesticStandingOrders.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.DomesticStandingOrderConsents.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.FundsConfirmations.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.FundsConfirmationConsents.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            // Event notifications are about resources that are gone now: their log and pending pushes go too, and
            // changes not yet dispatched are never notified. The app's subscription (its configuration) stays.
            await db.EventDeliveryAttempts.Where(a => db.EventNotifications.Any(n => n.Id == a.NotificationId && n.TenantId == tenant.Id)).ExecuteDeleteAsync(cancellationToken);
            await db.EventNotifications.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            var dispatchedAt = clock.GetUtcNow().UtcDateTime;
            await db.OutboxMessages.Where(x => x.TenantId == tenant.Id && x.DispatchedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.DispatchedAt, dispatchedAt), cancellationToken);
            await db.LedgerEntries.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.Transactions.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.Beneficiaries.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.DirectDebits.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.StandingOrders.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.ScheduledPayments.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.Statements.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.Offers.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.Accounts.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.ConsentStatusChanges.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await db.Customers.Where(x => x.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
            await WriteBankAsync(tenant, cancellationToken);
            // Partners' own test customers survive: made again from their definitions, as they were first made.
            await Customers.Custom.CustomCustomers.ReplayAsync(db, tenant, logger, cancellationToken);
            foreach (var used in usedSteps)
            {
                await db.Customers.Where(c => c.TenantId == tenant.Id && c.Username == used.Username)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastTotpStep, used.LastTotpStep), cancellationToken);
            }

            await db.Tenants.Where(t => t.Id == tenant.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastResetAt, clock.GetUtcNow())
                    .SetProperty(t => t.ClockOffset, TimeSpan.Zero).SetProperty(t => t.ClockFrozenAt, (DateTimeOffset?)null), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        // The bank starts again on real time.
        clocks.Forget(tenant.Id);
        db.ChangeTracker.Clear();
        return tenant;
    }

    private async Task WriteBankAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var bank = new BankGenerator(generatorOptions.Value).Generate(tenant);
        var generated = stopwatch.ElapsedMilliseconds;
        await BankWriter.WriteAsync(db, bank, cancellationToken);
        LogGenerated(logger, tenant.OrganisationId, bank.Customers.Count, bank.Accounts.Count, bank.Transactions.Count, generated, stopwatch.ElapsedMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Generated the sandbox bank of organisation {OrganisationId}: {Customers} customers, {Accounts} accounts, {Transactions} transactions in {GenerateMs} ms ({TotalMs} ms written)")]
    private static partial void LogGenerated(ILogger logger, string organisationId, int customers, int accounts, int transactions, long generateMs, long totalMs);
}
