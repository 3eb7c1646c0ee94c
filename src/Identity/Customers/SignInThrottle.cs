using System.Collections.Concurrent;

namespace OpenBanking.Identity.Customers;

/// <summary>
/// Locks a test customer's sign-in for 15 minutes after 5 wrong passwords or codes in a row, so the sandbox's
/// well-known passwords and 6-digit codes cannot be guessed by brute force. Counted per tenant and username, and only
/// for customers that exist (the callers record a failure only when the Sandbox knows the customer), so the store
/// cannot be grown with made-up organisations or usernames; it is also capped at <see cref="MaxEntries"/>. Kept in
/// this process's memory — a restart forgets it, and several Identity instances each count on their own (noted for
/// production scale-out).
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int MaxFailures = 5;
    public const int MaxEntries = 100_000;
    public static readonly TimeSpan LockoutPeriod = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Since)> _failures = new(StringComparer.Ordinal);

    /// <summary>How many tenant-and-username pairs are being counted now.</summary>
    public int Count => _failures.Count;

    public bool IsLockedOut(string organisationId, string username)
    {
        var key = Key(organisationId, username);
        if (!_failures.TryGetValue(key, out var entry))
        {
            return false;
        }

        if (clock.GetUtcNow() - entry.Since >= LockoutPeriod)
        {
            _failures.TryRemove(KeyValuePair.Create(key, entry));
            return false;
        }

        return entry.Failures >= MaxFailures;
    }

    /// <summary>A wrong password or code for a customer that exists.</summary>
    public void Failed(string organisationId, string username)
    {
        var now = clock.GetUtcNow();
        var key = Key(organisationId, username);
        if (!_failures.ContainsKey(key) && _failures.Count >= MaxEntries)
        {
            foreach (var expired in _failures.Where(e => now - e.Value.Since >= LockoutPeriod).ToList())
            {
                _failures.TryRemove(expired);
            }

            if (_failures.Count >= MaxEntries)
            {
                // Full of live entries (only real customers get one): stop counting new ones rather than grow.
                return;
            }
        }

        _failures.AddOrUpdate(key, _ => (1, now),
            (_, entry) => now - entry.Since >= LockoutPeriod ? (1, now) : (entry.Failures + 1, entry.Since));
    }

    public void Succeeded(string organisationId, string username) => _failures.TryRemove(Key(organisationId, username), out _);

    // Organisation ids are GUIDs: compared without regard to case, so "ABC…" and "abc…" are one tenant's customer.
    private static string Key(string organisationId, string username)
        => organisationId.Trim().ToLowerInvariant() + "\n" + username.Trim().ToLowerInvariant();
}
