using System.Security.Cryptography;
using System.Text;
using Jose;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.ServiceDefaults.Authentication.Dpop;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.UnitTests.Dpop;

/// <summary>
/// The proof validator against proofs made by jose-jwt (<see cref="DpopKey"/>) or by hand: each rule of RFC 9449 §4.3
/// the platform applies, in order, with the message a developer sees.
/// </summary>
public sealed class DpopProofValidatorTests : IDisposable
{
    private const string Htu = "https://api.example.com/open-banking/v3.1/aisp/accounts";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private readonly DpopProofValidator _validator = new(new FixedClock(Now));
    private readonly DpopKey _key = DpopKey.Es256();

    public void Dispose()
    {
        _key.Dispose();
        _validator.Dispose();
    }

    private DpopProofResult Validate(string proof, string method = "GET", string htu = Htu, string? token = null, string? jkt = null, Func<string, bool>? nonce = null)
        => _validator.Validate(new DpopProofRequest(proof, method, [htu], token, jkt, nonce));

    [Theory]
    [InlineData("ES256")]
    [InlineData("PS256")]
    public void AProofForThisRequest_IsAccepted_WithTheRfc7638Thumbprint(string algorithm)
    {
        using var key = algorithm == "ES256" ? DpopKey.Es256() : DpopKey.Ps256();

        var result = Validate(key.Proof("GET", Htu, "token-1", iat: Now), token: "token-1", jkt: key.Thumbprint);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(key.Thumbprint, result.Jkt);
        // A second, independent RFC 7638 implementation agrees.
        var jwk = JsonWebKey.Create(System.Text.Json.JsonSerializer.Serialize(key.PublicJwk));
        Assert.Equal(Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint()), result.Jkt);
        Assert.Equal(Now, result.Iat);
    }

    [Theory]
    [InlineData("https://API.example.com:443/open-banking/v3.1/aisp/accounts?page=2#x")]
    [InlineData("HTTPS://api.EXAMPLE.com/open-banking/v3.1/aisp/%61ccounts")]
    public void Htu_IsComparedNormalised_WithoutQueryOrFragment(string htu)
        => Assert.True(Validate(_key.Proof("GET", htu, iat: Now)).Succeeded);

    [Theory]
    [InlineData("http://api.example.com/open-banking/v3.1/aisp/accounts")]
    [InlineData("https://api.example.com:8443/open-banking/v3.1/aisp/accounts")]
    [InlineData("https://api.example.com/open-banking/v3.1/aisp/accounts/")]
    [InlineData("/open-banking/v3.1/aisp/accounts")]
    public void AnotherHtu_IsRefused(string htu)
    {
        var result = Validate(_key.Proof("GET", htu, iat: Now));

        Assert.Equal(RefusalRules.DpopHtu, result.Rule);
        Assert.Equal("invalid_dpop_proof", result.Error);
        Assert.StartsWith($"The DPoP proof's htu is '{htu}'", result.Message);
    }

    [Fact]
    public void AnotherMethod_IsRefused_CaseSensitively()
    {
        var result = Validate(_key.Proof("get", Htu, iat: Now));

        Assert.Equal(RefusalRules.DpopHtm, result.Rule);
        Assert.Equal("The DPoP proof's htm is 'get'; this request is 'GET'.", result.Message);
    }

    [Theory]
    [InlineData(-60, true)]
    [InlineData(-61, false)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void Iat_MustBeWithinTheWindow(int seconds, bool accepted)
    {
        var result = Validate(_key.Proof("GET", Htu, iat: Now.AddSeconds(seconds)));

        Assert.Equal(accepted, result.Succeeded);
        if (!accepted)
        {
            Assert.Equal(RefusalRules.DpopIat, result.Rule);
        }
    }

    [Fact]
    public void WithAnAccessToken_AthIsRequired_AndMustHashThatToken()
    {
        var missing = Validate(_key.Proof("GET", Htu, iat: Now), token: "token-1");
        var wrong = Validate(_key.Proof("GET", Htu, "token-2", iat: Now), token: "token-1");

        Assert.Equal(RefusalRules.DpopMissingClaim + ":ath", missing.Rule);
        Assert.Equal(RefusalRules.DpopAth, wrong.Rule);
        Assert.Equal(DpopKey.Ath("token-1"), DpopProofValidator.AccessTokenHash("token-1"));
    }

    [Fact]
    public void AProofByAnotherKeyThanTheTokensBinding_IsRefused()
    {
        using var other = DpopKey.Es256();

        var result = Validate(other.Proof("GET", Htu, iat: Now), jkt: _key.Thumbprint);

        Assert.Equal(RefusalRules.DpopJkt, result.Rule);
        Assert.Contains(other.Thumbprint, result.Message);
    }

    [Fact]
    public void WithNonces_AProofWithoutTheCurrentNonce_AsksForOne()
    {
        var missing = Validate(_key.Proof("GET", Htu, iat: Now), nonce: n => n == "n-1");
        var stale = Validate(_key.Proof("GET", Htu, iat: Now, nonce: "n-0"), nonce: n => n == "n-1");
        var current = Validate(_key.Proof("GET", Htu, iat: Now, nonce: "n-1"), nonce: n => n == "n-1");

        Assert.Equal("use_dpop_nonce", missing.Error);
        Assert.Equal(RefusalRules.DpopNonce, stale.Rule);
        Assert.True(current.Succeeded);
    }

    [Theory]
    [InlineData("jti")]
    [InlineData("htm")]
    [InlineData("htu")]
    [InlineData("iat")]
    public void AMissingClaim_IsNamed(string claim)
    {
        var result = Validate(_key.Proof("GET", Htu, iat: Now, claims: new Dictionary<string, object?> { [claim] = null }));

        Assert.Equal($"{RefusalRules.DpopMissingClaim}:{claim}", result.Rule);
        Assert.Contains($"'{claim}'", result.Message);
    }

    [Fact]
    public void TheWrongTyp_IsRefused()
        => AssertMalformed(_key.Proof("GET", Htu, iat: Now, header: new Dictionary<string, object?> { ["typ"] = "JWT" }), "\"typ\": \"dpop+jwt\"");

    [Fact]
    public void NoJwk_IsRefused()
        => AssertMalformed(_key.Proof("GET", Htu, iat: Now, header: new Dictionary<string, object?> { ["jwk"] = null }), "\"jwk\"");

    [Fact]
    public void APrivateKeyInTheJwk_IsRefused()
    {
        var jwk = new Dictionary<string, object>(_key.PublicJwk) { ["d"] = "AAAA" };

        AssertMalformed(_key.Proof("GET", Htu, iat: Now, header: new Dictionary<string, object?> { ["jwk"] = jwk }), "private member 'd'");
    }

    [Fact]
    public void AProofSignedByAnotherKeyThanItsJwk_IsRefused()
    {
        using var other = DpopKey.Es256();

        AssertMalformed(other.Proof("GET", Htu, iat: Now, header: new Dictionary<string, object?> { ["jwk"] = _key.PublicJwk }), "signature does not verify");
    }

    [Fact]
    public void AKeySeenBefore_StillOnlyVerifiesItsOwnSignatures()
    {
        using var other = DpopKey.Es256();
        Assert.True(Validate(_key.Proof("GET", Htu, iat: Now)).Succeeded);
        Assert.True(Validate(_key.Proof("GET", Htu, iat: Now)).Succeeded);

        AssertMalformed(other.Proof("GET", Htu, iat: Now, header: new Dictionary<string, object?> { ["jwk"] = _key.PublicJwk }), "signature does not verify");
    }

    [Fact]
    public void RS256_IsRefused_AsFapiRequires()
    {
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(false);
        var jwk = new Dictionary<string, object> { ["kty"] = "RSA", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
        var proof = JWT.Encode(Claims(), rsa, JwsAlgorithm.RS256, new Dictionary<string, object> { ["typ"] = "dpop+jwt", ["jwk"] = jwk });

        AssertMalformed(proof, "alg is 'RS256'; use PS256 or ES256");
    }

    [Fact]
    public void AnHmacProof_IsRefused()
    {
        var proof = JWT.Encode(Claims(), new byte[32], JwsAlgorithm.HS256, new Dictionary<string, object> { ["typ"] = "dpop+jwt", ["jwk"] = _key.PublicJwk });

        AssertMalformed(proof, "alg is 'HS256'");
    }

    [Fact]
    public void AnUnsignedProof_IsRefused()
    {
        var header = B64(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["typ"] = "dpop+jwt", ["alg"] = "none", ["jwk"] = _key.PublicJwk })));
        var payload = B64(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(Claims())));

        AssertMalformed($"{header}.{payload}.", "compact form");
        AssertMalformed($"{header}.{payload}.AAAA", "alg is 'none'");
    }

    [Fact]
    public void A1024BitRsaKey_IsRefused()
    {
        using var rsa = RSA.Create(1024);
        var p = rsa.ExportParameters(false);
        var jwk = new Dictionary<string, object> { ["kty"] = "RSA", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
        var proof = JWT.Encode(Claims(), rsa, JwsAlgorithm.PS256, new Dictionary<string, object> { ["typ"] = "dpop+jwt", ["jwk"] = jwk });

        AssertMalformed(proof, "1024 bits");
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!!.???.***")]
    public void NotACompactJwt_IsRefused(string proof)
        => Assert.Equal(RefusalRules.DpopMalformed, Validate(proof).Rule);

    [Fact]
    public void TheReplayKey_IsSixteenBytesOfTheThumbprintAndJti()
    {
        var key = DpopProofValidator.ReplayKey("jkt", "jti");

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes("jkt.jti"))[..16], key);
    }

    private void AssertMalformed(string proof, string message)
    {
        var result = Validate(proof);

        Assert.False(result.Succeeded);
        Assert.Equal(RefusalRules.DpopMalformed, result.Rule);
        Assert.Contains(message, result.Message);
    }

    private static Dictionary<string, object> Claims() => new()
    {
        ["jti"] = Guid.NewGuid().ToString("N"),
        ["htm"] = "GET",
        ["htu"] = Htu,
        ["iat"] = Now.ToUnixTimeSeconds(),
    };

    private static string B64(byte[] bytes) => WebEncoders.Base64UrlEncode(bytes);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
