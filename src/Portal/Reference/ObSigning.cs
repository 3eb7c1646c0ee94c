using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenBanking.Portal.Reference;

// Everything between the snippet markers is shown, as it is, in the C# quickstart (Quickstart.CSharpSigning reads this
// file, embedded in the assembly): the code partners copy is the code the try-it console runs and the tests verify.
// <snippet>
/// <summary>Open Banking message signing (x-jws-signature) and DPoP proofs (RFC 9449) with .NET's own cryptography.</summary>
public static class ObSigning
{
    public const string IatClaim = "http://openbanking.org.uk/iat";
    public const string IssClaim = "http://openbanking.org.uk/iss";
    public const string TanClaim = "http://openbanking.org.uk/tan";

    // JSON as written by hand ("dpop+jwt", not "dpop\u002Bjwt"): both parse the same, this one reads better in logs.
    private static readonly JsonSerializerOptions Plain = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The public half of an RSA signing key as a JWK set, to add to the app's message-signing keys.</summary>
    public static string PublicJwks(RSA key, string kid)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA", ["kid"] = kid, ["use"] = "sig", ["alg"] = "PS256",
            ["n"] = Base64Url(parameters.Modulus!), ["e"] = Base64Url(parameters.Exponent!),
        };
        return new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString(Plain);
    }

    /// <summary>
    /// The x-jws-signature of a request: a detached JWS (PS256) over the body bytes exactly as sent. The header carries
    /// the three Open Banking claims, all listed in crit; no b64 (removed in v3.1.4).
    /// </summary>
    public static string SignBody(ReadOnlySpan<byte> body, RSA key, string kid, string organisationId, string clientId, DateTimeOffset? now = null)
    {
        var header = new JsonObject
        {
            ["alg"] = "PS256",
            ["kid"] = kid,
            ["typ"] = "JOSE",
            ["cty"] = "application/json",
            [IatClaim] = (now ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
            [IssClaim] = $"{organisationId}/{clientId}",
            [TanClaim] = "openbanking.org.uk",
            ["crit"] = new JsonArray(IatClaim, IssClaim, TanClaim),
        };
        var encodedHeader = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString(Plain)));
        var signingInput = Encoding.ASCII.GetBytes(encodedHeader + "." + Base64Url(body));
        var signature = key.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        // Detached: the payload part stays empty; the bank reads the body itself.
        return encodedHeader + ".." + Base64Url(signature);
    }

    /// <summary>
    /// A DPoP proof (ES256) for one request: htm and htu name it (no query or fragment), a fresh jti, and ath (the
    /// token's SHA-256) whenever an access token is sent with it; nonce when the server asked for one.
    /// </summary>
    public static string DpopProof(ECDsa key, string method, Uri url, string? accessToken = null, string? nonce = null, DateTimeOffset? now = null)
    {
        var header = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = "ES256", ["jwk"] = PublicJwk(key) };
        var claims = new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString(),
            ["htm"] = method,
            ["htu"] = url.GetLeftPart(UriPartial.Path),
            ["iat"] = (now ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
        };
        if (accessToken is not null)
        {
            claims["ath"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
        }

        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString(Plain))) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString(Plain)));
        // .NET signs ECDSA as r‖s (IEEE P1363), the form JWS wants.
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>The public EC key of the proofs, as the proof's jwk header carries it.</summary>
    public static JsonObject PublicJwk(ECDsa key)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url(parameters.Q.X!), ["y"] = Base64Url(parameters.Q.Y!) };
    }

    /// <summary>The key's RFC 7638 thumbprint (jkt): the DPoP-bound token's cnf.jkt and the call log's DPoP key.</summary>
    public static string Thumbprint(ECDsa key)
    {
        var jwk = PublicJwk(key);
        var canonical = $$"""{"crv":"P-256","kty":"EC","x":"{{jwk["x"]}}","y":"{{jwk["y"]}}"}""";
        return Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
// </snippet>
