using OpenBanking.Sandbox.Clock;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Payments;

/// <summary>
/// Reads the payer's statistics for the rules: debit amounts over 180 days, known payees and usual currency, and the
/// payments of the last day (velocity) and credits of the last day — loaded once per account for ten minutes, then kept current in process:
/// every payment this service makes is added to its payer's profile when it commits (<see cref="Record"/>).
/// </summary>
/// <remarks>
/// The payments of this process are all the payments there are with SQLite (one writer process). With SQL Server
/// and several instances, another instance's payments reach a profile when it is next loaded (at most ten minutes
/// later); each instance still sees all of its own, so a burst through one instance is caught at once.
/// </remarks>
public sealed class RiskProfiles(SandboxDbContext db, RiskProfileCache cache, TenantClock clock)
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public int LocalHour() => TimeZoneInfo.ConvertTime(clock.GetUtcNow(), London).Hour;

    public async Task<RiskHistory> HistoryAsync(Account debtor, string creditorIdentification, CancellationToken ct)
        => (await SnapshotAsync(debtor, creditorIdentification, null, ct)).Rules;

    /// <summary>
    /// What the rules and the fraud model know of the payer (<see cref="Fraud.FraudHistory"/>), from the cached profile:
    /// no query per payment except, once per in-bank payee account, its opening date.
    /// </summary>
    public async Task<(RiskHistory Rules, Fraud.FraudHistory Fraud)> SnapshotAsync(Account debtor, string creditorIdentification, string? creditorAccountId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var profile = await cache.GetAsync(debtor.Id, now, () => LoadAsync(debtor, now, ct));
        var (lastTenMinutes, lastHour, lastDay, paidLastHour, paidFirst) = profile.Velocity(now, creditorIdentification);
        var known = profile.KnownPayees.TryGetValue(creditorIdentification, out var seen);
        DateTime? firstSeen = known ? seen : paidFirst;
        if (paidFirst is { } paid && firstSeen > paid)
        {
            firstSeen = paid;
        }

        var rules = new RiskHistory(profile.DebitCount, profile.Mean, profile.StdDev, lastTenMinutes, lastHour, known || paidLastHour, profile.UsualCurrency);
        var opened = creditorAccountId is null ? null
            : await cache.AccountOpenedAsync(creditorAccountId, async () => await db.Accounts.AsNoTracking().Where(a => a.Id == creditorAccountId)
                .Select(a => (DateTime?)a.OpeningDate).FirstOrDefaultAsync(ct));
        var (credits, creditsMinor) = profile.CreditsLastDay(now);
        var fraud = new Fraud.FraudHistory(profile.DebitCount, profile.Mean, profile.StdDev,
            debtor.BookedBalanceMinor + debtor.CreditLimitMinor, firstSeen, opened, lastHour, lastDay, credits, creditsMinor, profile.UsualCurrency);
        return (rules, fraud);
    }

    /// <summary>A payment made (whatever its outcome) counts towards its payer's velocity; a payee paid is known from then on.</summary>
    public void Record(DomesticPayment payment) => cache.Record(payment);

    private async Task<RiskProfile> LoadAsync(Account debtor, DateTime now, CancellationToken ct)
    {
        // Once per account per ten minutes, six small queries: the amount statistics of the account's booked debits
        // (summed by the database), the payees it has paid or been paid by (and when first), its
        // beneficiaries, the customer's main currency, its credits of the last day, and this bank's payments from it
        // (the payees of all, the times of the last day's).
        var since = now.AddDays(-180);
        var transactions = db.Transactions.AsNoTracking().Where(t => t.AccountId == debtor.Id && t.BookingDateTime > since);
        var debits = await transactions.Where(t => !t.IsCredit && t.Status == TransactionStatus.Booked)
            .GroupBy(t => 1)
            .Select(g => new { Count = g.Count(), Sum = g.Sum(t => (double)t.AmountMinor), Squares = g.Sum(t => (double)t.AmountMinor * t.AmountMinor) })
            .SingleOrDefaultAsync(ct);
        var payees = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        void See(string payee, DateTime at)
        {
            if (!payees.TryGetValue(payee, out var first) || at < first)
            {
                payees[payee] = at;
            }
        }

        foreach (var counterparty in await transactions.Where(t => t.CounterpartyIdentification != null)
                     .GroupBy(t => t.CounterpartyIdentification!).Select(g => new { g.Key, First = g.Min(t => t.BookingDateTime) }).ToListAsync(ct))
        {
            See(counterparty.Key, counterparty.First);
        }

        // A beneficiary has no date it was added: it counts as known for as long as the bank can say.
        foreach (var beneficiary in await db.Beneficiaries.AsNoTracking().Where(b => b.AccountId == debtor.Id).Select(b => b.Identification).ToListAsync(ct))
        {
            See(beneficiary, DateTime.MinValue);
        }

        var usualCurrency = await db.Accounts.AsNoTracking().Where(a => a.CustomerId == debtor.CustomerId)
            .OrderByDescending(a => a.TransactionCount).Select(a => a.Currency).FirstOrDefaultAsync(ct);

        var dayAgo = now.AddDays(-1);
        var credits = await transactions.Where(t => t.IsCredit && t.BookingDateTime > dayAgo).Select(t => new { t.BookingDateTime, t.AmountMinor }).ToListAsync(ct);
        var payments = await db.DomesticPayments.AsNoTracking().Where(p => p.DebtorAccountId == debtor.Id && (p.Debited || p.CreationDateTime > dayAgo))
            .Select(p => new { p.CreationDateTime, p.CreditorIdentification, p.Debited }).ToListAsync(ct);
        foreach (var payment in payments.Where(p => p.Debited))
        {
            See(payment.CreditorIdentification, payment.CreationDateTime);
        }

        var count = debits?.Count ?? 0;
        var mean = count == 0 ? 0 : debits!.Sum / count;
        var variance = count == 0 ? 0 : Math.Max(0, (debits!.Squares / count) - (mean * mean));
        return new RiskProfile(count, mean, Math.Sqrt(variance), payees, usualCurrency, now.AddMinutes(10),
            payments.Where(p => p.CreationDateTime > dayAgo).Select(p => new RecentPayment(p.CreationDateTime, p.CreditorIdentification)),
            credits.Select(c => new RecentCredit(c.BookingDateTime, c.AmountMinor)));
    }
}
