using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Jose;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Reference;

namespace OpenBanking.Portal.ComponentTests.Signing;

/// <summary>
/// The signing helper the quickstart shows (its own source) and the try-it console runs: what it produces is checked
/// with jose-jwt, a JOSE library the Portal does not use, and against the Open Banking and RFC 9449 rules.
/// </summary>
public sealed class ObSigningTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"Data":{"Initiation":{"InstructedAmount":{"Amount":"10.00","Currency":"GBP"}}},"Risk":{}}""");

    [Fact]
    public void SignBody_IsADetachedPs256Jws_ThatJoseJwtVerifiesOverTheBodyBytes_WithTheOpenBankingHeader()
    {
        using var key = RSA.Create(2048);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);

        var jws = ObSigning.SignBody(Body, key, "key-1", "org-1", "app_abc", now);

        var parts = jws.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.Empty(parts[1]);
        // jose-jwt verifies the detached signature over the body as sent (PS256, the public key only).
        using var publicKey = RSA.Create(key.ExportParameters(false));
        Assert.Equal(Body, VerifyDetached(jws, publicKey, Body));
        Assert.ThrowsAny<Exception>(() => VerifyDetached(jws, publicKey, [.. Body, (byte)' ']));

        using var header = JsonDocument.Parse(Base64Url.Decode(parts[0]));
        var members = header.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(
            ["alg", "crit", "cty", "http://openbanking.org.uk/iat", "http://openbanking.org.uk/iss", "http://openbanking.org.uk/tan", "kid", "typ"],
            members.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("PS256", members["alg"].GetString());
        Assert.Equal("key-1", members["kid"].GetString());
        Assert.Equal("JOSE", members["typ"].GetString());
        Assert.Equal("application/json", members["cty"].GetString());
        Assert.Equal(JsonValueKind.Number, members["http://openbanking.org.uk/iat"].ValueKind);
        Assert.Equal(1_790_000_000, members["http://openbanking.org.uk/iat"].GetInt64());
        Assert.Equal("org-1/app_abc", members["http://openbanking.org.uk/iss"].GetString());
        Assert.Equal("openbanking.org.uk", members["http://openbanking.org.uk/tan"].GetString());
        Assert.Equal(["http://openbanking.org.uk/iat", "http://openbanking.org.uk/iss", "http://openbanking.org.uk/tan"],
            members["crit"].EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void PublicJwks_HoldsThePublicHalfOnly_AndVerifiesTheSignature()
    {
        using var key = RSA.Create(2048);
        var jws = ObSigning.SignBody(Body, key, "key-2", "org-1", "app_abc");

        using var set = JsonDocument.Parse(ObSigning.PublicJwks(key, "key-2"));
        var jwk = Assert.Single(set.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal(["alg", "e", "kid", "kty", "n", "use"], jwk.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        using var fromJwk = RSA.Create(new RSAParameters
        {
            Modulus = Base64Url.Decode(jwk.GetProperty("n").GetString()!),
            Exponent = Base64Url.Decode(jwk.GetProperty("e").GetString()!),
        });
        Assert.Equal(Body, VerifyDetached(jws, fromJwk, Body));
    }

    [Fact]
    public void DpopProof_IsAnEs256DpopJwt_ThatJoseJwtVerifiesWithItsOwnJwk_WithHtmHtuIatJtiAndAth()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        const string token = "eyJhbGciOiJQUzI1NiJ9.e30.c2ln";
        var now = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);

        var proof = ObSigning.DpopProof(key, "POST", new Uri("https://gateway.example/open-banking/v3.1/pisp/domestic-payment-consents?x=1#f"), token, "n-1", now);

        var header = JWT.Headers(proof);
        Assert.Equal("dpop+jwt", header["typ"]);
        Assert.Equal("ES256", header["alg"]);
        using var jwk = JsonDocument.Parse(JsonSerializer.Serialize(header["jwk"]));
        Assert.DoesNotContain(jwk.RootElement.EnumerateObject(), p => p.Name == "d");
        using var fromJwk = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.Decode(jwk.RootElement.GetProperty("x").GetString()!), Y = Base64Url.Decode(jwk.RootElement.GetProperty("y").GetString()!) },
        });
        using var claims = JsonDocument.Parse(JWT.Decode(proof, fromJwk, JwsAlgorithm.ES256));
        var c = claims.RootElement;
        Assert.Equal("POST", c.GetProperty("htm").GetString());
        Assert.Equal("https://gateway.example/open-banking/v3.1/pisp/domestic-payment-consents", c.GetProperty("htu").GetString());
        Assert.Equal(1_790_000_000, c.GetProperty("iat").GetInt64());
        Assert.True(Guid.TryParse(c.GetProperty("jti").GetString(), out _));
        Assert.Equal(Base64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(token))), c.GetProperty("ath").GetString());
        Assert.Equal("n-1", c.GetProperty("nonce").GetString());

        // RFC 7638: SHA-256 of {"crv","kty","x","y"} in that order, computed here independently.
        var canonical = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{jwk.RootElement.GetProperty("x").GetString()}\",\"y\":\"{jwk.RootElement.GetProperty("y").GetString()}\"}}";
        Assert.Equal(Base64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), ObSigning.Thumbprint(key));
    }

    [Fact]
    public void AProofForTheTokenEndpoint_HasNoAth_AndEachProofItsOwnJti()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var url = new Uri("https://identity.example/connect/token");

        var first = JsonDocument.Parse(JWT.Payload(ObSigning.DpopProof(key, "POST", url))).RootElement;
        var second = JsonDocument.Parse(JWT.Payload(ObSigning.DpopProof(key, "POST", url))).RootElement;

        Assert.False(first.TryGetProperty("ath", out _));
        Assert.False(first.TryGetProperty("nonce", out _));
        Assert.NotEqual(first.GetProperty("jti").GetString(), second.GetProperty("jti").GetString());
    }

    [Fact]
    public void TheQuickstart_ShowsTheHelpersOwnSource_WithTheAppsValues()
    {
        var quickstart = new Quickstart("app_abc", new Uri("https://identity.example/"), new Uri("https://gateway.example/"), "https://wallet.example/cb")
        {
            OrganisationId = "org-1",
            RequireSignedRequests = true,
        };

        var sample = quickstart.CSharpSigning;

        var source = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Portal", "Reference", "ObSigning.cs")).ReplaceLineEndings("\n");
        var helper = source[(source.IndexOf("// <snippet>\n", StringComparison.Ordinal) + 13)..source.IndexOf("// </snippet>", StringComparison.Ordinal)].TrimEnd();
        Assert.Contains(helper, sample.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("var clientId = \"app_abc\";", sample);
        Assert.Contains("var organisationId = \"org-1\";", sample);
        Assert.Contains("new Uri(\"https://identity.example/connect/token\")", sample);
        Assert.Contains("new Uri(\"https://gateway.example/open-banking/v3.1/pisp/domestic-payment-consents\")", sample);
        Assert.Contains("signed requests REQUIRED", sample);
        Assert.Contains("use_dpop_nonce", sample);
        Assert.Contains("new AuthenticationHeaderValue(\"DPoP\", accessToken)", sample);
        Assert.DoesNotContain("using OpenBanking", sample);
    }

    private static byte[] VerifyDetached(string jws, RSA key, byte[] body) => JWT.VerifyBytes(jws, key, JwsAlgorithm.PS256, null, body);

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Directory.Packages.props")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found above the test's folder.");
    }
}
