using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;

namespace OpenBanking.Identity.Infrastructure;

/// <summary>
/// Keeps the client-secret check strong (OpenIddict's slow salted hash) without paying for it on every token request:
/// a secret verified moments ago for the same client and the same stored hash is accepted from memory for a few
/// minutes. Only successes are remembered, keyed by a SHA-256 of (client, stored hash, presented secret): a wrong
/// secret is always checked — and refused — in full, and rotating the secret changes the stored hash, so the old
/// secret stops working at once.
/// </summary>
internal sealed class CachingApplicationManager<TApplication>(
    IOpenIddictApplicationCache<TApplication> cache,
    ILogger<OpenIddictApplicationManager<TApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<TApplication> store,
    VerifiedSecretCache verified)
    : OpenIddictApplicationManager<TApplication>(cache, logger, options, store)
    where TApplication : class
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public override async ValueTask<bool> ValidateClientSecretAsync(TApplication application, string secret, CancellationToken cancellationToken = default)
    {
        var stored = await Store.GetClientSecretAsync(application, cancellationToken);
        var id = await Store.GetIdAsync(application, cancellationToken);
        if (string.IsNullOrEmpty(stored) || string.IsNullOrEmpty(secret))
        {
            return await base.ValidateClientSecretAsync(application, secret, cancellationToken);
        }

        var key = "client-secret:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{id}\n{stored}\n{secret}")));
        if (verified.Cache.TryGetValue(key, out _))
        {
            return true;
        }

        var valid = await base.ValidateClientSecretAsync(application, secret, cancellationToken);
        if (valid)
        {
            verified.Cache.Set(key, true, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime, Size = 1 });
        }

        return valid;
    }
}

/// <summary>The process-wide, size-bounded memory of recently verified client secrets (hashes only).</summary>
internal sealed class VerifiedSecretCache : IDisposable
{
    public MemoryCache Cache { get; } = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public void Dispose() => Cache.Dispose();
}
