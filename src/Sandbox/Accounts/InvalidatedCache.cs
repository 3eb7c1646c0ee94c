using System.Collections.Concurrent;

namespace OpenBanking.Sandbox.Accounts;

/// <summary>
/// Values read from the database, kept in memory until a change to what they were read from commits. Correct by
/// invalidation, not by a time window: every committed change removes what it touches
/// (<see cref="AccountReadInvalidation"/>) before the change's own request answers, and a read that raced a change
/// never puts the old value back (the generation check in <see cref="Add"/>).
/// One process only: a second Sandbox instance would not see this one's invalidations (docs/benchmarks.md).
/// </summary>
public abstract class InvalidatedCache<TValue>
{
    // Far more than a sandbox has live entries; a bound, so that a flood of distinct keys cannot grow it forever.
    private const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, TValue> _values = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>Read before loading a value from the database; handed back to <see cref="Add"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string key, out TValue value) => _values.TryGetValue(key, out value!);

    /// <summary>Keeps a value read from the database, unless anything was invalidated since the read began.</summary>
    public void Add(string key, TValue value, long generationBeforeRead)
    {
        if (Generation != generationBeforeRead)
        {
            return;
        }

        if (_values.Count >= Capacity)
        {
            _values.Clear();
        }

        _values[key] = value;
        // An invalidation between the check above and the store: take back what was stored.
        if (Generation != generationBeforeRead)
        {
            _values.TryRemove(new KeyValuePair<string, TValue>(key, value));
        }
    }

    public void Invalidate(IEnumerable<string> keys)
    {
        Interlocked.Increment(ref _generation);
        foreach (var key in keys)
        {
            _values.TryRemove(key, out _);
        }
    }

    /// <summary>For changes that name no key (a bulk update or delete, e.g. a tenant reset).</summary>
    public void InvalidateAll()
    {
        Interlocked.Increment(ref _generation);
        _values.Clear();
    }
}

/// <summary>
/// The account-access consents data calls have read, so that a data call does not read its consent from the
/// database every time. Expiry and revocation are checked against the clock and the token on every request, never
/// cached as a verdict.
/// </summary>
public sealed class ConsentAccessCache : InvalidatedCache<AccountAccessGrant>;

/// <summary>
/// The sum of each account's pending debits (for its available balance): summing them reads the account's whole
/// history (no index has the status), 70 ms on an account of 100,000 transactions.
/// </summary>
public sealed class PendingDebitsCache : InvalidatedCache<long>;
