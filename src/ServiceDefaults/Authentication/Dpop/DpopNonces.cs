using Microsoft.AspNetCore.DataProtection;

namespace OpenBanking.ServiceDefaults.Authentication.Dpop;

/// <summary>
/// Server-provided DPoP nonces (RFC 9449 §8, §9) without server state: a nonce is a time-limited Data Protection
/// payload, so any instance of the service (they share the key ring in their database) accepts any other's nonce until
/// it expires, and nothing has to be stored or cleaned up.
/// </summary>
public sealed class DpopNonces(IDataProtectionProvider protection, TimeProvider time)
{
    /// <summary>How long a nonce is accepted.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private const string Payload = "dpop-nonce";
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("OpenBanking.Dpop.Nonce").ToTimeLimitedDataProtector();

    /// <summary>A fresh nonce, good for <see cref="Lifetime"/>.</summary>
    public string Issue() => _protector.Protect(Payload, time.GetUtcNow() + Lifetime);

    /// <summary>Whether <paramref name="nonce"/> was issued by this service and has not expired.</summary>
    public bool IsValid(string nonce)
    {
        try
        {
            return _protector.Unprotect(nonce, out var expiration) == Payload && expiration > time.GetUtcNow();
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Tampered, expired or from another key ring: not a nonce of ours.
            return false;
        }
    }
}
