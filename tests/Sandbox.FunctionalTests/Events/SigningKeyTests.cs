using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenBanking.Sandbox.Events;
using OpenBanking.Sandbox.Signing;

namespace OpenBanking.Sandbox.FunctionalTests.Events;

/// <summary>The bank's SET-signing keys as partners see them: the published JWKS and a rotation that breaks no SET.</summary>
public sealed class SigningKeyTests : IDisposable
{
    private readonly SandboxFactory _factory = EventsTesting.Host();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task TheJwks_PublishesPs256SigningKeys_WithTheirPublicPartsOnly()
    {
        using var client = _factory.CreateClient();
        using var response = await client.GetAsync(SigningApi.JwksPath, _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jwk-set+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_ct));
        var key = Assert.Single(document.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal(["alg", "e", "kid", "kty", "n", "use"], key.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(("RSA", "sig", "PS256"), (key.GetProperty("kty").GetString(), key.GetProperty("use").GetString(), key.GetProperty("alg").GetString()));
    }

    [Fact]
    public async Task ARotation_PublishesTheNewKeyBeforeItSigns_AndKeepsTheOldOne_SoASetSignedBeforeStillVerifies()
    {
        var tokens = _factory.Services.GetRequiredService<SecurityEventTokens>();
        var keys = _factory.Services.GetRequiredService<BankSigningKeys>();
        var before = await tokens.SignAsync(Claims(), _ct);

        using var identity = new SandboxClient(_factory).Client(SandboxFactory.InternalToken());
        using var rotated = await identity.PostAsync("/internal/signing-keys/rotate", null, _ct);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var next = JsonDocument.Parse(await rotated.Content.ReadAsStringAsync(_ct)).RootElement.EnumerateObject()
            .Single(p => p.Name.Equals("kid", StringComparison.OrdinalIgnoreCase)).Value.GetString()!;

        // Published at once, but not yet signing: partners have the publish lead to refetch the JWKS.
        var published = await EventsTesting.JwksAsync(_factory);
        Assert.Equal(new[] { before.Kid, next }.Order(), published.Keys.Select(k => k.Kid).Order());
        Assert.Equal(before.Kid, (await tokens.SignAsync(Claims(), _ct)).Kid);

        // Once the lead has passed the new key signs; the old one stays published for the SETs it signed.
        _factory.Clock.Offset += _factory.Services.GetRequiredService<IOptions<SigningOptions>>().Value.PublishLead + TimeSpan.FromMinutes(1);
        keys.Refresh();
        var after = await tokens.SignAsync(Claims(), _ct);
        Assert.Equal(next, after.Kid);
        var jwks = await EventsTesting.JwksAsync(_factory);
        Assert.Contains(jwks.Keys, k => k.Kid == before.Kid);
        await EventsTesting.VerifyAsync(_factory, before.Token, jwks, "wallet-keys");
        await EventsTesting.VerifyAsync(_factory, after.Token, jwks, "wallet-keys");
        Assert.Equal(before.Kid, new JsonWebToken(before.Token).Kid);
    }

    private SetClaims Claims()
    {
        var url = "http://localhost:5002/open-banking/v3.1/pisp/domestic-payments/dp-1";
        var now = _factory.Clock.GetUtcNow();
        return new SetClaims(Guid.NewGuid().ToString(), "wallet-keys", EventTypes.ResourceUpdate, "domestic-payment", "dp-1", url,
            [new SetLink("v3.1", url)], "dp-1:1", now, now);
    }
}
