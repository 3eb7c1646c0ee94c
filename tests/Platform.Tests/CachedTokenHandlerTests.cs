using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.ServiceDefaults.Authentication;

namespace OpenBanking.Platform.Tests;

/// <summary>The validated-token cache every resource server uses: faster, never laxer.</summary>
public sealed class CachedTokenHandlerTests : IDisposable
{
    private static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "k1" };
    private readonly MovableClock _clock = new();
    private readonly CachedTokenHandler _handler;

    public CachedTokenHandlerTests() => _handler = new CachedTokenHandler(_clock);

    [Fact]
    public async Task ValidToken_IsValidatedOnce_AndThenServedFromTheCache_WithAFreshIdentity()
    {
        var token = Token(TimeSpan.FromMinutes(5));

        var first = await _handler.ValidateTokenAsync(token, Parameters());
        var second = await _handler.ValidateTokenAsync(token, Parameters(keys: []));

        Assert.True(first.IsValid);
        // The second call could not have validated the signature (no keys): it came from the cache.
        Assert.True(second.IsValid);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal("wallet", second.ClaimsIdentity.FindFirst("client_id")?.Value);
    }

    [Fact]
    public async Task TamperedToken_MissesTheCache_AndIsRefused()
    {
        var token = Token(TimeSpan.FromMinutes(5));
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters())).IsValid);
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("\"wallet\"", "\"other\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        var result = await _handler.ValidateTokenAsync(tampered, Parameters());

        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task CachedToken_IsRefusedOnceExpired()
    {
        var token = Token(TimeSpan.FromMinutes(5));
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters())).IsValid);

        _clock.Offset = TimeSpan.FromMinutes(6);
        var result = await _handler.ValidateTokenAsync(token, Parameters());

        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task InvalidToken_IsNeverRemembered()
    {
        var token = Token(TimeSpan.FromMinutes(5));
        Assert.False((await _handler.ValidateTokenAsync(token, Parameters(audience: "someone-else"))).IsValid);

        var again = await _handler.ValidateTokenAsync(token, Parameters(audience: "someone-else"));

        Assert.False(again.IsValid);
    }

    public void Dispose() => _handler.Dispose();

    private string Token(TimeSpan lifetime)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = "http://localhost:5001/",
            Audience = "open-banking-api",
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = new Dictionary<string, object> { ["client_id"] = "wallet", ["scope"] = "accounts" },
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
        });
    }

    private TokenValidationParameters Parameters(string audience = "open-banking-api", SecurityKey[]? keys = null) => new()
    {
        ValidIssuer = "http://localhost:5001/",
        ValidAudience = audience,
        ValidTypes = ["at+jwt"],
        IssuerSigningKeys = keys ?? [Key],
        ClockSkew = TimeSpan.FromSeconds(30),
        LifetimeValidator = (notBefore, expires, _, p) => expires + p.ClockSkew > _clock.GetUtcNow().UtcDateTime,
    };

    private sealed class MovableClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
