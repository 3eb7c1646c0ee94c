using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Identity.Infrastructure;
using OpenBanking.Shared;
using OpenBanking.TestKit;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>A partner user's export and erasure through the internal API, with real tokens and the real database.</summary>
public sealed class UserDataApiTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private const string RedirectUri = "http://localhost:5000/signin-oidc";
    private const string Password = "Erase!Me2345";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Export_HoldsProfileRolesTwoFactorGrantsTokensAndClientChanges_ButNoSecrets()
    {
        var (subject, email) = await CreateUserAsync();
        await SignInThroughThePortalAsync(email);
        await EnableTwoFactorAsync(subject);
        using var portal = await ServiceClientAsync();
        var clientId = await CreateClientAsActingUserAsync(portal, email);

        using var response = await portal.GetAsync($"/internal/users/{subject}/export", _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(_ct);
        var export = JsonDocument.Parse(body).RootElement;
        var account = export.GetProperty("account");
        Assert.Equal(subject, account.GetProperty("subject").GetString());
        Assert.Equal(email, account.GetProperty("email").GetString());
        Assert.Equal("Erasable Person", account.GetProperty("displayName").GetString());
        Assert.True(account.GetProperty("emailConfirmed").GetBoolean());
        Assert.True(account.GetProperty("twoFactorEnabled").GetBoolean());
        Assert.True(account.GetProperty("authenticatorConfigured").GetBoolean());
        Assert.Equal(10, account.GetProperty("recoveryCodesLeft").GetInt32());
        Assert.Equal(["Partner"], account.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var authorization = Assert.Single(export.GetProperty("authorizations").EnumerateArray());
        Assert.Equal("portal", authorization.GetProperty("clientId").GetString());
        Assert.Contains("email", authorization.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.NotEmpty(export.GetProperty("tokens").EnumerateArray());
        Assert.All(export.GetProperty("tokens").EnumerateArray(), t => Assert.Equal("portal", t.GetProperty("clientId").GetString()));
        var change = Assert.Single(export.GetProperty("clientChanges").EnumerateArray());
        Assert.Equal(clientId, change.GetProperty("clientId").GetString());
        Assert.Equal("created", change.GetProperty("action").GetString());

        // Never the second factor or the password: not the key, not a recovery code, not the hash.
        var (key, codes, hash) = await SecretsOfAsync(subject);
        Assert.DoesNotContain(key, body);
        Assert.All(codes, code => Assert.DoesNotContain(code, body));
        Assert.DoesNotContain(hash, body);
        Assert.DoesNotContain("passwordHash", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("securityStamp", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Export_OfAnUnknownSubject_Is404ProblemDetails()
    {
        using var portal = await ServiceClientAsync();

        using var response = await portal.GetAsync($"/internal/users/{Guid.NewGuid()}/export", _ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Erase_RevokesTokensAndAuthorizations_PseudonymisesClientAudit_DeletesTheRows_AndIsIdempotent()
    {
        var (subject, email) = await CreateUserAsync();
        await SignInThroughThePortalAsync(email);
        await EnableTwoFactorAsync(subject);
        using var portal = await ServiceClientAsync();
        var clientId = await CreateClientAsActingUserAsync(portal, email);

        using var response = await portal.DeleteAsync($"/internal/users/{subject}", _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        var pseudonym = ErasedUsers.Pseudonym(subject);
        Assert.Equal(pseudonym, receipt.GetProperty("pseudonym").GetString());
        Assert.True(receipt.GetProperty("accountDeleted").GetBoolean());
        Assert.True(receipt.GetProperty("tokensRevoked").GetInt32() >= 1);
        Assert.Equal(1, receipt.GetProperty("authorizationsRevoked").GetInt32());
        Assert.Equal(1, receipt.GetProperty("auditEntriesPseudonymised").GetInt32());

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
            var authorizations = scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
            var tokenStatuses = new List<string?>();
            await foreach (var token in tokens.FindBySubjectAsync(subject, _ct))
            {
                tokenStatuses.Add(await tokens.GetStatusAsync(token, _ct));
            }

            Assert.NotEmpty(tokenStatuses);
            Assert.All(tokenStatuses, status => Assert.Equal(Statuses.Revoked, status));
            await foreach (var authorization in authorizations.FindBySubjectAsync(subject, _ct))
            {
                Assert.Equal(Statuses.Revoked, await authorizations.GetStatusAsync(authorization, _ct));
            }

            // The raw rows: no account, no roles, no authenticator key or recovery codes; the audit row stays, pseudonymised.
            var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
            Assert.False(await db.Users.AnyAsync(u => u.Id == subject, _ct));
            Assert.False(await db.UserRoles.AnyAsync(r => r.UserId == subject, _ct));
            Assert.False(await db.UserTokens.AnyAsync(t => t.UserId == subject, _ct));
            Assert.False(await db.ClientAudit.AnyAsync(e => e.ActingUser == email, _ct));
            var audit = await db.ClientAudit.SingleAsync(e => e.ClientId == clientId && e.Action == "created", _ct);
            Assert.Equal(pseudonym, audit.ActingUser);
        }

        // A retry (the Portal's step after a failure) succeeds and changes nothing.
        using var again = await portal.DeleteAsync($"/internal/users/{subject}", _ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await again.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.False(second.GetProperty("accountDeleted").GetBoolean());
        Assert.Equal(0, second.GetProperty("tokensRevoked").GetInt32());
        Assert.Equal(pseudonym, second.GetProperty("pseudonym").GetString());

        // The account is gone for the Portal's standing check (its sessions end) and for sign-in.
        var status = await portal.GetFromJsonAsync<JsonElement>($"/internal/users/{subject}", _ct);
        Assert.False(status.GetProperty("active").GetBoolean());
        var session = NewSession();
        using var signIn = await SignInAsync(session, email, "/account/login");
        Assert.NotEqual(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task Erase_OfTheSignedInUser_RevokesTheRefreshAndAccessTokensThePortalHolds()
    {
        var (subject, email) = await CreateUserAsync();
        var accessToken = await SignInThroughThePortalAsync(email);
        using var portal = await ServiceClientAsync();

        using var response = await portal.DeleteAsync($"/internal/users/{subject}", _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The token's own row says revoked: the userinfo endpoint (which checks it) refuses it.
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var userInfo = await client.GetAsync("/connect/userinfo", _ct);
        Assert.Equal(HttpStatusCode.Unauthorized, userInfo.StatusCode);
    }

    [Fact]
    public async Task ExportAndErase_WithoutTheServiceScope_AreRefused()
    {
        var (subject, _) = await CreateUserAsync();
        using var anonymous = factory.CreateClient();
        using var wallet = factory.CreateClient();
        wallet.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AccessTokenAsync("demo-wallet", "demo-wallet-secret", "accounts"));

        foreach (var client in new[] { anonymous, wallet })
        {
            using var export = await client.GetAsync($"/internal/users/{subject}/export", _ct);
            using var erase = await client.DeleteAsync($"/internal/users/{subject}", _ct);
            Assert.Contains(export.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
            Assert.Contains(erase.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        }

        await using var scope = factory.Services.CreateAsyncScope();
        Assert.NotNull(await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(subject));
    }

    private async Task<(string Subject, string Email)> CreateUserAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var email = $"erase-{Guid.NewGuid():N}@wallet.example";
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Erasable Person", CreatedAt = DateTimeOffset.UtcNow };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Partner)).Succeeded);
        return (user.Id, email);
    }

    /// <summary>After the sign-in (which then needs no second factor): an authenticator key and ten recovery codes.</summary>
    private async Task EnableTwoFactorAsync(string subject)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByIdAsync(subject))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10);
    }

    private async Task<(string Key, IReadOnlyList<string> Codes, string Hash)> SecretsOfAsync(string subject)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var tokens = await db.UserTokens.Where(t => t.UserId == subject).ToListAsync(_ct);
        var key = tokens.Single(t => t.Name == "AuthenticatorKey").Value!;
        var codes = tokens.Single(t => t.Name == "RecoveryCodes").Value!.Split(';');
        var hash = (await db.Users.SingleAsync(u => u.Id == subject, _ct)).PasswordHash!;
        return (key, codes, hash);
    }

    /// <summary>The Portal's own sign-in: PAR, the login form, the code exchanged. Returns the access token.</summary>
    private async Task<string> SignInThroughThePortalAsync(string email)
    {
        var pkce = Wallet.Pkce.Create();
        using var oidc = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        oidc.DefaultRequestHeaders.Authorization = Wallet.Basic("portal", "portal-dev-secret");
        var requestUri = (await PostAsync(oidc, "/connect/par", new()
        {
            ["response_type"] = "code", ["client_id"] = "portal", ["redirect_uri"] = RedirectUri, ["scope"] = "openid profile email roles",
            ["state"] = "s", ["nonce"] = "n", ["code_challenge"] = pkce.Challenge, ["code_challenge_method"] = "S256",
        })).GetProperty("request_uri").GetString()!;
        var authorize = $"/connect/authorize?client_id=portal&request_uri={Uri.EscapeDataString(requestUri)}";
        var session = NewSession();
        using var first = await session.GetRawAsync(authorize);
        using var signedIn = await SignInAsync(session, email, first.Headers.Location!.OriginalString);
        using var back = await session.GetRawAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(back.Headers.Location!.Query);
        var tokens = await PostAsync(oidc, "/connect/token", new()
        {
            ["grant_type"] = "authorization_code", ["code"] = query["code"].ToString(), ["redirect_uri"] = RedirectUri, ["code_verifier"] = pkce.Verifier,
        });
        return tokens.GetProperty("access_token").GetString()!;
    }

    private HtmlSession NewSession() => new(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    private static async Task<HttpResponseMessage> SignInAsync(HtmlSession session, string email, string loginUrl)
        => await session.PostFormAsync(await session.GetAsync(loginUrl), "login-form", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
        });

    private async Task<string> CreateClientAsActingUserAsync(HttpClient portal, string email)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/internal/clients")
        {
            Content = JsonContent.Create(new
            {
                name = "Erasure Tests Wallet", organisationId = "org-erasure-tests", organisationName = "Erasure Tests Ltd",
                redirectUris = new[] { "https://wallet.example/callback" }, scopes = new[] { "accounts" }, authMethod = "client_secret_basic",
            }),
        };
        request.Headers.Add("X-Acting-User", email);
        using var response = await portal.SendAsync(request, _ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("clientId").GetString()!;
    }

    private async Task<HttpClient> ServiceClientAsync()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AccessTokenAsync("portal-service", "portal-service-dev-secret", PlatformScopes.IdentityClients));
        return client;
    }

    private async Task<string> AccessTokenAsync(string clientId, string secret, string scope)
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = Wallet.Basic(clientId, secret);
        return (await PostAsync(client, "/connect/token", new() { ["grant_type"] = "client_credentials", ["scope"] = scope })).GetProperty("access_token").GetString()!;
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, Dictionary<string, string> form)
    {
        using var response = await client.PostAsync(path, new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
