using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Shared;
using OpenBanking.TestKit;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>The Portal's client management API, driven with real tokens from the real server.</summary>
public sealed class ClientManagementTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private const string PortalClientId = "portal-service";
    private const string PortalSecret = "portal-service-dev-secret";
    private const string OrganisationId = "org-clients-tests";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_WithClientSecretBasic_Returns201AndASecretThatGetsClientCredentialsTokens()
    {
        using var portal = await PortalClientAsync();

        using var response = await portal.PostAsJsonAsync("/internal/clients", NewClient(), _ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        var clientId = created.GetProperty("clientId").GetString()!;
        var secret = created.GetProperty("clientSecret").GetString()!;
        Assert.StartsWith("app_", clientId);
        Assert.True(Base64UrlEncoder.DecodeBytes(secret).Length >= 32);
        Assert.Equal($"/internal/clients/{clientId}", response.Headers.Location?.OriginalString);
        var client = created.GetProperty("client");
        Assert.Equal("client_secret_basic", client.GetProperty("authMethod").GetString());
        Assert.False(client.GetProperty("suspended").GetBoolean());
        Assert.Equal(["accounts", "openid"], client.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        using var token = await RequestTokenAsync(clientId, secret, "accounts");
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var jwt = new JsonWebToken((await token.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("access_token").GetString());
        Assert.Equal(OrganisationId, jwt.GetClaim(PlatformClaims.OrganisationId).Value);
    }

    [Fact]
    public async Task Create_GivesThePartnerPermissionsAndRequirements()
    {
        using var portal = await PortalClientAsync();
        var (clientId, _) = await CreateAsync(portal);

        await using var scope = factory.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var application = await applications.FindByClientIdAsync(clientId, _ct);
        var permissions = await applications.GetPermissionsAsync(application!, _ct);
        var requirements = await applications.GetRequirementsAsync(application!, _ct);

        Assert.Contains(Permissions.Endpoints.PushedAuthorization, permissions);
        Assert.Contains(Permissions.GrantTypes.AuthorizationCode, permissions);
        Assert.Contains(Permissions.GrantTypes.RefreshToken, permissions);
        Assert.Contains(Permissions.ResponseTypes.Code, permissions);
        Assert.Contains(Permissions.Prefixes.Scope + "accounts", permissions);
        Assert.DoesNotContain(Permissions.Prefixes.Scope + "payments", permissions);
        Assert.Contains(Requirements.Features.ProofKeyForCodeExchange, requirements);
        Assert.Contains(Requirements.Features.PushedAuthorizationRequests, requirements);
    }

    [Fact]
    public async Task RotateSecret_OldSecretIsRefusedAtOnce_NewSecretWorks()
    {
        using var portal = await PortalClientAsync();
        var (clientId, oldSecret) = await CreateAsync(portal);
        // Warm the verified-secret cache with the old secret: rotation must not be bypassed through it.
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(clientId, oldSecret));
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(clientId, oldSecret));

        using var rotated = await portal.PostAsync($"/internal/clients/{clientId}/secret", null, _ct);

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var newSecret = (await rotated.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("clientSecret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(clientId, oldSecret));
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(clientId, newSecret));
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(clientId, oldSecret));
    }

    [Fact]
    public async Task Suspend_RefusesClientCredentialsWithInvalidClient_ReactivateRestoresThem()
    {
        using var portal = await PortalClientAsync();
        var (clientId, secret) = await CreateAsync(portal);
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(clientId, secret));

        using var suspend = await portal.PostAsync($"/internal/clients/{clientId}/suspend", null, _ct);
        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
        Assert.True((await suspend.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("suspended").GetBoolean());

        using (var refused = await RequestTokenAsync(clientId, secret, "accounts"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            var body = await refused.Content.ReadFromJsonAsync<JsonElement>(_ct);
            Assert.Equal("invalid_client", body.GetProperty("error").GetString());
            Assert.Equal("The client is suspended.", body.GetProperty("error_description").GetString());
        }

        using var reactivate = await portal.PostAsync($"/internal/clients/{clientId}/reactivate", null, _ct);
        Assert.Equal(HttpStatusCode.OK, reactivate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(clientId, secret));
    }

    [Fact]
    public async Task Suspend_OfAWrongSecret_StillSaysOnlyInvalidClient()
    {
        using var portal = await PortalClientAsync();
        var (clientId, _) = await CreateAsync(portal);
        (await portal.PostAsync($"/internal/clients/{clientId}/suspend", null, _ct)).Dispose();

        using var refused = await RequestTokenAsync(clientId, "not-the-secret", "accounts");

        // Authentication comes first: an outsider learns nothing about the suspension.
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var body = await refused.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.NotEqual("The client is suspended.", body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Suspend_RevokesTheAppsStoredTokensAndAuthorizations()
    {
        using var portal = await PortalClientAsync();
        var (clientId, _) = await CreateAsync(portal);
        string tokenId, authorizationId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var (tokens, authorizations, applicationId) = await ManagersAsync(scope, clientId);
            var authorization = await authorizations.CreateAsync(new OpenIddictAuthorizationDescriptor
            {
                ApplicationId = applicationId,
                Subject = "alice",
                Status = Statuses.Valid,
                Type = AuthorizationTypes.Permanent,
                CreationDate = DateTimeOffset.UtcNow,
            }, _ct);
            authorizationId = (await authorizations.GetIdAsync(authorization, _ct))!;
            var token = await tokens.CreateAsync(new OpenIddictTokenDescriptor
            {
                ApplicationId = applicationId,
                AuthorizationId = authorizationId,
                Subject = "alice",
                Status = Statuses.Valid,
                Type = TokenTypeIdentifiers.RefreshToken,
                CreationDate = DateTimeOffset.UtcNow,
                ExpirationDate = DateTimeOffset.UtcNow.AddDays(30),
            }, _ct);
            tokenId = (await tokens.GetIdAsync(token, _ct))!;
        }

        using var suspend = await portal.PostAsync($"/internal/clients/{clientId}/suspend", null, _ct);
        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var (tokens, authorizations, _) = await ManagersAsync(scope, clientId);
            Assert.True(await tokens.HasStatusAsync((await tokens.FindByIdAsync(tokenId, _ct))!, Statuses.Revoked, _ct));
            Assert.True(await authorizations.HasStatusAsync((await authorizations.FindByIdAsync(authorizationId, _ct))!, Statuses.Revoked, _ct));
        }
    }

    [Fact]
    public async Task Create_WithBadInput_Returns400NamingEveryFailingField()
    {
        using var portal = await PortalClientAsync();

        using var response = await portal.PostAsJsonAsync("/internal/clients", new
        {
            name = "",
            organisationId = OrganisationId,
            organisationName = "Clients Tests Ltd",
            redirectUris = new[] { "https://wallet.example/ok", "http://wallet.example/callback", "https://wallet.example/cb#frag", "/relative" },
            scopes = new[] { "accounts", "admin" },
            authMethod = "private_key_jwt",
        }, _ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("errors");
        Assert.Equal(
            ["jwks", "name", "redirectUris[1]", "redirectUris[2]", "redirectUris[3]", "scopes[1]"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Create_WithoutAnOpenBankingScopeOrAnUnknownAuthMethod_Returns400()
    {
        using var portal = await PortalClientAsync();

        using var response = await portal.PostAsJsonAsync("/internal/clients", NewClient(scopes: ["openid", "offline_access"], authMethod: "client_secret_post"), _ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("errors");
        Assert.Equal(["authMethod", "scopes"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"name\": 42}")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"scopes\": \"accounts\", \"jwks\": \"not-an-object\"}")]
    public async Task Create_WithMalformedJson_Returns400NotA500(string body)
    {
        using var portal = await PortalClientAsync();

        using var response = await portal.PostAsync("/internal/clients", new StringContent(body, Encoding.UTF8, "application/json"), _ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Create_WithPrivateKeyJwt_StoresThePublicKeysAndReturnsNoSecret_AndTheKeyAuthenticates()
    {
        using var portal = await PortalClientAsync();
        using var rsa = RSA.Create(2048);

        using var response = await portal.PostAsJsonAsync("/internal/clients", NewClient(authMethod: "private_key_jwt", jwks: PublicJwks(rsa)), _ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("clientSecret").ValueKind);
        Assert.True(created.GetProperty("client").GetProperty("hasJwks").GetBoolean());
        var clientId = created.GetProperty("clientId").GetString()!;

        using var token = await RequestTokenWithAssertionAsync(clientId, rsa);
        Assert.True(token.StatusCode == HttpStatusCode.OK, await token.Content.ReadAsStringAsync(_ct));

        using var rotate = await portal.PostAsync($"/internal/clients/{clientId}/secret", null, _ct);
        Assert.Equal(HttpStatusCode.Conflict, rotate.StatusCode);
    }

    [Fact]
    public async Task Create_WithPrivateKeyMaterialInTheJwks_Returns400()
    {
        using var portal = await PortalClientAsync();
        using var rsa = RSA.Create(2048);
        var jwks = PublicJwks(rsa);
        jwks["keys"]![0]!["d"] = Base64UrlEncoder.Encode(rsa.ExportParameters(true).D!);

        using var response = await portal.PostAsJsonAsync("/internal/clients", NewClient(authMethod: "private_key_jwt", jwks: jwks), _ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("errors");
        Assert.Equal(["jwks"], errors.EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task Api_WithoutAToken_Returns401()
    {
        using var anonymous = factory.CreateClient();

        using var response = await anonymous.GetAsync("/internal/clients", _ct);
        using var user = await anonymous.GetAsync("/internal/users/anyone", _ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, user.StatusCode);
    }

    [Theory]
    [InlineData("demo-wallet", "demo-wallet-secret", "accounts")]
    [InlineData(PortalClientId, PortalSecret, "sandbox.internal")]
    [InlineData(PortalClientId, PortalSecret, "gateway.calls")]
    public async Task Api_WithATokenForAnotherAudienceOrScope_IsRefused(string clientId, string secret, string scope)
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AccessTokenAsync(clientId, secret, scope));

        using var list = await client.GetAsync("/internal/clients", _ct);
        using var create = await client.PostAsJsonAsync("/internal/clients", NewClient(), _ct);
        using var user = await client.GetAsync("/internal/users/anyone", _ct);
        Assert.Contains(user.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });

        // The audience check refuses these tokens at validation (401); a token for "identity" without the scope
        // would be a 403 from the policy — only identity.clients grants that audience today.
        Assert.Contains(list.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        Assert.Contains(create.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
    }

    [Fact]
    public async Task Api_WithAnIdentityCookieInsteadOfAToken_IsRefused()
    {
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Identity.Application=forged");

        using var response = await client.GetAsync("/internal/clients", _ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task List_FilteredByOrganisation_ReturnsOnlyThatOrganisationsApps_AndNeverServiceClients()
    {
        using var portal = await PortalClientAsync();
        var (mine, _) = await CreateAsync(portal, organisationId: "org-list-a");
        var (theirs, _) = await CreateAsync(portal, organisationId: "org-list-b");

        var filtered = await portal.GetFromJsonAsync<JsonElement>("/internal/clients?organisationId=org-list-a", _ct);
        var all = await portal.GetFromJsonAsync<JsonElement>("/internal/clients", _ct);

        Assert.Equal([mine], filtered.EnumerateArray().Select(c => c.GetProperty("clientId").GetString()));
        var allIds = all.EnumerateArray().Select(c => c.GetProperty("clientId").GetString()).ToList();
        Assert.Contains(mine, allIds);
        Assert.Contains(theirs, allIds);
        Assert.Contains(DevelopmentSeed.DemoAppClientId, allIds);
        Assert.DoesNotContain(PortalClientId, allIds);
        Assert.DoesNotContain("identity-service", allIds);
    }

    [Fact]
    public async Task ServiceClients_AreInvisibleToTheApi()
    {
        using var portal = await PortalClientAsync();

        using var get = await portal.GetAsync($"/internal/clients/{PortalClientId}", _ct);
        using var rotate = await portal.PostAsync($"/internal/clients/{PortalClientId}/secret", null, _ct);
        using var suspend = await portal.PostAsync($"/internal/clients/{PortalClientId}/suspend", null, _ct);

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("application/problem+json", get.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, rotate.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, suspend.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(PortalClientId, PortalSecret, PlatformScopes.IdentityClients));
    }

    [Fact]
    public async Task Get_ReturnsTheAppButNeverItsSecret()
    {
        using var portal = await PortalClientAsync();
        var (clientId, secret) = await CreateAsync(portal);

        var one = await portal.GetStringAsync($"/internal/clients/{clientId}", _ct);
        var list = await portal.GetStringAsync($"/internal/clients?organisationId={OrganisationId}", _ct);

        var client = JsonDocument.Parse(one).RootElement;
        Assert.Equal(clientId, client.GetProperty("clientId").GetString());
        Assert.Equal("Clients Tests Wallet", client.GetProperty("name").GetString());
        Assert.Equal(OrganisationId, client.GetProperty("organisationId").GetString());
        Assert.Equal(["http://localhost:5005/callback", "https://wallet.example/callback"], client.GetProperty("redirectUris").EnumerateArray().Select(u => u.GetString()));
        Assert.False(client.GetProperty("hasJwks").GetBoolean());
        Assert.DoesNotContain(secret, one, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        Assert.DoesNotContain(client.EnumerateObject(), p => p.Name.Contains("secret", StringComparison.OrdinalIgnoreCase));
        Assert.All(JsonDocument.Parse(list).RootElement.EnumerateArray(), c =>
            Assert.DoesNotContain(c.EnumerateObject(), p => p.Name.Contains("secret", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Patch_ChangesScopesAndRedirectUris_AndTokensFollowTheNewScopes()
    {
        using var portal = await PortalClientAsync();
        var (clientId, secret) = await CreateAsync(portal);

        using var patch = await portal.PatchAsJsonAsync($"/internal/clients/{clientId}", new
        {
            scopes = new[] { "payments", "offline_access" },
            redirectUris = new[] { "https://wallet.example/new" },
        }, _ct);

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var client = await patch.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal("Clients Tests Wallet", client.GetProperty("name").GetString());
        Assert.Equal(["offline_access", "payments"], client.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["https://wallet.example/new"], client.GetProperty("redirectUris").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(clientId, secret, "payments"));
        Assert.Equal(HttpStatusCode.BadRequest, await TokenStatusAsync(clientId, secret, "accounts"));
    }

    [Fact]
    public async Task PutAndPatch_WithBadInput_Return400NamingTheFields()
    {
        using var portal = await PortalClientAsync();
        var (clientId, _) = await CreateAsync(portal);

        using var put = await portal.PutAsJsonAsync($"/internal/clients/{clientId}", new { name = "Renamed" }, _ct);
        using var patch = await portal.PatchAsJsonAsync($"/internal/clients/{clientId}", new
        {
            redirectUris = new[] { "http://evil.example/cb" },
            scopes = new[] { "identity.clients" },
            jwks = new { keys = Array.Empty<object>() },
        }, _ct);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal(["redirectUris", "scopes"], (await put.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        Assert.Equal(["jwks", "redirectUris[0]", "scopes", "scopes[0]"], (await patch.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Delete_RemovesTheApp_AndItsCredentialsAreRefused()
    {
        using var portal = await PortalClientAsync();
        var (clientId, secret) = await CreateAsync(portal);
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(clientId, secret));

        using var delete = await portal.DeleteAsync($"/internal/clients/{clientId}", _ct);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var get = await portal.GetAsync($"/internal/clients/{clientId}", _ct);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(clientId, secret));
        using var again = await portal.DeleteAsync($"/internal/clients/{clientId}", _ct);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Audit_RecordsEveryChangeWithTheCallerAndActingUser_AndNoSecrets()
    {
        using var portal = await PortalClientAsync();
        portal.DefaultRequestHeaders.Add("X-Acting-User", "dev@demo-wallet.example " + new string('x', 300));
        var (clientId, firstSecret) = await CreateAsync(portal);
        using var rotate = await portal.PostAsync($"/internal/clients/{clientId}/secret", null, _ct);
        var secondSecret = (await rotate.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("clientSecret").GetString()!;
        (await portal.PatchAsJsonAsync($"/internal/clients/{clientId}", new { name = "Renamed Wallet" }, _ct)).Dispose();
        (await portal.PostAsync($"/internal/clients/{clientId}/suspend", null, _ct)).Dispose();
        (await portal.PostAsync($"/internal/clients/{clientId}/reactivate", null, _ct)).Dispose();
        (await portal.DeleteAsync($"/internal/clients/{clientId}", _ct)).Dispose();

        using var response = await portal.GetAsync($"/internal/clients/{clientId}/audit", _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(_ct);
        var entries = JsonDocument.Parse(text).RootElement.EnumerateArray().ToList();
        Assert.Equal(
            ["created", "secret_rotated", "updated", "suspended", "reactivated", "deleted"],
            entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e =>
        {
            Assert.Equal(PortalClientId, e.GetProperty("actor").GetString());
            Assert.Equal(OrganisationId, e.GetProperty("organisationId").GetString());
            Assert.Equal(clientId, e.GetProperty("clientId").GetString());
            var actingUser = e.GetProperty("actingUser").GetString()!;
            Assert.StartsWith("dev@demo-wallet.example", actingUser);
            Assert.Equal(200, actingUser.Length);
        });
        Assert.Equal("Renamed Wallet", entries[2].GetProperty("details").GetProperty("name").GetString());
        Assert.DoesNotContain(firstSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(secondSecret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_OfAnUnknownClient_Returns404()
    {
        using var portal = await PortalClientAsync();

        using var response = await portal.GetAsync("/internal/clients/app_unknown/audit", _ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static object NewClient(
        string organisationId = OrganisationId, string[]? scopes = null, string authMethod = "client_secret_basic", JsonNode? jwks = null) => new
        {
            name = "Clients Tests Wallet",
            organisationId,
            organisationName = "Clients Tests Ltd",
            redirectUris = new[] { "https://wallet.example/callback", "http://localhost:5005/callback" },
            scopes = scopes ?? ["openid", "accounts"],
            authMethod,
            jwks,
        };

    private async Task<(string ClientId, string Secret)> CreateAsync(HttpClient portal, string organisationId = OrganisationId)
    {
        using var response = await portal.PostAsJsonAsync("/internal/clients", NewClient(organisationId), _ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        return (created.GetProperty("clientId").GetString()!, created.GetProperty("clientSecret").GetString()!);
    }

    private async Task<HttpClient> PortalClientAsync()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", await AccessTokenAsync(PortalClientId, PortalSecret, PlatformScopes.IdentityClients));
        return client;
    }

    private async Task<string> AccessTokenAsync(string clientId, string secret, string scope)
    {
        using var response = await RequestTokenAsync(clientId, secret, scope);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("access_token").GetString()!;
    }

    private async Task<HttpStatusCode> TokenStatusAsync(string clientId, string secret, string scope = "accounts")
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

    private async Task<HttpResponseMessage> RequestTokenWithAssertionAsync(string clientId, RSA key)
    {
        var now = DateTime.UtcNow;
        var assertion = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = "http://localhost:5001/",
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("N") },
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(1),
            TokenType = "client-authentication+jwt",
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256),
        });

        using var client = factory.CreateClient();
        return await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "accounts",
            ["client_id"] = clientId,
            ["client_assertion_type"] = ClientAssertionTypes.JwtBearer,
            ["client_assertion"] = assertion,
        }), _ct);
    }

    private static JsonObject PublicJwks(RSA rsa)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = "k1",
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus!),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent!),
            }),
        };
    }

    private async Task<(IOpenIddictTokenManager Tokens, IOpenIddictAuthorizationManager Authorizations, string ApplicationId)> ManagersAsync(
        AsyncServiceScope scope, string clientId)
    {
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var application = await applications.FindByClientIdAsync(clientId, _ct);
        return (
            scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>(),
            scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>(),
            (await applications.GetIdAsync(application!, _ct))!);
    }
}
