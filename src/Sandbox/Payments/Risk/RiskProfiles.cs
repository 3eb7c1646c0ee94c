using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Payments;

/// <summary>
/// Reads the payer's statistics for the rules: debit amounts over 180 days, known payees and usual currency (cached
/// per account for ten minutes — they move slowly), and payment velocity (always live).
/// </summary>
public sealed class RiskProfiles(SandboxDbContext db, RiskProfileCache cache, TimeProvider clock)
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public int LocalHour() => TimeZoneInfo.ConvertTime(clock.GetUtcNow(), London).Hour;

    public async Task<RiskHistory> HistoryAsync(Account debtor, string creditorIdentification, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var profile = await cache.GetAsync(debtor.Id, now, () => LoadAsync(debtor, now, ct));
        var hourAgo = now.AddHours(-1);
        var recent = await db.DomesticPayments.AsNoTracking()
            .Where(p => p.DebtorAccountId == debtor.Id && p.CreationDateTime > hourAgo)
            .Select(p => new { p.CreationDateTime, p.CreditorIdentification })
            .ToListAsync(ct);
        var tenMinutesAgo = now.AddMinutes(-10);
        return new RiskHistory(profile.DebitCount, profile.Mean, profile.StdDev,
            recent.Count(p => p.CreationDateTime > tenMinutesAgo), recent.Count,
            profile.KnownPayees.ContainsKey(creditorIdentification) || recent.Any(p => p.CreditorIdentification == creditorIdentification),
            profile.UsualCurrency);
    }

    /// <summary>A payee paid once is known from then on.</summary>
    public void Remember(string debtorAccountId, string creditorIdentification) => cache.Remember(debtorAccountId, creditorIdentification);

    private async Task<RiskProfile> LoadAsync(Account debtor, DateTime now, CancellationToken ct)
    {
        // Four small queries, once per account per ten minutes: the account's recent history (for the amount
        // statistics and the payees it has paid or been paid by), its beneficiaries, and the customer's main currency.
        var since = now.AddDays(-180);
        var history = await db.Transactions.AsNoTracking()
            .Where(t => t.AccountId == debtor.Id && t.BookingDateTime > since)
            .Select(t => new { t.AmountMinor, t.IsCredit, t.Status, t.CounterpartyIdentification })
            .ToListAsync(ct);
        var payees = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        long count = 0;
        double sum = 0, sumSquares = 0;
        foreach (var t in history)
        {
            if (t.CounterpartyIdentification is { } payee)
            {
                payees.TryAdd(payee, true);
            }

            if (!t.IsCredit && t.Status == "Booked")
            {
                count++;
                sum += t.AmountMinor;
                sumSquares += (double)t.AmountMinor * t.AmountMinor;
            }
        }

        foreach (var beneficiary in await db.Beneficiaries.AsNoTracking().Where(b => b.AccountId == debtor.Id).Select(b => b.Identification).ToListAsync(ct))
        {
            payees.TryAdd(beneficiary, true);
        }

        var usualCurrency = await db.Accounts.AsNoTracking().Where(a => a.CustomerId == debtor.CustomerId)
            .OrderByDescending(a => a.TransactionCount).Select(a => a.Currency).FirstOrDefaultAsync(ct);

        // Payees of this bank's own payments: those older than the velocity window (which reads recent payments live)
        // are the account's payment history too.
        foreach (var paid in await db.DomesticPayments.AsNoTracking()
            .Where(p => p.DebtorAccountId == debtor.Id && p.Debited).Select(p => p.CreditorIdentification).Distinct().ToListAsync(ct))
        {
            payees.TryAdd(paid, true);
        }

        var mean = count == 0 ? 0 : sum / count;
        var variance = count == 0 ? 0 : Math.Max(0, (sumSquares / count) - (mean * mean));
        return new RiskProfile((int)count, mean, Math.Sqrt(variance), payees, usualCurrency, now.AddMinutes(10));
    }
}

public sealed record RiskProfile(int DebitCount, double Mean, double StdDev, ConcurrentDictionary<string, bool> KnownPayees, string? UsualCurrency, DateTime ExpiresAt);
