using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Ledger;

namespace OpenBanking.Sandbox.Payments;

/// <summary>
/// Moves accepted payments along their lifecycle as time passes: Pending → AcceptedSettlementInProcess →
/// AcceptedSettlementCompleted (the payee credited, in this bank, or the settlement account for another bank) — or
/// Rejected with the payer's money returned by a reversing posting when settlement fails. One transaction per batch;
/// each payment's version guards against a second worker moving it twice.
/// </summary>
public sealed class PaymentSettlement(
    SandboxDbContext db, WriteTransaction transaction, TenantClocks clocks, IOptions<PaymentOptions> options, International.InternationalLedger? international = null)
    : IClockWork
{
    /// <summary>Forgets idempotency keys older than 24 hours (real time: keys are a transport matter, not the bank's).</summary>
    public Task<int> PurgeExpiredKeysAsync(CancellationToken ct) => Idempotency.PurgeAllExpiredAsync(db, clocks.RealTime.GetUtcNow().UtcDateTime, ct);

    /// <summary>
    /// Moves every payment that is due by its tenant's clock: the tenants on real time in one round, then each tenant
    /// whose clock runs shifted (a frozen clock moves only when the partner advances it). The number moved.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var shifted = await clocks.MovedAsync(ct);
        var moved = await RunOnceAsync(new SettlementScope(null, shifted.Select(s => s.TenantId).ToList()), clocks.RealTime.GetUtcNow().UtcDateTime, ct);
        foreach (var tenant in shifted.Where(s => !s.Frozen))
        {
            moved += await RunOnceAsync(SettlementScope.Tenant(tenant.TenantId), clocks.Now(tenant.TenantId).UtcDateTime, ct);
        }

        return moved;
    }

    public async Task<DateTimeOffset?> NextDueAsync(Guid tenantId, DateTimeOffset until, CancellationToken ct)
    {
        var limit = until.UtcDateTime;
        var next = await db.DomesticPayments.AsNoTracking()
            .Where(p => p.TenantId == tenantId && p.NextActionAt != null && p.NextActionAt <= limit)
            .MinAsync(p => p.NextActionAt, ct);
        return next is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    /// <summary>Settlement catches up (see <see cref="IClockWork.CatchesUp"/>).</summary>
    public bool CatchesUp => true;

    /// <summary>
    /// Every step of the tenant's payments that fell due by <paramref name="now"/>, instant by instant, each dated when
    /// it fell due (a payment sent for settlement at 09:00:02 and settled at 09:00:05 says so, however late the clock
    /// reached here).
    /// </summary>
    public async Task<int> RunDueAsync(Guid tenantId, DateTimeOffset now, CancellationToken ct)
    {
        var total = 0;
        while (await NextDueAsync(tenantId, now, ct) is { } due)
        {
            var moved = await RunOnceAsync(SettlementScope.Tenant(tenantId), due.UtcDateTime, ct);
            total += moved;
            if (moved == 0)
            {
                break;
            }
        }

        return total;
    }

    public async Task<IReadOnlyList<ClockEvent>> PreviewAsync(Guid tenantId, DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken ct)
    {
        var end = until.UtcDateTime;
        var due = await db.DomesticPayments.AsNoTracking()
            .Where(p => p.TenantId == tenantId && p.NextActionAt != null && p.NextActionAt <= end)
            .OrderBy(p => p.NextActionAt).Take(limit)
            .Select(p => new { p.Id, p.Status, p.NextActionAt, p.AmountMinor, p.Currency, p.CreditorName })
            .ToListAsync(ct);
        return due.Select(p => new ClockEvent(new DateTimeOffset(DateTime.SpecifyKind(p.NextActionAt!.Value, DateTimeKind.Utc)), "Settlement", p.Id,
            $"{(p.Status == PaymentStatus.Pending ? "Sent for settlement" : "Settles")}: {Money.Display(p.AmountMinor, p.Currency)} to {p.CreditorName}")).ToList();
    }

    /// <summary>Moves every payment of <paramref name="scope"/> due by <paramref name="now"/> (their tenants' time); the number moved.</summary>
    public async Task<int> RunOnceAsync(SettlementScope scope, DateTime now, CancellationToken ct)
    {
        var payments = Scoped(db.DomesticPayments.AsNoTracking(), scope);
        var anyDue = await payments.AnyAsync(p => p.NextActionAt != null && p.NextActionAt <= now, ct);
        if (!anyDue)
        {
            return 0;
        }

        var moved = 0;
        try
        {
            await transaction.RunAsync(async tx =>
            {
                // Pending → AcceptedSettlementInProcess touches nothing but the payment: all due at once, as SQL.
                var stamp = Timestamps.WholeSeconds(now);
                var sent = await SettlementStatements.SendForSettlementAsync(tx, scope, now, stamp, now + options.Value.SettleAfter,
                    now + (options.Value.SettleAfter * options.Value.SlowFactor), options.Value.BatchSize, ct);
                tx.PaymentStatusChanges.AddRange(sent.Select(p => new PaymentStatusChange
                {
                    PaymentId = p.Id,
                    Status = PaymentStatus.AcceptedSettlementInProcess,
                    At = stamp,
                    Detail = p.Scenario == nameof(Scenario.SlowSettlement) ? "Sent for settlement (slow settlement scenario)." : "Sent for settlement.",
                }));

                // Completion moves money: one by one, read inside the transaction, so what is moved is what is current.
                var due = await Scoped(tx.DomesticPayments, scope)
                    .Where(p => p.Status == PaymentStatus.AcceptedSettlementInProcess && p.NextActionAt != null && p.NextActionAt <= now)
                    .OrderBy(p => p.NextActionAt)
                    .Take(options.Value.BatchSize)
                    .ToListAsync(ct);
                var accountIds = due.Select(p => p.DebtorAccountId).Concat(due.Where(p => p.CreditorAccountId != null).Select(p => p.CreditorAccountId!)).Distinct().ToList();
                var accounts = await tx.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
                var ledger = new LedgerStore(tx);
                // A payment abroad settles what is sent in the transfer currency, and is reversed from its own postings.
                var internationalIds = due.Where(p => p.Kind == PaymentKind.International).Select(p => p.Id).ToList();
                var transfers = internationalIds.Count == 0
                    ? []
                    : await tx.InternationalTransfers.AsNoTracking().Where(t => internationalIds.Contains(t.PaymentId)).ToDictionaryAsync(t => t.PaymentId, ct);
                foreach (var payment in due)
                {
                    var detail = Advance(payment, now);
                    if (transfers.TryGetValue(payment.Id, out var transfer))
                    {
                        await SettleInternationalAsync(tx, ledger, payment, transfer, accounts, now, ct);
                    }
                    else if (payment.Status == PaymentStatus.AcceptedSettlementCompleted)
                    {
                        ledger.Add(Posting.PaymentSettlement(payment.Id, payment.CreditorAccountId, payment.Currency, payment.AmountMinor), payment.TenantId, payment.Id, now);
                        if (payment.CreditorAccountId is { } creditorId && accounts.TryGetValue(creditorId, out var creditor))
                        {
                            var balance = await ledger.CreditAsync(creditorId, payment.AmountMinor, ct);
                            var debtor = accounts[payment.DebtorAccountId];
                            tx.Transactions.Add(PaymentTransactions.For(creditor, payment.Id + "-in", credit: true, payment.AmountMinor, balance,
                                Timestamps.WholeSeconds(now), null, $"Payment from {debtor.Name}", debtor.Name, debtor.SchemeName, debtor.Identification));
                        }
                    }
                    else if (payment.Status == PaymentStatus.Rejected && payment.Debited)
                    {
                        // Settlement failed: the debit is reversed by opposite lines, never edited.
                        ledger.Add(Posting.PaymentDebit(payment.Id, payment.DebtorAccountId, payment.Currency, payment.AmountMinor).Reversal(),
                            payment.TenantId, payment.Id, now);
                        var debtor = accounts[payment.DebtorAccountId];
                        var balance = await ledger.CreditAsync(debtor.Id, payment.AmountMinor, ct);
                        tx.Transactions.Add(PaymentTransactions.For(debtor, payment.Id + "-return", credit: true, payment.AmountMinor, balance,
                            Timestamps.WholeSeconds(now), null, $"Returned payment to {payment.CreditorName}", payment.CreditorName, null, payment.CreditorIdentification));
                    }

                    tx.PaymentStatusChanges.Add(new PaymentStatusChange { PaymentId = payment.Id, Status = payment.Status, At = payment.StatusUpdateDateTime, Detail = detail });
                }

                await tx.SaveChangesAsync(ct);
                moved = sent.Count + due.Count;
            }, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another worker moved some of these meanwhile; the rest are picked up on the next round.
            db.ChangeTracker.Clear();
            return 0;
        }

        db.ChangeTracker.Clear();
        return moved;
    }

    private async Task SettleInternationalAsync(SandboxDbContext tx, LedgerStore ledger, DomesticPayment payment, International.InternationalTransfer transfer,
        Dictionary<string, Account> accounts, DateTime now, CancellationToken ct)
    {
        var debtor = accounts[payment.DebtorAccountId];
        if (payment.Status == PaymentStatus.AcceptedSettlementCompleted)
        {
            ledger.Add(International.InternationalLedger.Settlement(payment, transfer), payment.TenantId, payment.Id, now);
            if (payment.CreditorAccountId is { } creditorId && accounts.TryGetValue(creditorId, out var creditor))
            {
                var credited = await ledger.CreditAsync(creditorId, transfer.SentMinor, ct);
                tx.Transactions.Add(PaymentTransactions.For(creditor, payment.Id + "-in", credit: true, transfer.SentMinor, credited,
                    Timestamps.WholeSeconds(now), null, $"Payment from {debtor.Name}", debtor.Name, debtor.SchemeName, debtor.Identification));
            }
        }
        else if (payment.Status == PaymentStatus.Rejected && payment.Debited)
        {
            // The debit and the conversion are undone from the lines written then (the rate then, not today's).
            await (international ?? throw new InvalidOperationException("International payments are not registered.")).ReverseAsync(tx, payment, transfer, now, ct);
            var balance = await ledger.CreditAsync(debtor.Id, payment.AmountMinor, ct);
            tx.Transactions.Add(PaymentTransactions.For(debtor, payment.Id + "-return", credit: true, payment.AmountMinor, balance,
                Timestamps.WholeSeconds(now), null, $"Returned payment to {payment.CreditorName}", payment.CreditorName, null, payment.CreditorIdentification));
        }
    }

    private static IQueryable<DomesticPayment> Scoped(IQueryable<DomesticPayment> payments, SettlementScope scope)
    {
        if (scope.TenantId is { } only)
        {
            return payments.Where(p => p.TenantId == only);
        }

        var except = scope.Except;
        return except.Count == 0 ? payments : payments.Where(p => !except.Contains(p.TenantId));
    }

    /// <summary>AcceptedSettlementInProcess → AcceptedSettlementCompleted, or Rejected in the settlement failure scenario.</summary>
    private static string Advance(DomesticPayment payment, DateTime now)
    {
        payment.StatusUpdateDateTime = Timestamps.WholeSeconds(now);
        payment.NextActionAt = null;
        if (payment.Scenario == nameof(Scenario.SettlementFailure))
        {
            payment.Status = PaymentStatus.Rejected;
            payment.StatusReason = PaymentStatusReasons.SettlementFailed;
            return "Settlement failed (settlement failure scenario); the amount was returned to the payer's account.";
        }

        payment.Status = PaymentStatus.AcceptedSettlementCompleted;
        return payment.CreditorAccountId is null ? "Settled to the payee's bank." : "Settled: the payee's account in this bank was credited.";
    }
}

/// <summary>Runs <see cref="PaymentSettlement"/> every poll interval while the service runs.</summary>
internal sealed partial class PaymentSettlementWorker(IServiceScopeFactory scopes, IOptions<PaymentOptions> options, ILogger<PaymentSettlementWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WorkerEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.PollInterval);
        var lastPurge = DateTime.MinValue;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (DateTime.UtcNow - lastPurge > TimeSpan.FromMinutes(10))
                {
                    await using var purgeScope = scopes.CreateAsyncScope();
                    await purgeScope.ServiceProvider.GetRequiredService<PaymentSettlement>().PurgeExpiredKeysAsync(stoppingToken);
                    lastPurge = DateTime.UtcNow;
                }

                int moved;
                do
                {
                    await using var scope = scopes.CreateAsyncScope();
                    moved = await scope.ServiceProvider.GetRequiredService<PaymentSettlement>().RunOnceAsync(stoppingToken);
                }
                while (moved >= options.Value.BatchSize && !stoppingToken.IsCancellationRequested);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The payment settlement round failed; it is retried on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
