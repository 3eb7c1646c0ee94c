using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenBanking.Identity.Clients;

namespace OpenBanking.Identity.UnitTests;

/// <summary>The rules of an app's message-signing key set, and the canonical form it is stored and listed in.</summary>
public sealed class MessageSigningKeysTests
{
    private readonly ClientValidation _check = new(allowLoopbackHttp: false);

    [Fact]
    public void Absent_OrNull_MeansNoChange()
    {
        Assert.Null(_check.MessageSigningJwks(null));
        Assert.Null(_check.MessageSigningJwks(JsonSerializer.SerializeToElement<object?>(null)));
        Assert.True(_check.IsValid);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"keys\":{}}")]
    public void NotAKeySet_IsRefused(string json)
    {
        Assert.Null(_check.MessageSigningJwks(JsonDocument.Parse(json).RootElement));

        Assert.Equal(["The message-signing keys must be a JSON Web Key Set: an object with a 'keys' array."], _check.Errors["messageSigningJwks"]);
    }

    [Fact]
    public void AnEmptySet_RemovesEveryKey_ButMoreThanFive_IsRefused()
    {
        using var rsa = RSA.Create(2048);
        var empty = _check.MessageSigningJwks(Set());
        Assert.True(_check.IsValid);
        Assert.Equal(0, empty!.Value.GetProperty("keys").GetArrayLength());

        var six = Set(Enumerable.Range(1, 6).Select(i => Jwk(rsa, $"k{i}")).ToArray());
        var other = new ClientValidation(allowLoopbackHttp: false);
        Assert.Null(other.MessageSigningJwks(six));
        Assert.Equal(["Give at most 5 message-signing keys; this set has 6."], other.Errors["messageSigningJwks"]);
    }

    [Fact]
    public void NotBase64Url_OrAnEvenExponent_IsRefused()
    {
        using var rsa = RSA.Create(2048);
        var badModulus = Jwk(rsa, "k1");
        badModulus["n"] = "not+base64/url=";
        var evenExponent = Jwk(rsa, "k2");
        evenExponent["e"] = "AQAA";

        Assert.Null(_check.MessageSigningJwks(Set(badModulus, evenExponent)));

        Assert.Equal(["Key 1 ('k1'): Its 'n' and 'e' must be base64url-encoded (an RSA public key)."], _check.Errors["messageSigningJwks.keys[0]"]);
        Assert.Equal(["Key 2 ('k2'): Its public exponent 'e' is not a valid RSA exponent."], _check.Errors["messageSigningJwks.keys[1]"]);
    }

    [Fact]
    public void AValidSet_IsStoredWithOnlyItsPublicRsaMembers_LeadingZerosDropped_AndListedWithItsThumbprint()
    {
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(false);
        var jwk = Jwk(rsa, "k1");
        jwk["n"] = B64([0, .. parameters.Modulus!]);
        jwk["x5t"] = "ignored";

        var stored = _check.MessageSigningJwks(Set(jwk));

        Assert.True(_check.IsValid);
        var key = stored!.Value.GetProperty("keys")[0];
        Assert.Equal(["kty", "kid", "use", "alg", "n", "e"], key.EnumerateObject().Select(m => m.Name));
        Assert.Equal(B64(parameters.Modulus!), key.GetProperty("n").GetString());
        var view = Assert.Single(MessageSigningKeys.Views(stored));
        Assert.Equal(2048, view.KeySize);
        var canonical = $"{{\"e\":\"{B64(parameters.Exponent!)}\",\"kty\":\"RSA\",\"n\":\"{B64(parameters.Modulus!)}\"}}";
        Assert.Equal(B64(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), view.Thumbprint);
    }

    private static JsonElement Set(params JsonObject[] keys)
        => JsonSerializer.SerializeToElement(new JsonObject { ["keys"] = new JsonArray(keys) });

    private static JsonObject Jwk(RSA rsa, string kid)
    {
        var parameters = rsa.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["kid"] = kid,
            ["use"] = "sig",
            ["alg"] = "PS256",
            ["n"] = B64(parameters.Modulus!),
            ["e"] = B64(parameters.Exponent!),
        };
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
