using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Consents;

/// <summary>
/// Records when an API call last used a consent, for the customer's connected-apps page ("last used"). At most one
/// write per consent per <see cref="Resolution"/>, set-based (no tracking, no version bump, no outbox row, no cache
/// invalidation): an AIS read costs a dictionary lookup, and only the first read of a minute pays one UPDATE.
/// One process keeps its own memory of what it wrote; a second instance at worst writes once a minute too.
/// </summary>
public sealed class ConsentUsage
{
    /// <summary>How fine "last used" is: customers need "a few minutes ago", not every read.</summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);

    // A bound, as for the read caches: a flood of distinct consent ids cannot grow it forever.
    private const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, long> _written = new(StringComparer.Ordinal);

    /// <summary>Stamps an account-access or funds-confirmation consent as used now, unless it was within the last minute.</summary>
    public ValueTask RecordAsync(SandboxDbContext db, ConsentKind kind, string consentId, DateTimeOffset now, CancellationToken ct)
        => Claim(consentId, now) ? new ValueTask(WriteAsync(db, kind, consentId, Timestamps.WholeSeconds(now), ct)) : ValueTask.CompletedTask;

    /// <summary>Whether this call is the one to write (the first of its minute); concurrent calls never both win.</summary>
    private bool Claim(string consentId, DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        while (true)
        {
            if (!_written.TryGetValue(consentId, out var last))
            {
                if (_written.Count >= Capacity)
                {
                    _written.Clear();
                }

                if (_written.TryAdd(consentId, ticks))
                {
                    return true;
                }

                continue;
            }

            if (ticks - last < Resolution.Ticks)
            {
                return false;
            }

            if (_written.TryUpdate(consentId, ticks, last))
            {
                return true;
            }
        }
    }

    private static async Task WriteAsync(SandboxDbContext db, ConsentKind kind, string consentId, DateTimeOffset stamp, CancellationToken ct)
    {
        // Set-based and outside the change tracker: "last used" is not a change of the consent, so it neither bumps
        // Version (an app's concurrent change must not conflict with a read) nor empties the consent read cache.
        _ = kind switch
        {
            ConsentKind.AccountAccess => await db.AccountAccessConsents.Where(c => c.Id == consentId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastUsedAt, stamp), ct),
            ConsentKind.FundsConfirmation => await db.FundsConfirmationConsents.Where(c => c.Id == consentId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastUsedAt, stamp), ct),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Payment consents are stamped as they are consumed."),
        };
    }
}
