using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>FAPI 2.0 signing: PS256 by default, ES256 by configuration, never RS256; keys generated before keep working.</summary>
public sealed class SigningAlgorithmTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Es256_WhenConfigured_SignsTokensWithAP256Key_AndDiscoverySaysSo()
    {
        using var factory = new ServiceFactory<Program>().WithSetting("Identity:SigningAlgorithm", "ES256");
        using var client = factory.CreateClient();

        var discovery = await client.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration", _ct);
        var jwks = new JsonWebKeySet(await client.GetStringAsync("/.well-known/jwks", _ct));
        var token = await ClientTokenAsync(client);

        Assert.Equal(["ES256"], discovery.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(a => a.GetString()));
        var key = Assert.Single(jwks.Keys);
        Assert.Equal(("EC", "P-256", "ES256"), (key.Kty, key.Crv, key.Alg));
        Assert.Equal("ES256", new JsonWebToken(token).Alg);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "http://localhost:5001/",
            ValidateAudience = false,
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task AnRsaSigningKeyGeneratedBefore_KeepsItsKeyId_AndNowSignsWithPs256()
    {
        using var factory = new ServiceFactory<Program>();
        var keys = Path.Combine(factory.DataDirectory, "keys");
        Directory.CreateDirectory(keys);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=OpenBanking Identity Signing", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        using var existing = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(2));
        await File.WriteAllBytesAsync(Path.Combine(keys, "signing.pfx"), existing.Export(X509ContentType.Pkcs12), _ct);
        using var client = factory.CreateClient();

        var jwks = new JsonWebKeySet(await client.GetStringAsync("/.well-known/jwks", _ct));
        var token = new JsonWebToken(await ClientTokenAsync(client));

        var key = Assert.Single(jwks.Keys);
        Assert.Equal("PS256", key.Alg);
        Assert.Equal(Base64UrlEncoder.Encode(rsa.ExportParameters(false).Modulus), key.N);
        Assert.Equal(("PS256", key.Kid), (token.Alg, token.Kid));
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("none")]
    public void AnotherSigningAlgorithm_StopsStartup_NamingTheSetting(string algorithm)
    {
        using var factory = new ServiceFactory<Program>().WithSetting("Identity:SigningAlgorithm", algorithm);

        var error = Assert.ThrowsAny<Exception>(() => factory.Server);

        Assert.Contains("Identity:SigningAlgorithm", error.ToString());
    }

    private async Task<string> ClientTokenAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "accounts" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo-wallet:demo-wallet-secret")));
        using var response = await client.SendAsync(request, _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("access_token").GetString()!;
    }
}
