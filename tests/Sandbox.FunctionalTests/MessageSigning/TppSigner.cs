using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jose;
using OpenBanking.Shared;
using ObSigning = OpenBanking.Shared.MessageSigning;

namespace OpenBanking.Sandbox.FunctionalTests.MessageSigning;

/// <summary>
/// A TPP's message-signing key and its detached JWS, made with jose-jwt (not the bank's code), so a test signs as an
/// independent client would. <see cref="Sign"/> takes header changes for the refusal tests.
/// </summary>
public sealed class TppSigner(string clientId, string organisationId, string kid = "k1") : IDisposable
{
    public RSA Key { get; } = RSA.Create(2048);

    public string Kid { get; } = kid;

    public string ClientId { get; } = clientId;

    public string OrganisationId { get; } = organisationId;

    /// <summary>The app's profile holding this key (and any others), as Identity would give it.</summary>
    public AppSecurityProfile Profile(bool requireSignedRequests = true, params TppSigner[] others)
    {
        var keys = new JsonArray(PublicJwk());
        foreach (var other in others)
        {
            keys.Add(other.PublicJwk());
        }

        return new AppSecurityProfile(ClientId, OrganisationId, requireSignedRequests, false,
            JsonSerializer.SerializeToElement(new JsonObject { ["keys"] = keys }), DateTimeOffset.UtcNow);
    }

    public JsonObject PublicJwk()
    {
        var parameters = Key.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["kid"] = Kid,
            ["use"] = "sig",
            ["alg"] = "PS256",
            ["n"] = Base64Url.Encode(parameters.Modulus),
            ["e"] = Base64Url.Encode(parameters.Exponent),
        };
    }

    /// <summary>The Open Banking header this app should send.</summary>
    public Dictionary<string, object> Header() => new()
    {
        ["kid"] = Kid,
        ["typ"] = "JOSE",
        ["cty"] = "application/json",
        [ObSigning.IatClaim] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        [ObSigning.IssClaim] = $"{OrganisationId}/{ClientId}",
        [ObSigning.TanClaim] = "openbanking.org.uk",
        ["crit"] = new[] { ObSigning.IatClaim, ObSigning.IssClaim, ObSigning.TanClaim },
    };

    /// <summary>jose-jwt's detached PS256 JWS over the body bytes, the header changed by <paramref name="change"/>.</summary>
    public string Sign(string body, Action<Dictionary<string, object>>? change = null, JwsAlgorithm algorithm = JwsAlgorithm.PS256)
    {
        var header = Header();
        change?.Invoke(header);
        return JWT.EncodeBytes(Encoding.UTF8.GetBytes(body), Key, algorithm, extraHeaders: header, options: new JwtOptions { DetachPayload = true });
    }

    /// <summary>A detached JWS with exactly <paramref name="header"/> (jose-jwt always adds <c>alg</c>), signed PS256 by hand.</summary>
    public string SignRaw(string body, JsonObject header)
    {
        var encodedHeader = Base64Url.Encode(Encoding.UTF8.GetBytes(header.ToJsonString()));
        var input = Encoding.ASCII.GetBytes(encodedHeader + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(body)));
        return encodedHeader + ".." + Base64Url.Encode(Key.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    public void Dispose() => Key.Dispose();
}
