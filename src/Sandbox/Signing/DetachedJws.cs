using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Sandbox.Platform;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Signing;

/// <summary>
/// The bank's <c>x-jws-signature</c>: a detached compact JWS (<c>header..signature</c>) over the raw body bytes, PS256,
/// with the Open Banking header (<c>iat</c>, <c>iss</c>, <c>tan</c> listed in <c>crit</c>; no <c>b64</c>). Built by hand
/// rather than with a JWT library: those add registered claims and cannot leave the payload out.
/// </summary>
public sealed class DetachedJws(BankSigningKeys keys, IOptions<MessageSigningOptions> options, TimeProvider clock)
{
    public async Task<string> SignAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var key = await keys.ActiveAsync(cancellationToken);
        var rsa = ((RsaSecurityKey)key.Credentials.Key).Rsa;
        var settings = options.Value;

        using var headerJson = new MemoryStream();
        using (var writer = new Utf8JsonWriter(headerJson))
        {
            writer.WriteStartObject();
            writer.WriteString("alg", MessageSigning.Algorithm);
            writer.WriteString("kid", key.Kid);
            writer.WriteString("typ", "JOSE");
            writer.WriteString("cty", "application/json");
            writer.WriteNumber(MessageSigning.IatClaim, clock.GetUtcNow().ToUnixTimeSeconds());
            writer.WriteString(MessageSigning.IssClaim, settings.BankOrganisationId);
            writer.WriteString(MessageSigning.TanClaim, settings.AcceptedTrustAnchors[0]);
            writer.WriteStartArray("crit");
            foreach (var claim in MessageSigning.CriticalClaims)
            {
                writer.WriteStringValue(claim);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var header = Base64Url.EncodeToString(headerJson.ToArray());
        var signature = rsa.SignData(SigningInput(header, body.Span), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return $"{header}..{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>What is signed: <c>BASE64URL(header) || '.' || BASE64URL(body)</c> (RFC 7515 §5.1, payload not sent).</summary>
    public static byte[] SigningInput(string encodedHeader, ReadOnlySpan<byte> body)
    {
        var encodedBody = Base64Url.EncodeToString(body);
        return Encoding.ASCII.GetBytes(encodedHeader + "." + encodedBody);
    }
}
