using System.Collections.Concurrent;

namespace OpenBanking.Sandbox.Accounts;

/// <summary>
/// The account-access consents that data calls have read, in memory, so that a data call does not read its consent
/// from the database every time. Correct by invalidation, not by a time window: every committed change of a consent
/// removes it (<see cref="ConsentCacheInvalidation"/>) before the change's own request answers, and a read that
/// raced a change never puts the old state back (the generation check in <see cref="Add"/>). Expiry and revocation
/// times are checked against the clock and the token on every request, never cached as a verdict.
/// One process only: a second Sandbox instance would not see this one's invalidations (docs/benchmarks.md).
/// </summary>
public sealed class ConsentAccessCache
{
    // Far more than a sandbox has live consents; a bound, so that a flood of distinct consent ids cannot grow it forever.
    private const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, AccountAccessGrant> _grants = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>Read before loading a consent from the database; handed back to <see cref="Add"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string consentId, out AccountAccessGrant grant) => _grants.TryGetValue(consentId, out grant!);

    /// <summary>Keeps a grant read from the database, unless anything was invalidated since the read began.</summary>
    public void Add(AccountAccessGrant grant, long generationBeforeRead)
    {
        if (Generation != generationBeforeRead)
        {
            return;
        }

        if (_grants.Count >= Capacity)
        {
            _grants.Clear();
        }

        _grants[grant.ConsentId] = grant;
        // An invalidation between the check above and the store: take back exactly what was stored (never a newer value).
        if (Generation != generationBeforeRead)
        {
            _grants.TryRemove(new KeyValuePair<string, AccountAccessGrant>(grant.ConsentId, grant));
        }
    }

    public void Invalidate(IEnumerable<string> consentIds)
    {
        Interlocked.Increment(ref _generation);
        foreach (var id in consentIds)
        {
            _grants.TryRemove(id, out _);
        }
    }

    /// <summary>For changes that name no consent (a bulk update or delete, e.g. a tenant reset).</summary>
    public void InvalidateAll()
    {
        Interlocked.Increment(ref _generation);
        _grants.Clear();
    }
}
