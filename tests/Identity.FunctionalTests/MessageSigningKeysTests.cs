using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// Message-signing keys and the signing/DPoP requirements of partner apps through the client management API, and the
/// security profile the Sandbox reads with its own read-only service client.
/// </summary>
public sealed class MessageSigningKeysTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private const string OrganisationId = "org-signing-keys-tests";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_RequiresSignedRequestsByDefault_AndListsTheKeysWithTheirRfc7638Thumbprints()
    {
        using var portal = await ClientAsync("portal-service", "portal-service-dev-secret", PlatformScopes.IdentityClients);
        using var first = RSA.Create(2048);
        using var second = RSA.Create(3072);

        using var response = await portal.PostAsJsonAsync("/internal/clients", NewClient(Jwks(Jwk(first, "k1", alg: "PS256"), Jwk(second, "k2"))), _ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var client = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("client");
        Assert.True(client.GetProperty("requireSignedRequests").GetBoolean());
        Assert.False(client.GetProperty("requireDpop").GetBoolean());
        var keys = client.GetProperty("messageSigningKeys").EnumerateArray().ToList();
        Assert.Equal(["k1", "k2"], keys.Select(k => k.GetProperty("kid").GetString()));
        Assert.Equal(["RSA", "RSA"], keys.Select(k => k.GetProperty("keyType").GetString()));
        Assert.Equal([2048, 3072], keys.Select(k => k.GetProperty("keySize").GetInt32()));
        Assert.Equal("PS256", keys[0].GetProperty("algorithm").GetString());
        Assert.Equal(JsonValueKind.Null, keys[1].GetProperty("algorithm").ValueKind);
        Assert.Equal([Thumbprint(first), Thumbprint(second)], keys.Select(k => k.GetProperty("thumbprint").GetString()));
        Assert.NotEqual(JsonValueKind.Null, client.GetProperty("messageSigningKeysUpdatedAt").ValueKind);
    }

    [Fact]
    public async Task Create_CanOptOutOfSigningAndIntoDpop()
    {
        using var portal = await ClientAsync("portal-service", "portal-service-dev-secret", PlatformScopes.IdentityClients);

        using var response = await portal.PostAsJsonAsync("/internal/clients", NewClient(requireSignedRequests: false, requireDpop: true), _ct);

        var client = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("client");
        Assert.False(client.GetProperty("requireSignedRequests").GetBoolean());
        Assert.True(client.GetProperty("requireDpop").GetBoolean());
        Assert.Empty(client.GetProperty("messageSigningKeys").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, client.GetProperty("messageSigningKeysUpdatedAt").ValueKind);
    }

    [Fact]
    public async Task Patch_WithABadKeySet_Returns400NamingEveryProblemInPlainWords_AndChangesNothing()
    {
        using var portal = await ClientAsync("portal-service", "portal-service-dev-secret", PlatformScopes.IdentityClients);
        var clientId = await CreateAsync(portal);
        using var small = RSA.Create(1024);
        using var good = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecParameters = ec.ExportParameters(false);
        var withPrivate = Jwk(good, "leaky");
        withPrivate["d"] = "AQAB";
        var set = Jwks(
            Jwk(small, "short"),
            Jwk(good, "dup"),
            Jwk(good, "dup"),
            Jwk(good, kid: null),
            Jwk(good, "wrong-alg", alg: "RS256", use: "enc"),
            new JsonObject { ["kty"] = "EC", ["kid"] = "ec", ["crv"] = "P-256", ["x"] = B64(ecParameters.Q.X!), ["y"] = B64(ecParameters.Q.Y!) },
            withPrivate);

        using var response = await portal.PatchAsJsonAsync($"/internal/clients/{clientId}", new { messageSigningJwks = set, requireSignedRequests = false }, _ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("errors");
        string[] Messages(string field) => errors.GetProperty(field).EnumerateArray().Select(m => m.GetString()!).ToArray();
        Assert.Equal(["Give at most 5 message-signing keys; this set has 7."], Messages("messageSigningJwks"));
        Assert.Equal(["Key 1 ('short'): Its modulus must have 2048 to 8192 bits; it has 1024."], Messages("messageSigningJwks.keys[0]"));
        Assert.Equal(["Key 3 ('dup'): Its 'kid' 'dup' is used by another key of the set; each kid must be unique."], Messages("messageSigningJwks.keys[2]"));
        Assert.Equal(["Key 4: It needs a 'kid': your signatures name the key by it."], Messages("messageSigningJwks.keys[3]"));
        Assert.Equal(
            ["Key 5 ('wrong-alg'): Its 'use' must be 'sig' or absent; it is 'enc'.", "Key 5 ('wrong-alg'): Its 'alg' must be 'PS256' or absent; it is 'RS256'."],
            Messages("messageSigningJwks.keys[4]"));
        Assert.Equal(["Key 6 ('ec'): It must be an RSA key (kty 'RSA'), as message signatures are PS256; it is 'EC'."], Messages("messageSigningJwks.keys[5]"));
        Assert.StartsWith("Key 7 ('leaky'): It holds private key material ('d')", Messages("messageSigningJwks.keys[6]").Single());
        Assert.False(errors.TryGetProperty("messageSigningJwks.keys[1]", out _));

        using var get = await portal.GetAsync($"/internal/clients/{clientId}", _ct);
        var client = await get.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.True(client.GetProperty("requireSignedRequests").GetBoolean());
        Assert.Empty(client.GetProperty("messageSigningKeys").EnumerateArray());
    }

    [Fact]
    public async Task Patch_TogglesAndRotatesKeys_WithAnAuditEntryForEachChange()
    {
        using var portal = await ClientAsync("portal-service", "portal-service-dev-secret", PlatformScopes.IdentityClients);
        var clientId = await CreateAsync(portal);
        using var oldKey = RSA.Create(2048);
        using var newKey = RSA.Create(2048);

        (await portal.PatchAsJsonAsync($"/internal/clients/{clientId}", new { messageSigningJwks = Jwks(Jwk(oldKey, "old")) }, _ct)).Dispose();
        (await portal.PatchAsJsonAsync($"/internal/clients/{clientId}", new { messageSigningJwks = Jwks(Jwk(oldKey, "old"), Jwk(newKey, "new")) }, _ct)).Dispose();
        (await portal.PatchAsJsonAsync($"/internal/clients/{clientId}", new { requireSignedRequests = false, requireDpop = true }, _ct)).Dispose();
        using var last = await portal.PatchAsJsonAsync($"/internal/clients/{clientId}", new { messageSigningJwks = Jwks(Jwk(newKey, "new")) }, _ct);

        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        var client = await last.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal(["new"], client.GetProperty("messageSigningKeys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()));
        Assert.False(client.GetProperty("requireSignedRequests").GetBoolean());
        Assert.True(client.GetProperty("requireDpop").GetBoolean());

        using var audit = await portal.GetAsync($"/internal/clients/{clientId}/audit", _ct);
        var details = (await audit.Content.ReadFromJsonAsync<JsonElement>(_ct)).EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "updated")
            .Select(e => e.GetProperty("details"))
            .ToList();
        Assert.Equal(4, details.Count);
        Assert.Equal(["old"], Kids(details[0]));
        Assert.Equal(["old", "new"], Kids(details[1]));
        Assert.Equal(Thumbprint(newKey), details[1].GetProperty("messageSigningKeys")[1].GetProperty("thumbprint").GetString());
        Assert.Equal(JsonValueKind.Null, details[0].GetProperty("requireSignedRequests").ValueKind);
        Assert.False(details[2].GetProperty("requireSignedRequests").GetBoolean());
        Assert.True(details[2].GetProperty("requireDpop").GetBoolean());
        Assert.Equal(JsonValueKind.Null, details[2].GetProperty("messageSigningKeys").ValueKind);
        Assert.Equal(["new"], Kids(details[3]));
    }

    [Fact]
    public async Task Put_WithoutTheSecuritySettings_LeavesThemAsTheyAre()
    {
        using var portal = await ClientAsync("portal-service", "portal-service-dev-secret", PlatformScopes.IdentityClients);
        using var key = RSA.Create(2048);
        var clientId = await CreateAsync(portal, Jwks(Jwk(key, "k1")));

        using var put = await portal.PutAsJsonAsync($"/internal/clients/{clientId}", new
        {
            name = "Renamed",
            redirectUris = new[] { "https://wallet.example/callback" },
            scopes = new[] { "payments" },
        }, _ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var client = await put.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.True(client.GetProperty("requireSignedRequests").GetBoolean());
        Assert.Equal(["k1"], client.GetProperty("messageSigningKeys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()));
    }

    [Fact]
    public async Task SecurityProfile_IsReadWithTheSandboxServiceClient_AndHoldsTheStoredKeySet()
    {
        using var portal = await ClientAsync("portal-service", "portal-service-dev-secret", PlatformScopes.IdentityClients);
        using var key = RSA.Create(2048);
        var upload = Jwks(Jwk(key, "k1"));
        upload["keys"]![0]!["x5c"] = new JsonArray("ignored");
        var clientId = await CreateAsync(portal, upload);
        using var sandbox = await ClientAsync("sandbox-service", "sandbox-service-dev-secret", PlatformScopes.IdentityClientsRead);

        using var response = await sandbox.GetAsync($"/internal/clients/{clientId}/security", _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = await response.Content.ReadFromJsonAsync<AppSecurityProfile>(_ct);
        Assert.NotNull(profile);
        Assert.Equal(clientId, profile.ClientId);
        Assert.Equal(OrganisationId, profile.OrganisationId);
        Assert.True(profile.RequireSignedRequests);
        Assert.False(profile.RequireDpop);
        Assert.NotNull(profile.KeysUpdatedAt);
        var stored = profile.MessageSigningJwks!.Value.GetProperty("keys")[0];
        var parameters = key.ExportParameters(false);
        Assert.Equal(B64(parameters.Modulus!), stored.GetProperty("n").GetString());
        Assert.Equal(B64(parameters.Exponent!), stored.GetProperty("e").GetString());
        Assert.Equal("k1", stored.GetProperty("kid").GetString());
        Assert.False(stored.TryGetProperty("x5c", out _));
    }

    [Fact]
    public async Task SecurityProfile_OfTheDemoApp_RequiresNothing_AndAnUnknownAppIs404()
    {
        using var sandbox = await ClientAsync("sandbox-service", "sandbox-service-dev-secret", PlatformScopes.IdentityClientsRead);

        var demo = await sandbox.GetFromJsonAsync<AppSecurityProfile>("/internal/clients/demo-wallet/security", _ct);
        using var unknown = await sandbox.GetAsync("/internal/clients/app_unknown/security", _ct);

        Assert.NotNull(demo);
        Assert.False(demo.RequireSignedRequests);
        Assert.False(demo.RequireDpop);
        Assert.Null(demo.MessageSigningJwks);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task SecurityProfile_IsReadWithTheReadScopeOrByTheManager_AndTheSandboxClientCannotManageApps()
    {
        using var portal = await ClientAsync("portal-service", "portal-service-dev-secret", PlatformScopes.IdentityClients);
        using var sandbox = await ClientAsync("sandbox-service", "sandbox-service-dev-secret", PlatformScopes.IdentityClientsRead);

        using var portalReads = await portal.GetAsync("/internal/clients/demo-wallet/security", _ct);
        using var sandboxLists = await sandbox.GetAsync("/internal/clients", _ct);
        using var sandboxCreates = await sandbox.PostAsJsonAsync("/internal/clients", NewClient(), _ct);

        // The Portal manages apps, so it may read the whole key set (it sends it back with one key added or removed).
        Assert.Equal(HttpStatusCode.OK, portalReads.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, sandboxLists.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, sandboxCreates.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, await TokenStatusAsync("sandbox-service", "sandbox-service-dev-secret", PlatformScopes.IdentityClients));
    }

    private static string?[] Kids(JsonElement details)
        => details.GetProperty("messageSigningKeys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToArray();

    private static object NewClient(JsonObject? messageSigningJwks = null, bool? requireSignedRequests = null, bool? requireDpop = null) => new
    {
        name = "Signing Keys Wallet",
        organisationId = OrganisationId,
        organisationName = "Signing Keys Ltd",
        redirectUris = new[] { "https://wallet.example/callback" },
        scopes = new[] { "payments" },
        messageSigningJwks,
        requireSignedRequests,
        requireDpop,
    };

    private async Task<string> CreateAsync(HttpClient portal, JsonObject? messageSigningJwks = null)
    {
        using var response = await portal.PostAsJsonAsync("/internal/clients", NewClient(messageSigningJwks), _ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("clientId").GetString()!;
    }

    private static JsonObject Jwks(params JsonObject[] keys) => new() { ["keys"] = new JsonArray(keys) };

    private static JsonObject Jwk(RSA rsa, string? kid, string? alg = null, string? use = null)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonObject { ["kty"] = "RSA" };
        if (kid is not null)
        {
            jwk["kid"] = kid;
        }

        if (alg is not null)
        {
            jwk["alg"] = alg;
        }

        if (use is not null)
        {
            jwk["use"] = use;
        }

        jwk["n"] = B64(parameters.Modulus!);
        jwk["e"] = B64(parameters.Exponent!);
        return jwk;
    }

    // RFC 7638 §3, computed here from the key itself rather than through the code under test.
    private static string Thumbprint(RSA rsa)
    {
        var parameters = rsa.ExportParameters(false);
        var canonical = $"{{\"e\":\"{B64(parameters.Exponent!)}\",\"kty\":\"RSA\",\"n\":\"{B64(parameters.Modulus!)}\"}}";
        return B64(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<HttpClient> ClientAsync(string clientId, string secret, string scope)
    {
        using var response = await RequestTokenAsync(clientId, secret, scope);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("access_token").GetString()!;
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<HttpStatusCode> TokenStatusAsync(string clientId, string secret, string scope)
    {
        using var response = await RequestTokenAsync(clientId, secret, scope);
        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> RequestTokenAsync(string clientId, string secret, string scope)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = scope }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        return await client.SendAsync(request, _ct);
    }
}
