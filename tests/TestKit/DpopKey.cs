using System.Security.Cryptography;
using System.Text;
using Jose;
using Microsoft.AspNetCore.WebUtilities;

namespace OpenBanking.TestKit;

/// <summary>
/// A partner's DPoP key and the proofs it signs, made the way a client library would — with jose-jwt and
/// System.Security.Cryptography, never with the platform's validator — so tests check the platform against an
/// independent implementation of RFC 9449. ES256 (P-256) or PS256 (RSA 2048).
/// </summary>
public sealed class DpopKey : IDisposable
{
    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;

    private DpopKey(ECDsa? ec, RSA? rsa)
    {
        _ec = ec;
        _rsa = rsa;
        if (ec is not null)
        {
            var p = ec.ExportParameters(false);
            PublicJwk = new Dictionary<string, object> { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
            Thumbprint = Sha256B64($"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{B64(p.Q.X!)}\",\"y\":\"{B64(p.Q.Y!)}\"}}");
        }
        else
        {
            var p = rsa!.ExportParameters(false);
            PublicJwk = new Dictionary<string, object> { ["kty"] = "RSA", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
            Thumbprint = Sha256B64($"{{\"e\":\"{B64(p.Exponent!)}\",\"kty\":\"RSA\",\"n\":\"{B64(p.Modulus!)}\"}}");
        }
    }

    public static DpopKey Es256() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), null);

    public static DpopKey Ps256() => new(null, RSA.Create(2048));

    public string Algorithm => _ec is not null ? "ES256" : "PS256";

    /// <summary>The public JWK that goes in the proof's header.</summary>
    public IReadOnlyDictionary<string, object> PublicJwk { get; }

    /// <summary>The RFC 7638 thumbprint (SHA-256 of the canonical JSON of the required members), computed here.</summary>
    public string Thumbprint { get; }

    /// <summary>The <c>ath</c> of a token: base64url(SHA-256(ASCII)).</summary>
    public static string Ath(string accessToken) => B64(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    /// <summary>
    /// A proof for <paramref name="method"/> <paramref name="htu"/>; <paramref name="accessToken"/> adds <c>ath</c>.
    /// <paramref name="claims"/> and <paramref name="header"/> let a test break one thing (a null value removes the member).
    /// </summary>
    public string Proof(string method, string htu, string? accessToken = null, string? nonce = null, DateTimeOffset? iat = null,
        string? jti = null, IDictionary<string, object?>? claims = null, IDictionary<string, object?>? header = null)
    {
        var payload = new Dictionary<string, object>
        {
            ["jti"] = jti ?? Guid.NewGuid().ToString("N"),
            ["htm"] = method,
            ["htu"] = htu,
            ["iat"] = (iat ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
        };
        if (accessToken is not null)
        {
            payload["ath"] = Ath(accessToken);
        }

        if (nonce is not null)
        {
            payload["nonce"] = nonce;
        }

        Apply(payload, claims);
        var headers = new Dictionary<string, object> { ["typ"] = "dpop+jwt", ["jwk"] = PublicJwk };
        Apply(headers, header);
        return JWT.Encode(payload, (object?)_ec ?? _rsa!, _ec is not null ? JwsAlgorithm.ES256 : JwsAlgorithm.PS256, headers);
    }

    public void Dispose()
    {
        _ec?.Dispose();
        _rsa?.Dispose();
    }

    private static void Apply(Dictionary<string, object> target, IDictionary<string, object?>? changes)
    {
        foreach (var (name, value) in changes ?? new Dictionary<string, object?>())
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else
            {
                target[name] = value;
            }
        }
    }

    private static string B64(byte[] bytes) => WebEncoders.Base64UrlEncode(bytes);

    private static string Sha256B64(string text) => B64(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
