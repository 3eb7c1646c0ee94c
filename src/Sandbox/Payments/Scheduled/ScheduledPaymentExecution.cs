using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Payments.Pipeline;

namespace OpenBanking.Sandbox.Payments.Scheduled;

/// <summary>
/// Executes scheduled payments when the tenant's clock reaches their RequestedExecutionDateTime: each becomes a
/// <see cref="PaymentKind.Scheduled"/> DomesticPayments row (OrderId = the scheduled payment) debiting the payer by
/// the shared ledger posting and moving on through <see cref="PaymentSettlement"/>; the scheduled payment becomes
/// InitiationCompleted — or, without the funds, InitiationFailed with the row Rejected and nothing posted. Either way
/// it leaves AIS /scheduled-payments (an executed one is a transaction from then on). One transaction per payment;
/// its Version guards against a concurrent cancellation or a second worker.
/// </summary>
public sealed class ScheduledPaymentExecution(SandboxDbContext db, WriteTransaction transaction, PostToLedger ledger, ScheduleSettlement settlement)
    : IClockWork
{
    /// <summary>How many due payments one round takes (a round repeats until none is due).</summary>
    public const int BatchSize = 100;

    public async Task<DateTimeOffset?> NextDueAsync(Guid tenantId, DateTimeOffset until, CancellationToken ct)
    {
        var next = await Due(db, tenantId, until.UtcDateTime).MinAsync(p => (DateTime?)p.RequestedExecutionDateTime, ct);
        return next is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    public async Task<int> RunDueAsync(Guid tenantId, DateTimeOffset now, CancellationToken ct)
    {
        var limit = now.UtcDateTime;
        var total = 0;
        List<string> due;
        do
        {
            due = await Due(db, tenantId, limit)
                .OrderBy(p => p.RequestedExecutionDateTime).ThenBy(p => p.Id)
                .Select(p => p.Id).Take(BatchSize).ToListAsync(ct);
            foreach (var id in due)
            {
                total += await ExecuteAsync(id, limit, ct) ? 1 : 0;
            }
        }
        while (due.Count == BatchSize);
        return total;
    }

    public async Task<IReadOnlyList<ClockEvent>> PreviewAsync(Guid tenantId, DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken ct)
    {
        var end = until.UtcDateTime;
        var due = await Due(db, tenantId, end)
            .OrderBy(p => p.RequestedExecutionDateTime).Take(limit)
            .Join(db.DomesticScheduledPaymentConsents, p => p.ConsentId, c => c.Id,
                (p, c) => new { p.Id, p.RequestedExecutionDateTime, c.AmountMinor, c.Currency, c.CreditorName })
            .ToListAsync(ct);
        return due.OrderBy(p => p.RequestedExecutionDateTime)
            .Select(p => new ClockEvent(new DateTimeOffset(DateTime.SpecifyKind(p.RequestedExecutionDateTime, DateTimeKind.Utc)), "ScheduledPayment", p.Id,
                $"{Money.Display(p.AmountMinor, p.Currency)} to {p.CreditorName} (scheduled payment)"))
            .ToList();
    }

    /// <summary>
    /// The tenant's payments pending at or before <paramref name="until"/> (UTC): a range seek on the index
    /// (TenantId, Status, RequestedExecutionDateTime), so the clock's question is one indexed query however busy the tenant.
    /// </summary>
    public static IQueryable<DomesticScheduledPayment> Due(SandboxDbContext db, Guid tenantId, DateTime until)
        => db.DomesticScheduledPayments.AsNoTracking()
            .Where(p => p.TenantId == tenantId && p.Status == ScheduledPaymentStatus.InitiationPending && p.RequestedExecutionDateTime <= until);

    /// <summary>Executes one payment if it is still pending; whether it did.</summary>
    private async Task<bool> ExecuteAsync(string scheduledId, DateTime now, CancellationToken ct)
    {
        var executed = false;
        try
        {
            await transaction.RunAsync(async tx =>
            {
                executed = false;
                var scheduled = await tx.DomesticScheduledPayments
                    .SingleOrDefaultAsync(p => p.Id == scheduledId && p.Status == ScheduledPaymentStatus.InitiationPending, ct);
                if (scheduled is null)
                {
                    return;
                }

                var consent = await tx.DomesticScheduledPaymentConsents.AsNoTracking().SingleAsync(c => c.Id == scheduled.ConsentId, ct);
                var debtor = await tx.Accounts.AsNoTracking().SingleAsync(a => a.Id == scheduled.DebtorAccountId, ct);
                var creditor = await PaymentQueries.InternalCreditor(tx, consent.TenantId, consent.CreditorIdentification, consent.CreditorSchemeName, consent.Currency, ct);
                // The documented amount/payee triggers apply as to any payment (insufficient funds, slow or failed settlement);
                // the risk screen does not: nobody is submitting anything now, the customer authorised it in advance.
                var scenario = Scenarios.Match(consent.AmountMinor, consent.CreditorName) switch
                {
                    Scenario.RiskRejection or Scenario.HeldForReview => Scenario.None,
                    var applies => applies,
                };
                var stamp = Timestamps.WholeSeconds(now);
                var execution = new DomesticPayment
                {
                    Id = DomesticPayment.NewId(),
                    Kind = PaymentKind.Scheduled,
                    OrderId = scheduled.Id,
                    TenantId = scheduled.TenantId,
                    ClientId = scheduled.ClientId,
                    ConsentId = consent.Id,
                    CustomerId = scheduled.CustomerId,
                    DebtorAccountId = debtor.Id,
                    CreditorAccountId = creditor,
                    AmountMinor = consent.AmountMinor,
                    Currency = consent.Currency,
                    CreditorName = consent.CreditorName,
                    CreditorIdentification = consent.CreditorIdentification,
                    CreationDateTime = stamp,
                    StatusUpdateDateTime = stamp,
                    Status = PaymentStatus.Pending,
                    ApiVersion = scheduled.ApiVersion,
                    RiskReasons = string.Empty,
                    Scenario = scenario == Scenario.None ? null : scenario.ToString(),
                };
                await ledger.DebitAsync(tx, execution, debtor, consent.Reference, scenario, now, ct);
                settlement.Schedule(execution, now);
                tx.DomesticPayments.Add(execution);
                tx.PaymentStatusChanges.Add(new PaymentStatusChange
                {
                    PaymentId = execution.Id,
                    Status = execution.Status,
                    At = stamp,
                    Detail = execution.Debited ? "Executed at its requested time; accepted for settlement." : "Not executed: insufficient funds at its requested time.",
                });

                scheduled.Status = execution.Debited ? ScheduledPaymentStatus.InitiationCompleted : ScheduledPaymentStatus.InitiationFailed;
                scheduled.StatusReason = execution.Debited ? null : PaymentStatusReasons.InsufficientFunds;
                scheduled.ExecutionId = execution.Id;
                scheduled.StatusUpdateDateTime = stamp;
                if (await tx.ScheduledPayments.FindAsync([scheduled.Id], ct) is { } listed)
                {
                    tx.ScheduledPayments.Remove(listed);
                }

                await tx.SaveChangesAsync(ct);
                executed = true;
            }, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Cancelled (or executed by another worker) meanwhile: the debit was rolled back with this transaction.
            executed = false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        return executed;
    }
}
