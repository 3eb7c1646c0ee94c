using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Payments;

/// <summary>What the risk rules know of the payer's own history.</summary>
public sealed record RiskHistory(
    int DebitCount,
    double MeanDebitMinor,
    double StdDevDebitMinor,
    int PaymentsLast10Minutes,
    int PaymentsLastHour,
    bool KnownPayee,
    string? UsualCurrency);

public enum RiskDecision
{
    Accept,
    Review,
    Reject,
}

/// <summary>A payment's risk score (0–100), the rules that raised it, and what follows.</summary>
public sealed record RiskAssessment(int Score, IReadOnlyList<string> Reasons)
{
    public const int ReviewFrom = 40;
    public const int RejectFrom = 70;

    public RiskDecision Decision => Score >= RejectFrom ? RiskDecision.Reject : Score >= ReviewFrom ? RiskDecision.Review : RiskDecision.Accept;

    public string Describe() => $"Risk score {Score}/100 ({Decision}){(Reasons.Count > 0 ? ": " + string.Join("; ", Reasons) : string.Empty)}";
}

/// <summary>
/// The risk rules (docs/payments.md): each adds to the score; 40 or more holds the payment for review, 70 or more
/// rejects it. Pure, so each rule is tested on its own.
/// </summary>
public static class RiskRules
{
    public const long LargeAmountMinor = 2_500_000;
    public const long NoHistoryLimitMinor = 100_000;
    public const int MinimumHistory = 10;

    public static RiskAssessment Assess(long amountMinor, string currency, int localHour, RiskHistory history, Scenario scenario = Scenario.None, VelocityLimits? velocity = null)
    {
        velocity ??= new VelocityLimits();
        var score = 0;
        var reasons = new List<string>();
        void Add(int points, string reason)
        {
            score += points;
            reasons.Add($"{reason} (+{points})");
        }

        if (history.DebitCount >= MinimumHistory)
        {
            if (amountMinor > history.MeanDebitMinor + 4 * history.StdDevDebitMinor && amountMinor > 3 * history.MeanDebitMinor)
            {
                Add(35, $"AmountFarAboveUsual: {Money.Format(amountMinor)} against a usual {Money.Format((long)history.MeanDebitMinor)}");
            }
        }
        else if (amountMinor >= NoHistoryLimitMinor)
        {
            Add(25, "LargeAmountWithoutHistory");
        }

        if (amountMinor >= LargeAmountMinor)
        {
            Add(30, "VeryLargeAmount");
        }

        if (history.PaymentsLast10Minutes >= velocity.PerTenMinutes)
        {
            Add(25, $"Velocity: {history.PaymentsLast10Minutes} payments in 10 minutes");
        }

        if (history.PaymentsLastHour >= velocity.PerHour)
        {
            Add(20, $"Velocity: {history.PaymentsLastHour} payments in an hour");
        }

        if (!history.KnownPayee)
        {
            Add(15, "NewPayee");
        }

        if (localHour is >= 0 and < 6)
        {
            Add(10, "UnusualHour");
        }

        if (history.UsualCurrency is { } usual && usual != currency)
        {
            Add(10, $"CrossCurrency: usually {usual}");
        }

        // The documented triggers force an outcome whatever the history says.
        if (scenario == Scenario.RiskRejection && score < 95)
        {
            Add(95 - score, "ScenarioTrigger: risk rejection");
        }
        else if (scenario == Scenario.HeldForReview && score is < 55 or >= RiskAssessment.RejectFrom)
        {
            reasons.Add("ScenarioTrigger: held for review");
            score = 55;
        }

        return new RiskAssessment(Math.Min(score, 100), reasons);
    }
}

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

            if (!t.IsCredit && t.Status == TransactionStatus.Booked)
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

/// <summary>Per-account risk profiles shared by all requests (a singleton), each kept for ten minutes.</summary>
public sealed class RiskProfileCache
{
    private const int MaximumEntries = 50_000;
    private readonly ConcurrentDictionary<string, RiskProfile> _profiles = new(StringComparer.Ordinal);

    public async Task<RiskProfile> GetAsync(string accountId, DateTime now, Func<Task<RiskProfile>> load)
    {
        if (_profiles.TryGetValue(accountId, out var profile) && profile.ExpiresAt > now)
        {
            return profile;
        }

        if (_profiles.Count > MaximumEntries)
        {
            _profiles.Clear();
        }

        profile = await load();
        _profiles[accountId] = profile;
        return profile;
    }

    public void Remember(string accountId, string payee)
    {
        if (_profiles.TryGetValue(accountId, out var profile))
        {
            profile.KnownPayees.TryAdd(payee, true);
        }
    }
}

/// <summary>
/// Documented scenario triggers (docs/payments.md): an amount or a payee name that provokes an outcome on purpose,
/// like a card network's test numbers.
/// </summary>
public enum Scenario
{
    None,
    InsufficientFunds,
    RiskRejection,
    HeldForReview,
    SlowSettlement,
    SettlementFailure,
}

public static class Scenarios
{
    private static readonly Dictionary<string, Scenario> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Insufficient Funds Ltd"] = Scenario.InsufficientFunds,
        ["Risky Payee Ltd"] = Scenario.RiskRejection,
        ["Review Payee Ltd"] = Scenario.HeldForReview,
        ["Slow Payee Ltd"] = Scenario.SlowSettlement,
        ["Failing Payee Ltd"] = Scenario.SettlementFailure,
    };

    private static readonly Dictionary<long, Scenario> Amounts = new()
    {
        [991] = Scenario.InsufficientFunds,
        [992] = Scenario.RiskRejection,
        [993] = Scenario.HeldForReview,
        [994] = Scenario.SlowSettlement,
        [995] = Scenario.SettlementFailure,
    };

    /// <summary>The scenario an amount (9.91 to 9.95 in any currency) or a creditor name triggers.</summary>
    public static Scenario Match(long amountMinor, string creditorName)
        => Names.TryGetValue(creditorName.Trim(), out var byName) ? byName
            : Amounts.TryGetValue(amountMinor, out var byAmount) ? byAmount
            : Scenario.None;
}
