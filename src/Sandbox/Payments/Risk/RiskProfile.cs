using System.Collections.Concurrent;

namespace OpenBanking.Sandbox.Payments;

/// <summary>A payment in the velocity window: when, and to whom.</summary>
public readonly record struct RecentPayment(DateTime At, string CreditorIdentification);

/// <summary>One account's risk statistics, and its payments of the last hour (added to as payments are made).</summary>
public sealed class RiskProfile(int debitCount, double mean, double stdDev, IEnumerable<string> knownPayees, string? usualCurrency, DateTime expiresAt, IEnumerable<RecentPayment> recent)
{
    private readonly List<RecentPayment> _recent = [.. recent];

    public int DebitCount { get; } = debitCount;
    public double Mean { get; } = mean;
    public double StdDev { get; } = stdDev;
    public ConcurrentDictionary<string, bool> KnownPayees { get; } = new(knownPayees.Select(p => KeyValuePair.Create(p, true)), StringComparer.Ordinal);
    public string? UsualCurrency { get; } = usualCurrency;
    public DateTime ExpiresAt { get; } = expiresAt;

    /// <summary>Payments in the last ten minutes and the last hour, and whether one of them paid this payee.</summary>
    public (int LastTenMinutes, int LastHour, bool PaidRecently) Velocity(DateTime now, string creditorIdentification)
    {
        var hourAgo = now.AddHours(-1);
        var tenMinutesAgo = now.AddMinutes(-10);
        lock (_recent)
        {
            _recent.RemoveAll(p => p.At <= hourAgo);
            return (_recent.Count(p => p.At > tenMinutesAgo), _recent.Count, _recent.Exists(p => p.CreditorIdentification == creditorIdentification));
        }
    }

    public void Add(RecentPayment payment)
    {
        lock (_recent)
        {
            _recent.Add(payment);
        }
    }
}
