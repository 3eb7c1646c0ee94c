using System.Collections.Concurrent;

namespace OpenBanking.Sandbox.Payments;

/// <summary>A payment in the velocity window: when, and to whom.</summary>
public readonly record struct RecentPayment(DateTime At, string CreditorIdentification);

/// <summary>A credit to the account in the last day (the fraud model's mule signal): when, and how much.</summary>
public readonly record struct RecentCredit(DateTime At, long AmountMinor);

/// <summary>
/// One account's risk statistics, and its payments of the last day (added to as payments are made). Payees map to
/// when they were first seen (paid, paid by, or added as a beneficiary — <see cref="DateTime.MinValue"/> when not known).
/// </summary>
public sealed class RiskProfile(int debitCount, double mean, double stdDev, IEnumerable<KeyValuePair<string, DateTime>> knownPayees, string? usualCurrency,
    DateTime expiresAt, IEnumerable<RecentPayment> recent, IEnumerable<RecentCredit>? credits = null)
{
    private readonly List<RecentPayment> _recent = [.. recent];
    private readonly List<RecentCredit> _credits = [.. credits ?? []];

    public int DebitCount { get; } = debitCount;
    public double Mean { get; } = mean;
    public double StdDev { get; } = stdDev;
    public ConcurrentDictionary<string, DateTime> KnownPayees { get; } = new(knownPayees, StringComparer.Ordinal);
    public string? UsualCurrency { get; } = usualCurrency;
    public DateTime ExpiresAt { get; } = expiresAt;

    /// <summary>Payments in the last ten minutes, hour and day, and whether one of the last hour paid this payee, and when one of the day first did.</summary>
    public (int LastTenMinutes, int LastHour, int LastDay, bool PaidLastHour, DateTime? PaidFirst) Velocity(DateTime now, string creditorIdentification)
    {
        var dayAgo = now.AddDays(-1);
        var hourAgo = now.AddHours(-1);
        var tenMinutesAgo = now.AddMinutes(-10);
        lock (_recent)
        {
            _recent.RemoveAll(p => p.At <= dayAgo);
            DateTime? first = null;
            int lastHour = 0, lastTen = 0;
            var paidLastHour = false;
            foreach (var p in _recent)
            {
                lastHour += p.At > hourAgo ? 1 : 0;
                lastTen += p.At > tenMinutesAgo ? 1 : 0;
                if (p.CreditorIdentification == creditorIdentification && (first is null || p.At < first))
                {
                    first = p.At;
                    paidLastHour |= p.At > hourAgo;
                }
            }

            return (lastTen, lastHour, _recent.Count, paidLastHour, first);
        }
    }

    /// <summary>Credits of the last day: how many, and their sum.</summary>
    public (int Count, long SumMinor) CreditsLastDay(DateTime now)
    {
        var dayAgo = now.AddDays(-1);
        lock (_credits)
        {
            _credits.RemoveAll(c => c.At <= dayAgo);
            return (_credits.Count, _credits.Sum(c => c.AmountMinor));
        }
    }

    public void Add(RecentPayment payment)
    {
        lock (_recent)
        {
            _recent.Add(payment);
        }
    }

    public void AddCredit(RecentCredit credit)
    {
        lock (_credits)
        {
            _credits.Add(credit);
        }
    }
}
