using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Payments.Pipeline;

namespace OpenBanking.Sandbox.Payments.StandingOrders;

/// <summary>
/// Makes each standing order's payments as the tenant's clock reaches them: one
/// <see cref="PaymentKind.StandingOrder"/> <see cref="DomesticPayment"/> per instalment (its OrderId the order),
/// the payer debited into clearing in the same transaction, then settled like any payment (<see cref="PaymentSettlement"/>).
/// An instalment the account cannot cover is recorded Rejected (InsufficientFunds) and the order goes on to its next
/// one. Instalments are not screened for risk: the customer authorised the whole schedule and no partner request is
/// made when they fall due. The order's next due time is a column indexed with the tenant, so the clock's question is one seek.
/// </summary>
public sealed class StandingOrderExecution(SandboxDbContext db, WriteTransaction transaction, PostToLedger ledger, ScheduleSettlement settlement)
    : IClockWork
{
    private const int BatchSize = 200;

    public async Task<DateTimeOffset?> NextDueAsync(Guid tenantId, DateTimeOffset until, CancellationToken ct)
    {
        var limit = until.UtcDateTime;
        var next = await db.DomesticStandingOrders.AsNoTracking()
            .Where(o => o.TenantId == tenantId && o.NextDueAt != null && o.NextDueAt <= limit)
            .MinAsync(o => o.NextDueAt, ct);
        return next is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    /// <summary>Makes every instalment due by <paramref name="now"/>, earliest first (several of one order if it fell behind).</summary>
    public async Task<int> RunDueAsync(Guid tenantId, DateTimeOffset now, CancellationToken ct)
    {
        var total = 0;
        int made;
        do
        {
            made = await RunBatchAsync(tenantId, now.UtcDateTime, ct);
            total += made;
        }
        while (made > 0);
        return total;
    }

    public async Task<IReadOnlyList<ClockEvent>> PreviewAsync(Guid tenantId, DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken ct)
    {
        var end = until.UtcDateTime;
        var orders = await db.DomesticStandingOrders.AsNoTracking()
            .Where(o => o.TenantId == tenantId && o.NextDueAt != null && o.NextDueAt <= end)
            .OrderBy(o => o.NextDueAt).Take(limit)
            .Join(db.DomesticStandingOrderConsents.AsNoTracking(), o => o.ConsentId, c => c.Id, (o, c) => new { o.Id, o.PaymentsMade, Consent = c })
            .ToListAsync(ct);
        return orders
            .SelectMany(o => o.Consent.Schedule().Instalments().Skip(o.PaymentsMade).TakeWhile(i => i.DueAt <= until).Take(limit)
                .Select(i => new ClockEvent(i.DueAt, "StandingOrderPayment", o.Id,
                    $"{Money.Display(i.AmountMinor, o.Consent.Currency)} to {o.Consent.CreditorName} (standing order, payment {i.Number + 1})")))
            .OrderBy(e => e.At).Take(limit).ToList();
    }

    private async Task<int> RunBatchAsync(Guid tenantId, DateTime now, CancellationToken ct)
    {
        // Most clock steps are another work's (settlement): one index seek, no transaction, when nothing is due here.
        if (!await db.DomesticStandingOrders.AsNoTracking().AnyAsync(o => o.TenantId == tenantId && o.NextDueAt != null && o.NextDueAt <= now, ct))
        {
            return 0;
        }

        var made = 0;
        try
        {
            await transaction.RunAsync(async tx =>
            {
                made = 0;
                var due = await tx.DomesticStandingOrders
                    .Where(o => o.TenantId == tenantId && o.NextDueAt != null && o.NextDueAt <= now)
                    .OrderBy(o => o.NextDueAt).ThenBy(o => o.Id).Take(BatchSize)
                    .ToListAsync(ct);
                if (due.Count == 0)
                {
                    return;
                }

                var consentIds = due.Select(o => o.ConsentId).ToList();
                var consents = await tx.DomesticStandingOrderConsents.AsNoTracking().Where(c => consentIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
                foreach (var order in due)
                {
                    var consent = consents[order.ConsentId];
                    var schedule = consent.Schedule();
                    var instalment = schedule.Instalment(order.PaymentsMade);
                    if (instalment is null)
                    {
                        order.SetNext(null);
                        continue;
                    }

                    // The account is read in the transaction (a previous instalment of this batch may have moved its balance).
                    var debtor = await tx.Accounts.AsNoTracking().SingleAsync(a => a.Id == order.DebtorAccountId, ct);
                    var payment = Payment(order, consent, instalment, now);
                    // The documented payee and amount triggers that are about money (funds, settlement) apply here too;
                    // the risk screen's ones do not, as instalments are not screened.
                    var scenario = Scenarios.Match(instalment.AmountMinor, consent.CreditorName);
                    scenario = scenario is Scenario.InsufficientFunds or Scenario.SlowSettlement or Scenario.SettlementFailure ? scenario : Scenario.None;
                    payment.Scenario = scenario == Scenario.None ? null : scenario.ToString();
                    await ledger.DebitAsync(tx, payment, debtor, consent.Reference, scenario, now, ct);
                    settlement.Schedule(payment, now);
                    tx.DomesticPayments.Add(payment);
                    tx.PaymentStatusChanges.Add(new PaymentStatusChange
                    {
                        PaymentId = payment.Id,
                        Status = payment.Status,
                        At = payment.StatusUpdateDateTime,
                        Detail = payment.Debited
                            ? $"Standing order payment {instalment.Number + 1}: accepted for settlement."
                            : $"Standing order payment {instalment.Number + 1}: rejected, insufficient funds; the order continues.",
                    });
                    order.Advance(instalment, schedule.Instalment(instalment.Number + 1));
                    // Its save is only a payment count and due time: the interceptor records no status change for it.
                    made++;
                }

                await tx.SaveChangesAsync(ct);
            }, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another worker (the background clock worker) made these meanwhile; nothing was posted twice.
            db.ChangeTracker.Clear();
            return 0;
        }

        db.ChangeTracker.Clear();
        return made;
    }

    private static DomesticPayment Payment(DomesticStandingOrder order, DomesticStandingOrderConsent consent, Instalment instalment, DateTime now) => new()
    {
        Id = DomesticPayment.NewId(),
        Kind = PaymentKind.StandingOrder,
        OrderId = order.Id,
        TenantId = order.TenantId,
        ClientId = order.ClientId,
        ConsentId = order.ConsentId,
        CustomerId = order.CustomerId,
        DebtorAccountId = order.DebtorAccountId,
        CreditorAccountId = order.CreditorAccountId,
        AmountMinor = instalment.AmountMinor,
        Currency = consent.Currency,
        CreditorName = consent.CreditorName,
        CreditorIdentification = consent.CreditorIdentification,
        CreationDateTime = Timestamps.WholeSeconds(now),
        StatusUpdateDateTime = Timestamps.WholeSeconds(now),
        Status = PaymentStatus.Pending,
        ApiVersion = order.ApiVersion,
        RiskReasons = string.Empty,
    };
}
