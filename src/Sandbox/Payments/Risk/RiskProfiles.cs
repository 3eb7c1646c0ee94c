using OpenBanking.Sandbox.Clock;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Payments;

/// <summary>
/// Reads the payer's statistics for the rules: debit amounts over 180 days, known payees and usual currency, and the
/// payments of the last hour (velocity) — loaded once per account for ten minutes, then kept current in process:
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
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var profile = await cache.GetAsync(debtor.Id, now, () => LoadAsync(debtor, now, ct));
        var (lastTenMinutes, lastHour, paidRecently) = profile.Velocity(now, creditorIdentification);
        return new RiskHistory(profile.DebitCount, profile.Mean, profile.StdDev, lastTenMinutes, lastHour,
            paidRecently || profile.KnownPayees.ContainsKey(creditorIdentification), profile.UsualCurrency);
    }

    /// <summary>A payment made (whatever its outcome) counts towards its payer's velocity; a payee paid is known from then on.</summary>
    public void Record(DomesticPayment payment) => cache.Record(payment);

    private async Task<RiskProfile> LoadAsync(Account debtor, DateTime now, CancellationToken ct)
    {
        // Once per account per ten minutes, five small queries: the amount statistics of the account's booked debits
        // (summed by the database), the payees it has paid or been paid by, its beneficiaries, the customer's main
        // currency, and this bank's payments from it (the payees of all, the times of the last hour's).
        var since = now.AddDays(-180);
        var transactions = db.Transactions.AsNoTracking().Where(t => t.AccountId == debtor.Id && t.BookingDateTime > since);
        var debits = await transactions.Where(t => !t.IsCredit && t.Status == TransactionStatus.Booked)
            .GroupBy(t => 1)
            .Select(g => new { Count = g.Count(), Sum = g.Sum(t => (double)t.AmountMinor), Squares = g.Sum(t => (double)t.AmountMinor * t.AmountMinor) })
            .SingleOrDefaultAsync(ct);
        var payees = new HashSet<string>(StringComparer.Ordinal);
        payees.UnionWith(await transactions.Where(t => t.CounterpartyIdentification != null).Select(t => t.CounterpartyIdentification!).Distinct().ToListAsync(ct));
        payees.UnionWith(await db.Beneficiaries.AsNoTracking().Where(b => b.AccountId == debtor.Id).Select(b => b.Identification).ToListAsync(ct));
        var usualCurrency = await db.Accounts.AsNoTracking().Where(a => a.CustomerId == debtor.CustomerId)
            .OrderByDescending(a => a.TransactionCount).Select(a => a.Currency).FirstOrDefaultAsync(ct);

        var hourAgo = now.AddHours(-1);
        var payments = await db.DomesticPayments.AsNoTracking().Where(p => p.DebtorAccountId == debtor.Id && (p.Debited || p.CreationDateTime > hourAgo))
            .Select(p => new { p.CreationDateTime, p.CreditorIdentification, p.Debited }).ToListAsync(ct);
        payees.UnionWith(payments.Where(p => p.Debited).Select(p => p.CreditorIdentification));

        var count = debits?.Count ?? 0;
        var mean = count == 0 ? 0 : debits!.Sum / count;
        var variance = count == 0 ? 0 : Math.Max(0, (debits!.Squares / count) - (mean * mean));
        return new RiskProfile(count, mean, Math.Sqrt(variance), payees, usualCurrency, now.AddMinutes(10),
            payments.Where(p => p.CreationDateTime > hourAgo).Select(p => new RecentPayment(p.CreationDateTime, p.CreditorIdentification)));
    }
}
