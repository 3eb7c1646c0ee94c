using System.Collections.Concurrent;
using OpenBanking.Sandbox.Platform;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.FunctionalTests.MessageSigning;

/// <summary>
/// The Sandbox's view of apps' message-signing settings, set by tests instead of read from Identity. An app no test set
/// requires nothing and has no keys (what Identity says of apps registered before message signing), so the tests that
/// predate signing run unchanged. Counts the reads, and can play an unreachable Identity.
/// </summary>
public sealed class FakeAppSecurityDirectory : IAppSecurityDirectory
{
    private readonly ConcurrentDictionary<string, AppSecurityProfile> _profiles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AppSecurityProfile> _pending = new(StringComparer.Ordinal);

    /// <summary>Reads with <c>refresh: true</c>, by client id.</summary>
    public ConcurrentDictionary<string, int> Refreshes { get; } = new(StringComparer.Ordinal);

    /// <summary>Client ids for which the directory plays an unreachable Identity with nothing cached.</summary>
    public ConcurrentDictionary<string, bool> Unavailable { get; } = new(StringComparer.Ordinal);

    public void Set(AppSecurityProfile profile) => _profiles[profile.ClientId] = profile;

    /// <summary>A change in Identity the cache has not seen yet: visible only to a refreshing read.</summary>
    public void SetInIdentityOnly(AppSecurityProfile profile) => _pending[profile.ClientId] = profile;

    public ValueTask<AppSecurityProfile?> GetAsync(string clientId, bool refresh, CancellationToken cancellationToken)
    {
        if (Unavailable.ContainsKey(clientId))
        {
            throw new AppSecurityUnavailableException("Identity is down (test).");
        }

        if (refresh)
        {
            Refreshes.AddOrUpdate(clientId, 1, (_, n) => n + 1);
            if (_pending.TryRemove(clientId, out var changed))
            {
                _profiles[clientId] = changed;
            }
        }

        return ValueTask.FromResult(_profiles.TryGetValue(clientId, out var profile) ? profile : null);
    }
}
