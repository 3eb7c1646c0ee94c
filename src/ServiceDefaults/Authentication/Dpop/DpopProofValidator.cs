using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using OpenBanking.Shared;

namespace OpenBanking.ServiceDefaults.Authentication.Dpop;

/// <summary>What a DPoP proof must match: the request it came with and, at a resource server, the token it goes with.</summary>
/// <param name="Proof">The <c>DPoP</c> header's value.</param>
/// <param name="Method">The request's method (<c>htm</c>, case-sensitive).</param>
/// <param name="Uris">The URIs that name this endpoint (<c>htu</c>, compared without query and fragment after normalisation); one must match.</param>
/// <param name="AccessToken">At a resource server: the presented access token (<c>ath</c> required). Null at the token endpoint.</param>
/// <param name="BoundJkt">At a resource server: the token's <c>cnf.jkt</c>; the proof's key must be that key.</param>
/// <param name="NonceIsValid">When the server demands nonces: whether a <c>nonce</c> claim is current. Null: nonces are not used.</param>
/// <param name="HtuPathOnly">Compare only the path of <c>htu</c> (a service behind the gateway sees internal host names).</param>
public sealed record DpopProofRequest(
    string Proof,
    string Method,
    IReadOnlyList<string> Uris,
    string? AccessToken = null,
    string? BoundJkt = null,
    Func<string, bool>? NonceIsValid = null,
    bool HtuPathOnly = false);

/// <summary>
/// The outcome of a proof check. On success <see cref="Jkt"/> is the proof key's RFC 7638 thumbprint and
/// <see cref="Jti"/>/<see cref="Iat"/> what the caller needs for the replay cache; on failure <see cref="Rule"/> is the
/// <see cref="RefusalRules"/> id, <see cref="Error"/> the OAuth error code and <see cref="Message"/> says what to fix.
/// </summary>
public sealed record DpopProofResult(bool Succeeded, string? Rule, string? Error, string? Message, string? Jkt, string? Jti, DateTimeOffset Iat)
{
    /// <summary>The proof is wrong (RFC 9449 §5, §7.1).</summary>
    public const string InvalidProof = "invalid_dpop_proof";

    /// <summary>The proof lacks the server's current nonce (RFC 9449 §8, §9).</summary>
    public const string UseNonce = "use_dpop_nonce";

    internal static DpopProofResult Fail(string rule, string message, string error = InvalidProof) => new(false, rule, error, message, null, null, default);
}

/// <summary>
/// Checks a DPoP proof (RFC 9449 §4.3) without side effects: structure, <c>typ</c> <c>dpop+jwt</c>, <c>alg</c> PS256 or
/// ES256 only (FAPI 2.0), a public <c>jwk</c> (RSA ≥ 2048 bits or EC P-256), the signature with that key, then the claims
/// <c>jti htm htu iat</c> (+ <c>ath</c> with an access token), the key against the token's binding and the nonce.
/// The first failure is reported, with a message a developer can act on. Replay (<c>jti</c> seen before) is the
/// caller's business: it owns the store.
/// </summary>
public sealed class DpopProofValidator(TimeProvider time, DpopProofValidator.Window? window = null) : IDisposable
{
    /// <summary>How old (<see cref="Lifetime"/>) and how far in the future (<see cref="ClockSkew"/>) a proof's <c>iat</c> may be.</summary>
    public sealed record Window(TimeSpan Lifetime, TimeSpan ClockSkew)
    {
        /// <summary>60 s old to 10 s ahead.</summary>
        public static readonly Window Default = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10));
    }

    /// <summary>The <c>WWW-Authenticate</c> <c>algs</c> value and discovery's list.</summary>
    public static readonly string Algorithms = string.Join(' ', MessageSigning.DpopAlgorithms);

    private const int MaxProofLength = 8 * 1024;
    private const int MaxJtiLength = 128;
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    private readonly Window _window = window ?? Window.Default;

    // Importing a public key costs more than verifying with it (about 2:1 for P-256 on OpenSSL), and a client signs
    // every proof with the same key: imported keys are kept by thumbprint (the thumbprint covers every member that
    // defines the key, so equal thumbprints are the same key). Verification with a shared instance is safe across
    // threads, as Microsoft.IdentityModel's signature providers rely on. Never disposed on eviction: a request may
    // still be verifying with it; the finaliser frees it.
    private readonly MemoryCache _keys = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    /// <summary>The window in force; a replay cache keeps a proof until <c>iat</c> + lifetime + skew.</summary>
    public Window ProofWindow => _window;

    /// <summary>Checks <paramref name="request"/>'s proof; see the class summary for the order.</summary>
    public DpopProofResult Validate(DpopProofRequest request)
    {
        var proof = request.Proof;
        if (proof.Length > MaxProofLength)
        {
            return DpopProofResult.Fail(RefusalRules.DpopMalformed, $"The DPoP proof is longer than {MaxProofLength} characters.");
        }

        var firstDot = proof.IndexOf('.');
        var secondDot = firstDot < 0 ? -1 : proof.IndexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot < 0 || secondDot == firstDot + 1 || secondDot == proof.Length - 1 || proof.IndexOf('.', secondDot + 1) >= 0)
        {
            return DpopProofResult.Fail(RefusalRules.DpopMalformed, "The DPoP proof must be a signed JWT in compact form: header.payload.signature.");
        }

        if (!TryParseObject(proof.AsSpan(0, firstDot), out var header) || !TryParseObject(proof.AsSpan(firstDot + 1, secondDot - firstDot - 1), out var claims))
        {
            return DpopProofResult.Fail(RefusalRules.DpopMalformed, "The DPoP proof's header and payload must be base64url-encoded JSON objects.");
        }

        using (header)
        using (claims)
        {
            var head = header.RootElement;
            if (String(head, "typ") is not { } typ || !string.Equals(typ, "dpop+jwt", StringComparison.OrdinalIgnoreCase))
            {
                return DpopProofResult.Fail(RefusalRules.DpopMalformed, "The DPoP proof's header must have \"typ\": \"dpop+jwt\".");
            }

            var alg = String(head, "alg");
            if (alg is not ("PS256" or "ES256"))
            {
                return DpopProofResult.Fail(RefusalRules.DpopMalformed, $"The DPoP proof's alg is '{alg ?? "(absent)"}'; use PS256 or ES256.");
            }

            if (!head.TryGetProperty("jwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object)
            {
                return DpopProofResult.Fail(RefusalRules.DpopMalformed, "The DPoP proof's header must carry the public key as a JSON object in \"jwk\".");
            }

            var key = ReadPublicKey(jwk, alg, out var keyProblem);
            if (key is null)
            {
                return DpopProofResult.Fail(RefusalRules.DpopMalformed, keyProblem!);
            }

            if (!VerifySignature(proof, secondDot, key))
            {
                return DpopProofResult.Fail(RefusalRules.DpopMalformed, $"The DPoP proof's signature does not verify with its own jwk ({alg}).");
            }

            return CheckClaims(request, claims.RootElement, key.Thumbprint);
        }
    }

    private DpopProofResult CheckClaims(DpopProofRequest request, JsonElement claims, string jkt)
    {
        var jti = String(claims, "jti");
        var htm = String(claims, "htm");
        var htu = String(claims, "htu");
        var hasIat = claims.TryGetProperty("iat", out var iatElement) && iatElement.ValueKind == JsonValueKind.Number;
        var ath = String(claims, "ath");
        string? missing = string.IsNullOrEmpty(jti) ? "jti" : htm is null ? "htm" : htu is null ? "htu" : !hasIat ? "iat"
            : request.AccessToken is not null && ath is null ? "ath" : null;
        if (missing is not null)
        {
            return DpopProofResult.Fail($"{RefusalRules.DpopMissingClaim}:{missing}",
                $"The DPoP proof lacks the '{missing}' claim" + (missing == "iat" ? " (a JSON number of seconds since 1970)." : "."));
        }

        if (jti!.Length > MaxJtiLength)
        {
            return DpopProofResult.Fail(RefusalRules.DpopMalformed, $"The DPoP proof's jti is longer than {MaxJtiLength} characters.");
        }

        if (!string.Equals(htm, request.Method, StringComparison.Ordinal))
        {
            return DpopProofResult.Fail(RefusalRules.DpopHtm, $"The DPoP proof's htm is '{htm}'; this request is '{request.Method}'.");
        }

        var normalisedHtu = NormaliseUri(htu!, request.HtuPathOnly);
        if (normalisedHtu is null || !request.Uris.Any(uri => string.Equals(NormaliseUri(uri, request.HtuPathOnly), normalisedHtu, StringComparison.Ordinal)))
        {
            return DpopProofResult.Fail(RefusalRules.DpopHtu, $"The DPoP proof's htu is '{htu}'; this request is '{request.Uris[0]}' (compared without query or fragment).");
        }

        // A fractional iat is allowed by JWT's NumericDate; whole seconds are enough for the window.
        var iatSeconds = iatElement.TryGetInt64(out var whole) ? whole : (long)Math.Floor(Math.Clamp(iatElement.GetDouble(), 0, 253402300799));

        var now = time.GetUtcNow();
        var iat = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(iatSeconds, 0, 253402300799));
        if (iat < now - _window.Lifetime || iat > now + _window.ClockSkew)
        {
            return DpopProofResult.Fail(RefusalRules.DpopIat,
                $"The DPoP proof's iat is {iatSeconds}, {(long)(iat - now).TotalSeconds:+#;-#;0} s from the server's clock ({now.ToUnixTimeSeconds()}); make a fresh proof for each request (accepted: {(int)_window.Lifetime.TotalSeconds} s old to {(int)_window.ClockSkew.TotalSeconds} s ahead).");
        }

        if (request.AccessToken is not null && !string.Equals(ath, AccessTokenHash(request.AccessToken), StringComparison.Ordinal))
        {
            return DpopProofResult.Fail(RefusalRules.DpopAth, "The DPoP proof's ath is not the base64url SHA-256 of this access token.");
        }

        if (request.BoundJkt is not null && !string.Equals(request.BoundJkt, jkt, StringComparison.Ordinal))
        {
            return DpopProofResult.Fail(RefusalRules.DpopJkt, $"The DPoP proof's key (thumbprint {jkt}) is not the key this access token is bound to (cnf.jkt {request.BoundJkt}).");
        }

        if (request.NonceIsValid is { } nonceIsValid && (String(claims, "nonce") is not { } nonce || !nonceIsValid(nonce)))
        {
            return DpopProofResult.Fail(RefusalRules.DpopNonce, "Put the server's DPoP-Nonce header value in the proof's nonce claim.", DpopProofResult.UseNonce);
        }

        return new DpopProofResult(true, null, null, null, jkt, jti, iat);
    }

    /// <summary>The <c>ath</c> of a token: base64url(SHA-256(ASCII token)).</summary>
    public static string AccessTokenHash(string accessToken)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes(accessToken), hash);
        return Base64Url.EncodeToString(hash);
    }

    /// <summary>The replay-cache key of a proof: the first 16 bytes of SHA-256(<c>jkt</c> + "." + <c>jti</c>).</summary>
    public static byte[] ReplayKey(string jkt, string jti)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(jkt + "." + jti), hash);
        return hash[..16].ToArray();
    }

    /// <summary>
    /// RFC 3986 §6.2.2–6.2.3 normalisation of an <c>htu</c>: scheme and host lower-case, default port dropped, empty
    /// path "/", percent-encoding of unreserved characters decoded; query and fragment removed. Null if not an absolute http(s) URI.
    /// </summary>
    public static string? NormaliseUri(string value, bool pathOnly = false)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }

        return uri.GetComponents((pathOnly ? 0 : UriComponents.SchemeAndServer) | UriComponents.Path, UriFormat.SafeUnescaped);
    }

    private sealed record ProofKey(string Kty, string Thumbprint, RSAParameters? Rsa, ECParameters? Ec);

    private static ProofKey? ReadPublicKey(JsonElement jwk, string alg, out string? problem)
    {
        problem = null;
        foreach (var member in PrivateMembers)
        {
            if (jwk.TryGetProperty(member, out _))
            {
                problem = $"The DPoP proof's jwk holds the private member '{member}'; send only the public key.";
                return null;
            }
        }

        var kty = String(jwk, "kty");
        if (alg == "PS256")
        {
            if (kty != "RSA" || String(jwk, "n") is not { } n || String(jwk, "e") is not { } e
                || !TryDecode(n, out var modulus) || !TryDecode(e, out var exponent))
            {
                problem = "alg PS256 needs an RSA jwk with base64url 'n' and 'e'.";
                return null;
            }

            var bits = (modulus.Length - (modulus.Length > 0 && modulus[0] == 0 ? 1 : 0)) * 8;
            if (bits < 2048)
            {
                problem = $"The DPoP proof's RSA key has {bits} bits; use at least 2048.";
                return null;
            }

            return new ProofKey("RSA", JwkThumbprint.Rsa(n, e),
                new RSAParameters { Modulus = modulus, Exponent = exponent }, null);
        }

        if (kty != "EC" || String(jwk, "crv") != "P-256" || String(jwk, "x") is not { } x || String(jwk, "y") is not { } y
            || !TryDecode(x, out var xBytes) || !TryDecode(y, out var yBytes) || xBytes.Length != 32 || yBytes.Length != 32)
        {
            problem = "alg ES256 needs an EC jwk on crv P-256 with 32-byte base64url 'x' and 'y'.";
            return null;
        }

        return new ProofKey("EC", JwkThumbprint.Ec("P-256", x, y), null,
            new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = xBytes, Y = yBytes } });
    }

    private bool VerifySignature(string proof, int secondDot, ProofKey key)
    {
        if (!TryDecode(proof.AsSpan(secondDot + 1), out var signature))
        {
            return false;
        }

        var signingInput = Encoding.ASCII.GetBytes(proof, 0, secondDot);
        try
        {
            var verifier = _keys.GetOrCreate(key.Thumbprint, entry =>
            {
                entry.Size = 1;
                entry.SlidingExpiration = TimeSpan.FromMinutes(10);
                return key.Rsa is { } rsa ? (AsymmetricAlgorithm)RSA.Create(rsa) : ECDsa.Create(key.Ec!.Value);
            })!;

            // JWS ES256 signatures are r ‖ s (IEEE P1363), .NET's default format for ECDsa.
            return verifier is RSA publicRsa
                ? publicRsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)
                : ((ECDsa)verifier).VerifyData(signingInput, signature, HashAlgorithmName.SHA256);
        }
        catch (CryptographicException)
        {
            // A point not on the curve, an exponent the platform refuses: the proof cannot verify.
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _keys.Dispose();

    private static bool TryParseObject(ReadOnlySpan<char> part, out JsonDocument document)
    {
        document = null!;
        if (!TryDecode(part, out var bytes))
        {
            return false;
        }

        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            return false;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return false;
        }

        return true;
    }

    private static bool TryDecode(ReadOnlySpan<char> base64Url, out byte[] bytes)
    {
        bytes = [];
        if (base64Url.IsEmpty || base64Url.ContainsAny('=', '+', '/'))
        {
            return false;
        }

        try
        {
            bytes = Base64Url.DecodeFromChars(base64Url);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string? String(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
