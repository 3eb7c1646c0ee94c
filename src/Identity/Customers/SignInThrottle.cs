using System.Collections.Concurrent;

namespace OpenBanking.Identity.Customers;

/// <summary>
/// Locks a test customer's sign-in for 15 minutes after 5 wrong passwords or codes in a row, so the sandbox's
/// well-known passwords and 6-digit codes cannot be guessed by brute force. Counted per tenant and username (the
/// customer is not known before the password is right); kept in this process's memory — a restart forgets it, and
/// several Identity instances each count on their own (noted for production scale-out).
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutPeriod = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Since)> _failures = new(StringComparer.Ordinal);

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

    public void Failed(string organisationId, string username)
    {
        var now = clock.GetUtcNow();
        _failures.AddOrUpdate(Key(organisationId, username), _ => (1, now),
            (_, entry) => now - entry.Since >= LockoutPeriod ? (1, now) : (entry.Failures + 1, entry.Since));
    }

    public void Succeeded(string organisationId, string username) => _failures.TryRemove(Key(organisationId, username), out _);

    private static string Key(string organisationId, string username) => organisationId + "\n" + username.Trim().ToLowerInvariant();
}
