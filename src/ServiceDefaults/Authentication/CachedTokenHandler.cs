using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OpenBanking.ServiceDefaults.Authentication;

/// <summary>
/// A JWT handler that remembers tokens it has fully validated (signature, issuer, audience, type, lifetime), keyed
/// by a SHA-256 of the exact token text, until the token expires — as Envoy's JWT filter does. The signature check
/// dominates a request's cost and a wallet sends the same token for minutes. A token differing in any byte (tampered)
/// misses the cache and is validated in full; a remembered token is refused once expired; failures are never
/// remembered. Bounded: at most <see cref="Capacity"/> tokens. What it does not see: a key removed from the JWKS
/// keeps its already-validated tokens working until they expire (at most their 5-minute lifetime); consent
/// revocation is unaffected, since the resource server checks the consent on every request.
/// </summary>
public sealed class CachedTokenHandler : JsonWebTokenHandler, IDisposable
{
    /// <summary>The most tokens remembered at once.</summary>
    public const int Capacity = 50_000;

    private readonly MemoryCache _validated = new(new MemoryCacheOptions { SizeLimit = Capacity });
    private readonly TimeProvider _clock;

    /// <summary>Creates the handler; <paramref name="clock"/> decides when a remembered token has expired.</summary>
    public CachedTokenHandler(TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        MapInboundClaims = false;
    }

    /// <inheritdoc />
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var key = Key(token);
        var now = _clock.GetUtcNow().UtcDateTime;
        if (_validated.TryGetValue(key, out Entry? entry) && entry is not null)
        {
            if (entry.Expires + validationParameters.ClockSkew > now)
            {
                // A fresh identity per request: later stages (claims transformation) may add claims to it.
                return new TokenValidationResult
                {
                    IsValid = true,
                    ClaimsIdentity = entry.Identity.Clone(),
                    SecurityToken = entry.Token,
                    Issuer = entry.Issuer,
                    TokenType = entry.TokenType,
                };
            }

            _validated.Remove(key);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken jwt && jwt.ValidTo > now && result.ClaimsIdentity is { } identity)
        {
            _validated.Set(key, new Entry(identity.Clone(), jwt, result.Issuer, result.TokenType, jwt.ValidTo), new MemoryCacheEntryOptions
            {
                Size = 1,
                AbsoluteExpiration = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) + validationParameters.ClockSkew,
            });
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose() => _validated.Dispose();

    private static string Key(string token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetMaxByteCount(token.Length);
        var buffer = length <= 4096 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(token, buffer);
        SHA256.HashData(buffer[..written], hash);
        return Convert.ToBase64String(hash);
    }

    private sealed record Entry(System.Security.Claims.ClaimsIdentity Identity, JsonWebToken Token, string Issuer, string TokenType, DateTime Expires);
}
