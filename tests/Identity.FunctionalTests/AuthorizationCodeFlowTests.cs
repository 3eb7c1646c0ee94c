using System.Net;
using System.Security.Cryptography;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Shared;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>The FAPI-style code flow end to end against the real Sandbox: PAR, PKCE, the customer's decision, tokens, refresh.</summary>
public sealed class AuthorizationCodeFlowTests(ConsentJourneyFixture platform) : IClassFixture<ConsentJourneyFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task Discovery_AdvertisesExactlyTheFapiProfile()
    {
        using var client = _wallet.Identity(authenticate: false);

        var discovery = await client.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration", _ct);

        Assert.True(discovery.GetProperty("require_pushed_authorization_requests").GetBoolean());
        Assert.True(discovery.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
        Assert.Equal(["S256"], Strings(discovery, "code_challenge_methods_supported"));
        Assert.Equal(["PS256"], Strings(discovery, "id_token_signing_alg_values_supported"));
        Assert.Equal(["code"], Strings(discovery, "response_types_supported"));
        Assert.Equal(["pairwise"], Strings(discovery, "subject_types_supported"));
        Assert.Equal(["client_secret_basic", "private_key_jwt"], Strings(discovery, "token_endpoint_auth_methods_supported").Order());
        Assert.Equal(["authorization_code", "client_credentials", "refresh_token"], Strings(discovery, "grant_types_supported").Order());
        Assert.EndsWith("/connect/par", discovery.GetProperty("pushed_authorization_request_endpoint").GetString());
        Assert.EndsWith("/connect/authorize", discovery.GetProperty("authorization_endpoint").GetString());
        Assert.EndsWith("/connect/introspect", discovery.GetProperty("introspection_endpoint").GetString());
        Assert.EndsWith("/connect/revoke", discovery.GetProperty("revocation_endpoint").GetString());
        Assert.EndsWith("/connect/endsession", discovery.GetProperty("end_session_endpoint").GetString());
        Assert.EndsWith("/connect/userinfo", discovery.GetProperty("userinfo_endpoint").GetString());
    }

    [Fact]
    public async Task HeadlessApproval_GivesConsentBoundTokens_ThatReadTheChosenAccounts()
    {
        var consentId = await _wallet.CreateConsentAsync();
        var pkce = Wallet.Pkce.Create();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, pkce);

        var (status, body) = await _wallet.AuthoriseHeadlessAsync(requestUri);

        Assert.Equal(HttpStatusCode.OK, status);
        var query = Wallet.QueryOf(body.GetProperty("redirect_uri").GetString()!);
        Assert.Equal("state-1", query["state"]);
        Assert.Equal("http://localhost:5001/", query["iss"]);
        var (tokenStatus, tokens) = await _wallet.RedeemAsync(query["code"], pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, tokenStatus);
        Assert.True(tokens.TryGetProperty("refresh_token", out _));
        Assert.True(tokens.TryGetProperty("id_token", out _));

        var access = new JsonWebToken(tokens.GetProperty("access_token").GetString());
        Assert.Equal("at+jwt", access.Typ);
        Assert.Equal("PS256", access.Alg);
        Assert.Equal("PS256", new JsonWebToken(tokens.GetProperty("id_token").GetString()).Alg);
        Assert.Equal(TimeSpan.FromMinutes(5), access.ValidTo - access.IssuedAt);
        Assert.Contains(PlatformClaims.OpenBankingAudience, access.Audiences);
        Assert.Equal("demo-wallet", access.GetClaim("client_id").Value);
        Assert.Equal(DevelopmentSeed.DemoOrganisationId, access.GetClaim(PlatformClaims.OrganisationId).Value);
        Assert.Equal(consentId, access.GetClaim(PlatformClaims.ConsentId).Value);
        Assert.Contains("accounts", access.GetClaim("scope").Value.Split(' '));

        var consent = await _wallet.GetConsentAsync(consentId);
        Assert.Equal("Authorised", consent.GetProperty("Status").GetString());
        Assert.Equal(HttpStatusCode.OK, await _wallet.CallAccountsAsync(access.EncodedToken));
    }

    [Fact]
    public async Task Subject_IsPairwise_NotTheBanksCustomerId_AndStablePerClient()
    {
        var (_, first) = await _wallet.AuthorisedTokensAsync();
        var (_, second) = await _wallet.AuthorisedTokensAsync();

        var subject = new JsonWebToken(first.GetProperty("access_token").GetString()).Subject;
        Assert.Equal(subject, new JsonWebToken(second.GetProperty("access_token").GetString()).Subject);
        Assert.DoesNotContain("alice", subject, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(43, subject.Length);

        using var client = _wallet.Identity(authenticate: false);
        client.DefaultRequestHeaders.Authorization = new("Bearer", first.GetProperty("access_token").GetString());
        var userInfo = await client.GetFromJsonAsync<JsonElement>("/connect/userinfo", _ct);
        Assert.Equal(subject, userInfo.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Par_WithoutConsentId_IsRefused()
    {
        var form = _wallet.ParForm("x", Wallet.Pkce.Create());
        form.Remove("consent_id");

        var (status, body) = await _wallet.PushAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(Errors.InvalidRequest, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Par_ForAnotherClientsConsent_IsRefused()
    {
        var other = await RegisterClientAsync("other-wallet");
        var consentId = await platform.Wallet(other, "other-wallet-secret-0123456789").CreateConsentAsync();

        var (status, body) = await _wallet.PushAsync(_wallet.ParForm(consentId, Wallet.Pkce.Create()));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not", body.GetProperty("error_description").GetString());
    }

    [Theory]
    [InlineData("openid payments")]
    [InlineData("openid accounts payments")]
    public async Task Par_WithAScopeOtherThanTheConsentsApi_IsRefused(string scope)
    {
        var consentId = await _wallet.CreateConsentAsync();
        var form = _wallet.ParForm(consentId, Wallet.Pkce.Create());
        form["scope"] = scope;

        var (status, body) = await _wallet.PushAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(Errors.InvalidScope, body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("plain")]
    public async Task Par_WithoutS256Pkce_IsRefused(string variant)
    {
        var consentId = await _wallet.CreateConsentAsync();
        var form = _wallet.ParForm(consentId, Wallet.Pkce.Create());
        if (variant == "missing")
        {
            form.Remove("code_challenge");
            form.Remove("code_challenge_method");
        }
        else
        {
            form["code_challenge"] = "a-plain-verifier-used-as-challenge-0123456789abcdef";
            form["code_challenge_method"] = "plain";
        }

        var (status, body) = await _wallet.PushAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(Errors.InvalidRequest, body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("http://localhost:5005/callback/")]
    [InlineData("http://localhost:5005/Callback")]
    [InlineData("http://localhost:5005/callback?x=1")]
    [InlineData("http://evil.example/callback")]
    public async Task Par_WithARedirectUriNotExactlyRegistered_IsRefused(string redirectUri)
    {
        var consentId = await _wallet.CreateConsentAsync();
        var form = _wallet.ParForm(consentId, Wallet.Pkce.Create());
        form["redirect_uri"] = redirectUri;

        var (status, body) = await _wallet.PushAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(Errors.InvalidRequest, body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("demo-wallet", "wrong-secret")]
    [InlineData("no-such-client", "demo-wallet-secret")]
    public async Task Par_WithBadClientCredentials_IsRefused(string clientId, string secret)
    {
        var consentId = await _wallet.CreateConsentAsync();
        using var client = _wallet.Identity(authenticate: false);
        client.DefaultRequestHeaders.Authorization = Wallet.Basic(clientId, secret);

        var (status, body) = await _wallet.PostAsync(client, "/connect/par", _wallet.ParForm(consentId, Wallet.Pkce.Create()));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(Errors.InvalidClient, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Authorize_WithoutPushedRequest_IsRefused()
    {
        var consentId = await _wallet.CreateConsentAsync();
        using var client = _wallet.Identity(authenticate: false);
        var query = string.Join('&', _wallet.ParForm(consentId, Wallet.Pkce.Create()).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

        using var response = await client.GetAsync("/connect/authorize?" + query, _ct);

        Assert.DoesNotContain("code=", response.Headers.Location?.Query ?? string.Empty);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest || response.Headers.Location?.Query.Contains("error=invalid_request") == true,
            $"{response.StatusCode} {response.Headers.Location}");
    }

    [Fact]
    public async Task Code_WithTheWrongVerifier_IsRefused()
    {
        var (code, _) = await CodeAsync();

        var (status, body) = await _wallet.RedeemAsync(code, Wallet.Pkce.Create().Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(Errors.InvalidGrant, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Code_WithoutVerifier_IsRefused()
    {
        var (code, _) = await CodeAsync();
        using var client = _wallet.Identity();

        var (status, body) = await _wallet.PostAsync(client, "/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = Wallet.RedirectUri,
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(Errors.InvalidRequest, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Code_UsedTwice_IsRefusedTheSecondTime_AndRevokesWhatTheFirstGave()
    {
        var (code, pkce) = await CodeAsync();
        var (firstStatus, first) = await _wallet.RedeemAsync(code, pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, firstStatus);

        var (status, body) = await _wallet.RedeemAsync(code, pkce.Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(Errors.InvalidGrant, body.GetProperty("error").GetString());
        var (refreshStatus, _) = await _wallet.RefreshAsync(first.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.BadRequest, refreshStatus);
    }

    [Fact]
    public async Task Code_WithAnotherRedirectUri_IsRefused()
    {
        var (code, pkce) = await CodeAsync();

        var (status, body) = await _wallet.RedeemAsync(code, pkce.Verifier, "http://localhost:5005/callback/");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(Errors.InvalidGrant, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Code_AfterSixtySeconds_HasExpired()
    {
        var (code, pkce) = await CodeAsync();
        platform.Clock.Offset += TimeSpan.FromSeconds(61);
        try
        {
            var (status, body) = await _wallet.RedeemAsync(code, pkce.Verifier);

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(Errors.InvalidGrant, body.GetProperty("error").GetString());
        }
        finally
        {
            platform.Clock.Offset -= TimeSpan.FromSeconds(61);
        }
    }

    [Fact]
    public async Task RequestUri_IsShortLived_AndSingleUse()
    {
        var consentId = await _wallet.CreateConsentAsync();
        var (status, pushed) = await _wallet.PushAsync(_wallet.ParForm(consentId, Wallet.Pkce.Create()));
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.InRange(pushed.GetProperty("expires_in").GetInt32(), 1, 599);
        var requestUri = pushed.GetProperty("request_uri").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _wallet.AuthoriseHeadlessAsync(requestUri)).Status);

        var (again, body) = await _wallet.AuthoriseHeadlessAsync(requestUri);

        Assert.Equal(HttpStatusCode.BadRequest, again);
        Assert.False(body.TryGetProperty("redirect_uri", out var redirect) && redirect.GetString()!.Contains("code="));
    }

    [Fact]
    public async Task Deny_RejectsTheConsent_AndRedirectsWithAccessDenied()
    {
        var consentId = await _wallet.CreateConsentAsync();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, Wallet.Pkce.Create());

        var (status, body) = await _wallet.AuthoriseHeadlessAsync(requestUri, decision: "deny");

        Assert.Equal(HttpStatusCode.OK, status);
        var query = Wallet.QueryOf(body.GetProperty("redirect_uri").GetString()!);
        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("state-1", query["state"]);
        Assert.False(query.ContainsKey("code"));
        Assert.Equal("Rejected", (await _wallet.GetConsentAsync(consentId)).GetProperty("Status").GetString());
    }

    [Theory]
    [InlineData("alice", "wrong", "123456")]
    [InlineData("alice", "sandbox", "000000")]
    [InlineData("nobody", "sandbox", "123456")]
    public async Task Headless_WithBadCustomerCredentials_ChangesNothing(string username, string password, string otp)
    {
        var consentId = await _wallet.CreateConsentAsync();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, Wallet.Pkce.Create());

        var (status, body) = await _wallet.AuthoriseHeadlessAsync(requestUri, username: username, password: password, otp: otp);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(Errors.AccessDenied, body.GetProperty("error").GetString());
        Assert.Equal("AwaitingAuthorisation", (await _wallet.GetConsentAsync(consentId)).GetProperty("Status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _wallet.AuthoriseHeadlessAsync(requestUri)).Status);
    }

    [Fact]
    public async Task Headless_WithoutClientAuthentication_IsRefused()
    {
        var consentId = await _wallet.CreateConsentAsync();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, Wallet.Pkce.Create());
        using var client = _wallet.Identity(authenticate: false);

        var (status, body) = await _wallet.PostAsync(client, "/sandbox/authorize", new Dictionary<string, string>
        {
            ["client_id"] = "demo-wallet", ["request_uri"] = requestUri, ["username"] = "alice", ["password"] = "sandbox", ["otp"] = "123456", ["decision"] = "approve",
        });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(Errors.InvalidClient, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Refresh_RotatesTheToken_AndARetryWithTheOldOneWithinTheLeewayStillWorks()
    {
        var (consentId, tokens) = await _wallet.AuthorisedTokensAsync();
        var original = tokens.GetProperty("refresh_token").GetString()!;

        var (status, refreshed) = await _wallet.RefreshAsync(original);
        Assert.Equal(HttpStatusCode.OK, status);
        var rotated = refreshed.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(original, rotated);
        Assert.Equal(consentId, new JsonWebToken(refreshed.GetProperty("access_token").GetString()).GetClaim(PlatformClaims.ConsentId).Value);

        // The client lost the first response and retries with the token it still has.
        var (retry, retried) = await _wallet.RefreshAsync(original);

        Assert.True(retry == HttpStatusCode.OK, retried.ToString());
        Assert.Equal(HttpStatusCode.OK, (await _wallet.RefreshAsync(retried.GetProperty("refresh_token").GetString()!)).Status);
    }

    [Fact]
    public async Task Refresh_ReuseOfTheOldTokenAfterTheLeeway_IsRefused_AndRevokesTheChain()
    {
        var (_, tokens) = await _wallet.AuthorisedTokensAsync();
        var original = tokens.GetProperty("refresh_token").GetString()!;
        var (status, refreshed) = await _wallet.RefreshAsync(original);
        Assert.Equal(HttpStatusCode.OK, status);
        var rotated = refreshed.GetProperty("refresh_token").GetString()!;

        platform.Clock.Offset += TimeSpan.FromSeconds(31);
        try
        {
            var (reuse, body) = await _wallet.RefreshAsync(original);

            Assert.Equal(HttpStatusCode.BadRequest, reuse);
            Assert.Equal(Errors.InvalidGrant, body.GetProperty("error").GetString());
            Assert.Equal(HttpStatusCode.BadRequest, (await _wallet.RefreshAsync(rotated)).Status);
        }
        finally
        {
            platform.Clock.Offset -= TimeSpan.FromSeconds(31);
        }
    }

    [Fact]
    public async Task RevokedRefreshToken_NoLongerRefreshes_AndIntrospectsInactive()
    {
        var (_, tokens) = await _wallet.AuthorisedTokensAsync();
        var refresh = tokens.GetProperty("refresh_token").GetString()!;
        using var client = _wallet.Identity();
        var (activeStatus, active) = await _wallet.PostAsync(client, "/connect/introspect", new Dictionary<string, string> { ["token"] = refresh });
        Assert.Equal(HttpStatusCode.OK, activeStatus);
        Assert.True(active.GetProperty("active").GetBoolean());

        var (revoked, _) = await _wallet.PostAsync(client, "/connect/revoke", new Dictionary<string, string> { ["token"] = refresh, ["token_type_hint"] = "refresh_token" });

        Assert.Equal(HttpStatusCode.OK, revoked);
        var (status, body) = await _wallet.RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(Errors.InvalidGrant, body.GetProperty("error").GetString());
        var (_, inactive) = await _wallet.PostAsync(client, "/connect/introspect", new Dictionary<string, string> { ["token"] = refresh });
        Assert.False(inactive.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task CustomerSignIn_AfterFiveWrongPasswords_IsLockedEvenWithTheRightOne()
    {
        var consentId = await _wallet.CreateConsentAsync();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, Wallet.Pkce.Create());
        for (var attempt = 0; attempt < 5; attempt++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await _wallet.AuthoriseHeadlessAsync(requestUri, username: "dave", password: "guess-" + attempt)).Status);
        }

        var (status, body) = await _wallet.AuthoriseHeadlessAsync(requestUri, username: "dave");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Contains("locked", body.GetProperty("error_description").GetString());
        Assert.Equal("AwaitingAuthorisation", (await _wallet.GetConsentAsync(consentId)).GetProperty("Status").GetString());
    }

    [Fact]
    public async Task PrivateKeyJwt_WithAKeyFromTheRegisteredJwks_AuthenticatesTheClient_AndAnotherKeyDoesNot()
    {
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: true)) { KeyId = "wallet-key-1" };
        var clientId = await RegisterClientAsync("jwks-wallet", JsonWebKeyConverter.ConvertFromRSASecurityKey(
            new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false)) { KeyId = "wallet-key-1" }));
        using var client = _wallet.Identity(authenticate: false);

        var (status, body) = await _wallet.PostAsync(client, "/connect/token", AssertionForm(clientId, key));
        var (otherStatus, other) = await _wallet.PostAsync(client, "/connect/token",
            AssertionForm(clientId, new RsaSecurityKey(RSA.Create(2048)) { KeyId = "wallet-key-1" }));

        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(clientId, new JsonWebToken(body.GetProperty("access_token").GetString()).GetClaim("client_id").Value);
        Assert.Equal(HttpStatusCode.Unauthorized, otherStatus);
        Assert.Equal(Errors.InvalidClient, other.GetProperty("error").GetString());
    }

    [Fact]
    public async Task HeadlessAuthorisation_WithPrivateKeyJwt_Works_AndRefusesAReplayedAssertion()
    {
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: true)) { KeyId = "headless-key" };
        var clientId = await RegisterClientAsync("jwks-headless-wallet", JsonWebKeyConverter.ConvertFromRSASecurityKey(
            new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false)) { KeyId = "headless-key" }));
        using var client = _wallet.Identity(authenticate: false);
        var (tokenStatus, token) = await _wallet.PostAsync(client, "/connect/token", AssertionForm(clientId, key));
        Assert.Equal(HttpStatusCode.OK, tokenStatus);
        using var bank = platform.Sandbox.CreateClient();
        bank.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("access_token").GetString());
        using var created = await bank.PostAsync("/open-banking/v3.1/aisp/account-access-consents", new StringContent(
            """{"Data":{"Permissions":["ReadAccountsBasic"]},"Risk":{}}""", System.Text.Encoding.UTF8, "application/json"), _ct);
        var consentId = (await created.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Data").GetProperty("ConsentId").GetString()!;

        async Task<string> PushAsync()
        {
            var form = _wallet.ParForm(consentId, Wallet.Pkce.Create());
            form["client_id"] = clientId;
            form["scope"] = "openid accounts";
            foreach (var (name, value) in AssertionForm(clientId, key).Where(p => p.Key.StartsWith("client_assertion", StringComparison.Ordinal)))
            {
                form[name] = value;
            }

            var (status, body) = await _wallet.PostAsync(client, "/connect/par", form);
            Assert.True(status == HttpStatusCode.Created, body.ToString());
            return body.GetProperty("request_uri").GetString()!;
        }

        var assertion = AssertionForm(clientId, key);
        Dictionary<string, string> Headless(string requestUri) => new()
        {
            ["client_id"] = clientId, ["request_uri"] = requestUri, ["username"] = "erin", ["password"] = "sandbox", ["otp"] = "123456",
            ["decision"] = "deny", ["client_assertion_type"] = assertion["client_assertion_type"], ["client_assertion"] = assertion["client_assertion"],
        };

        var firstRequest = await PushAsync();
        var secondRequest = await PushAsync();

        var (first, _) = await _wallet.PostAsync(client, "/sandbox/authorize", Headless(firstRequest));
        var (replayed, body) = await _wallet.PostAsync(client, "/sandbox/authorize", Headless(secondRequest));

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed);
        Assert.Equal(Errors.InvalidClient, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task IdentityPages_CannotBeFramed_AndLeakNoReferrer()
    {
        using var client = _wallet.Identity(authenticate: false);

        using var response = await client.GetAsync("/customer/sign-in", _ct);

        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task EndSession_ReturnsToTheRegisteredPostLogoutUri_AndNowhereElse()
    {
        var (_, tokens) = await _wallet.AuthorisedTokensAsync();
        var idToken = tokens.GetProperty("id_token").GetString()!;
        using var client = _wallet.Identity(authenticate: false);

        using var registered = await client.GetAsync(
            $"/connect/endsession?id_token_hint={idToken}&post_logout_redirect_uri={Uri.EscapeDataString("http://localhost:5005/")}&state=bye", _ct);
        using var foreign = await client.GetAsync(
            $"/connect/endsession?id_token_hint={idToken}&post_logout_redirect_uri={Uri.EscapeDataString("http://evil.example/")}", _ct);

        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.StartsWith("http://localhost:5005/?state=bye", registered.Headers.Location!.AbsoluteUri);
        Assert.False(foreign.Headers.Location?.AbsoluteUri.StartsWith("http://evil.example", StringComparison.Ordinal) ?? false);
    }

    [Fact]
    public async Task EndSession_WithAValidHintOfSomeoneElse_DoesNotSignTheSignedInPartnerOut()
    {
        // Any partner app can get a valid ID token (of its own test customer): as a hint it must not sign others out.
        var (_, tokens) = await _wallet.AuthorisedTokensAsync();
        var othersIdToken = tokens.GetProperty("id_token").GetString()!;
        var session = new HtmlSession(platform.Identity.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        using var signIn = await session.PostFormAsync(await session.GetAsync("/account/login"), "login-form", new Dictionary<string, string>
        {
            ["Input.Email"] = DevelopmentSeed.PartnerEmail,
            ["Input.Password"] = "Partner!2345",
        });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        using var response = await session.GetRawAsync($"/connect/endsession?id_token_hint={othersIdToken}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/connect/endsession/confirm", response.Headers.Location!.OriginalString);
        using var account = await session.GetRawAsync("/account");
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
    }

    [Fact]
    public async Task SuspendedClient_CannotPushRequests_NorRefresh_UntilReactivated()
    {
        using var portal = _wallet.Identity(authenticate: false);
        portal.DefaultRequestHeaders.Authorization = Wallet.Basic("portal-service", "portal-service-dev-secret");
        var (_, portalToken) = await _wallet.PostAsync(portal, "/connect/token", new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "identity.clients" });
        portal.DefaultRequestHeaders.Authorization = new("Bearer", portalToken.GetProperty("access_token").GetString());
        using var created = await portal.PostAsJsonAsync("/internal/clients", new
        {
            name = "Suspendable Wallet",
            organisationId = DevelopmentSeed.DemoOrganisationId,
            organisationName = "Demo Wallet Ltd",
            redirectUris = new[] { Wallet.RedirectUri },
            scopes = new[] { "openid", "offline_access", "accounts" },
            authMethod = "client_secret_basic",
        }, _ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var app = await created.Content.ReadFromJsonAsync<JsonElement>(_ct);
        var wallet = platform.Wallet(app.GetProperty("clientId").GetString()!, app.GetProperty("clientSecret").GetString()!);
        var (_, tokens) = await wallet.AuthorisedTokensAsync();
        var pendingConsent = await wallet.CreateConsentAsync();

        using var suspended = await portal.PostAsync($"/internal/clients/{wallet.ClientId}/suspend", null, _ct);

        Assert.True(suspended.IsSuccessStatusCode, suspended.StatusCode.ToString());
        var (parStatus, par) = await wallet.PushAsync(wallet.ParForm(pendingConsent, Wallet.Pkce.Create()));
        Assert.Equal(HttpStatusCode.Unauthorized, parStatus);
        Assert.Equal(Errors.InvalidClient, par.GetProperty("error").GetString());
        var (refreshStatus, refresh) = await wallet.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.Unauthorized, refreshStatus);
        Assert.Equal(Errors.InvalidClient, refresh.GetProperty("error").GetString());

        using var reactivated = await portal.PostAsync($"/internal/clients/{wallet.ClientId}/reactivate", null, _ct);
        Assert.True(reactivated.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Created, (await wallet.PushAsync(wallet.ParForm(pendingConsent, Wallet.Pkce.Create()))).Status);
        // Suspension revoked the refresh token for good; reactivation gives no old tokens back.
        Assert.Equal(HttpStatusCode.BadRequest, (await wallet.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!)).Status);
    }

    private static Dictionary<string, string> AssertionForm(string clientId, SecurityKey key) => new()
    {
        ["grant_type"] = "client_credentials",
        ["scope"] = "accounts",
        ["client_id"] = clientId,
        ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ["client_assertion"] = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            // The explicit type (draft-ietf-oauth-rfc7523bis) keeps an assertion from being replayed as another kind of JWT.
            TokenType = "client-authentication+jwt",
            Issuer = clientId,
            Audience = "http://localhost:5001/",
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("N") },
            Expires = DateTime.UtcNow.AddMinutes(1),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSsaPssSha256),
        }),
    };

    private async Task<(string Code, Wallet.Pkce Pkce)> CodeAsync()
    {
        var consentId = await _wallet.CreateConsentAsync();
        var pkce = Wallet.Pkce.Create();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, pkce);
        var (status, body) = await _wallet.AuthoriseHeadlessAsync(requestUri);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return (Wallet.QueryOf(body.GetProperty("redirect_uri").GetString()!)["code"], pkce);
    }

    /// <summary>A second partner app in the same organisation, registered directly in the store.</summary>
    private async Task<string> RegisterClientAsync(string clientId, JsonWebKey? key = null)
    {
        using var scope = platform.Identity.Services.CreateScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await applications.FindByClientIdAsync(clientId, _ct) is null)
        {
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = clientId,
                ClientSecret = "other-wallet-secret-0123456789",
                ClientType = ClientTypes.Confidential,
                DisplayName = "Other Wallet",
                RedirectUris = { new Uri(Wallet.RedirectUri) },
                Permissions =
                {
                    Permissions.Endpoints.Token, Permissions.Endpoints.PushedAuthorization, Permissions.Endpoints.Authorization,
                    Permissions.GrantTypes.ClientCredentials, Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                    Permissions.Prefixes.Scope + "accounts", Permissions.Prefixes.Scope + "openid",
                },
            };
            descriptor.Properties[PlatformClaims.OrganisationId] = JsonSerializer.SerializeToElement(DevelopmentSeed.DemoOrganisationId);
            if (key is not null)
            {
                descriptor.ClientSecret = null;
                descriptor.JsonWebKeySet = new JsonWebKeySet();
                descriptor.JsonWebKeySet.Keys.Add(key);
            }

            await applications.CreateAsync(descriptor, _ct);
        }

        return clientId;
    }

    private static string[] Strings(JsonElement element, string property)
        => [.. element.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];
}
