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

    public void Remember(string accountId, string payee)
    {
        if (_profiles.TryGetValue(accountId, out var profile))
        {
            profile.KnownPayees.TryAdd(payee, true);
        }
    }
}
