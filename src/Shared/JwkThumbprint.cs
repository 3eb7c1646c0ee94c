using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OpenBanking.Shared;

/// <summary>
/// RFC 7638 JWK thumbprints (SHA-256, base64url): the bank's key ids, partners' message-signing key fingerprints and
/// DPoP's <c>jkt</c>. The canonical JSON holds the required members in lexicographic order with no whitespace; the
/// values are base64url or fixed names, so none needs escaping.
/// </summary>
public static class JwkThumbprint
{
    /// <summary>Of an RSA public key, from its base64url <c>n</c> and <c>e</c>.</summary>
    public static string Rsa(string n, string e) => Of($"{{\"e\":\"{e}\",\"kty\":\"RSA\",\"n\":\"{n}\"}}");

    /// <summary>Of an EC public key, from its curve and base64url <c>x</c> and <c>y</c>.</summary>
    public static string Ec(string crv, string x, string y) => Of($"{{\"crv\":\"{crv}\",\"kty\":\"EC\",\"x\":\"{x}\",\"y\":\"{y}\"}}");

    private static string Of(string canonicalJson)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJson), hash);
        return Base64Url.EncodeToString(hash);
    }
}
