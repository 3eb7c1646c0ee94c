using System.Collections.Concurrent;

namespace OpenBanking.Sandbox.Payments;

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

    /// <summary>
    /// A committed payment joins its payer's velocity window, and its payee is known once money went. An account
    /// without a profile gets the payment when its profile is loaded (from the database, where it is by then).
    /// </summary>
    public void Record(DomesticPayment payment)
    {
        if (_profiles.TryGetValue(payment.DebtorAccountId, out var profile))
        {
            profile.Add(new RecentPayment(payment.CreationDateTime, payment.CreditorIdentification));
            if (payment.Debited)
            {
                profile.KnownPayees.TryAdd(payment.CreditorIdentification, true);
            }
        }
    }
}
