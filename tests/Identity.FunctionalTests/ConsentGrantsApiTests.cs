using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// The consent inspector's Identity side: every step of a real consent journey (browser pages and the headless
/// endpoint) is recorded without secrets, the tokens issued under the consent are listed by reference, and each app's
/// code exchanges, refreshes and revocations are counted — only ever for the app that owns them.
/// </summary>
public sealed partial class ConsentGrantsApiTests(ConsentJourneyFixture platform) : IClassFixture<ConsentJourneyFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task BrowserJourney_WithMistakes_RecordsEveryStepInOrder_AndNoSecret()
    {
        var consentId = await _wallet.CreateConsentAsync();
        var pkce = Wallet.Pkce.Create();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, pkce);
        using var browser = platform.Identity.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        using var first = await browser.GetAsync($"/connect/authorize?client_id=demo-wallet&request_uri={Uri.EscapeDataString(requestUri)}", _ct);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var signInUrl = first.Headers.Location!.OriginalString;
        var signIn = await browser.GetStringAsync(signInUrl, _ct);
        using (var wrong = await CustomerBrowser.PostFormAsync(browser, signInUrl, signIn, SignInForm("not-the-password"), _ct))
        {
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        using var afterPassword = await CustomerBrowser.PostFormAsync(browser, signInUrl, signIn, SignInForm("sandbox"), _ct);
        Assert.Equal(HttpStatusCode.Redirect, afterPassword.StatusCode);
        var secondFactorUrl = afterPassword.Headers.Location!.OriginalString;
        var secondFactor = await browser.GetStringAsync(secondFactorUrl, _ct);
        using (var wrongCode = await CustomerBrowser.PostFormAsync(browser, secondFactorUrl, secondFactor, new() { ["Code"] = "000001" }, _ct))
        {
            Assert.Equal(HttpStatusCode.OK, wrongCode.StatusCode);
        }

        using var afterCode = await CustomerBrowser.PostFormAsync(browser, secondFactorUrl, secondFactor, new() { ["Code"] = "123456" }, _ct);
        Assert.Equal(HttpStatusCode.Redirect, afterCode.StatusCode);
        var consentPage = await browser.GetStringAsync(afterCode.Headers.Location!.OriginalString, _ct);
        var accountId = AccountChoice().Match(consentPage).Groups[1].Value;
        using var approved = await CustomerBrowser.PostFormAsync(browser, "/connect/authorize", consentPage, new()
        {
            ["client_id"] = "demo-wallet",
            ["request_uri"] = requestUri,
            ["Accounts"] = accountId,
            ["Decision"] = "approve",
        }, _ct);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);

        using var portal = await PortalAsync();
        var grant = await portal.GetFromJsonAsync<JsonElement>($"/internal/consents/{consentId}/grants?clientId=demo-wallet", _ct);

        var journey = grant.GetProperty("journey").EnumerateArray().ToList();
        Assert.Equal(
            ["started", "sign-in-failed", "signed-in", "second-factor-failed", "second-factor", "accounts-chosen", "approved", "code-issued"],
            journey.Select(s => s.GetProperty("step").GetString()));
        Assert.Equal(
            ["/connect/authorize", "/customer/sign-in", "/customer/sign-in", "/customer/second-factor", "/customer/second-factor", "/connect/authorize", "/connect/authorize", "/connect/authorize"],
            journey.Select(s => s.GetProperty("page").GetString()));
        Assert.Equal("The password was not right.", journey[1].GetProperty("detail").GetString());
        Assert.Contains(accountId, journey[5].GetProperty("detail").GetString());
        Assert.Equal("Approved by customer alice.", journey[6].GetProperty("detail").GetString());
        Assert.Equal(journey.Select(s => s.GetProperty("at").GetDateTimeOffset()).Order(), journey.Select(s => s.GetProperty("at").GetDateTimeOffset()));
        var code = Wallet.QueryOf(approved.Headers.Location!.AbsoluteUri)["code"];
        var text = grant.ToString();
        foreach (var secret in new[] { "sandbox\"", "not-the-password", "000001", "123456", code, requestUri })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.Equal("valid", grant.GetProperty("authorizationStatus").GetString());
        Assert.Equal(JsonValueKind.String, grant.GetProperty("authorizedAt").ValueKind);
    }

    [Fact]
    public async Task HeadlessApproval_ThenCodeExchangeRefreshAndRevocation_ListsTokens_AndCountsTheAppsActivity()
    {
        var since = DateTimeOffset.UtcNow;
        var consentId = await _wallet.CreateConsentAsync();
        var pkce = Wallet.Pkce.Create();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, pkce);
        var (status, body) = await _wallet.AuthoriseHeadlessAsync(requestUri);
        Assert.Equal(HttpStatusCode.OK, status);
        var (tokenStatus, tokens) = await _wallet.RedeemAsync(Wallet.QueryOf(body.GetProperty("redirect_uri").GetString()!)["code"], pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, tokenStatus);
        var (refreshStatus, refreshed) = await _wallet.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, refreshStatus);
        using (var identity = _wallet.Identity())
        {
            var (revokeStatus, _) = await _wallet.PostAsync(identity, "/connect/revoke", new Dictionary<string, string>
            {
                ["token"] = refreshed.GetProperty("refresh_token").GetString()!,
                ["token_type_hint"] = "refresh_token",
            });
            Assert.Equal(HttpStatusCode.OK, revokeStatus);
        }

        using var portal = await PortalAsync();
        var grant = await portal.GetFromJsonAsync<JsonElement>($"/internal/consents/{consentId}/grants?clientId=demo-wallet", _ct);

        var journey = grant.GetProperty("journey").EnumerateArray().ToList();
        Assert.Equal(["started", "signed-in", "second-factor", "accounts-chosen", "approved", "code-issued"], journey.Select(s => s.GetProperty("step").GetString()));
        Assert.All(journey, s => Assert.Equal("/sandbox/authorize", s.GetProperty("page").GetString()));
        var listed = grant.GetProperty("tokens").EnumerateArray().ToList();
        Assert.Contains(listed, t => t.GetProperty("type").GetString() == "authorization_code" && t.GetProperty("status").GetString() == "redeemed");
        Assert.Contains(listed, t => t.GetProperty("type").GetString() == "refresh_token" && t.GetProperty("status").GetString() == "revoked");
        Assert.Equal(2, listed.Count(t => t.GetProperty("type").GetString() == "refresh_token"));
        Assert.All(listed, t => Assert.Matches("^[0-9a-f]{10}$", t.GetProperty("reference").GetString()!));
        var text = grant.ToString();
        Assert.DoesNotContain(tokens.GetProperty("access_token").GetString()!, text, StringComparison.Ordinal);
        Assert.DoesNotContain(tokens.GetProperty("refresh_token").GetString()!, text, StringComparison.Ordinal);

        var activity = await portal.GetFromJsonAsync<JsonElement>(
            $"/internal/clients/demo-wallet/token-activity?since={Uri.EscapeDataString(since.ToString("O"))}", _ct);
        Assert.True(activity.GetProperty("codeExchanges").GetInt32() == 1, activity.ToString());
        Assert.Equal(1, activity.GetProperty("refreshes").GetInt32());
        Assert.Equal(1, activity.GetProperty("revocations").GetInt32());
        Assert.True(activity.GetProperty("lastRefreshAt").GetDateTimeOffset() >= since);
        Assert.True(activity.GetProperty("lastCodeExchangeAt").GetDateTimeOffset() <= activity.GetProperty("lastRefreshAt").GetDateTimeOffset());

        var later = await portal.GetFromJsonAsync<JsonElement>(
            $"/internal/clients/demo-wallet/token-activity?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}", _ct);
        Assert.Equal(0, later.GetProperty("codeExchanges").GetInt32());
        Assert.Equal(JsonValueKind.Null, later.GetProperty("lastRefreshAt").ValueKind);
    }

    [Fact]
    public async Task FailedRefresh_IsNotCountedAsActivity()
    {
        var since = DateTimeOffset.UtcNow;
        var (status, _) = await _wallet.RefreshAsync("not-a-refresh-token");
        Assert.Equal(HttpStatusCode.BadRequest, status);

        using var portal = await PortalAsync();
        var activity = await portal.GetFromJsonAsync<JsonElement>(
            $"/internal/clients/demo-wallet/token-activity?since={Uri.EscapeDataString(since.ToString("O"))}", _ct);

        Assert.Equal(0, activity.GetProperty("refreshes").GetInt32());
    }

    [Fact]
    public async Task Grants_OfAnotherApp_UnknownConsent_OrNoClientId_AreRefused()
    {
        var (consentId, _) = await _wallet.AuthorisedTokensAsync();
        using var portal = await PortalAsync();

        using var other = await portal.GetAsync($"/internal/consents/{consentId}/grants?clientId=another-app", _ct);
        using var unknown = await portal.GetAsync("/internal/consents/aac-00000000-0000-0000-0000-000000000000/grants?clientId=demo-wallet", _ct);
        using var noClient = await portal.GetAsync($"/internal/consents/{consentId}/grants", _ct);
        using var own = await portal.GetAsync($"/internal/consents/{consentId}/grants?clientId=demo-wallet", _ct);

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noClient.StatusCode);
        Assert.Contains("clientId", await noClient.Content.ReadAsStringAsync(_ct));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task TokenActivity_BadSince_UnknownApp_AndWrongScope_AreRefused()
    {
        using var portal = await PortalAsync();
        using var badSince = await portal.GetAsync("/internal/clients/demo-wallet/token-activity?since=yesterday-ish", _ct);
        using var unknown = await portal.GetAsync("/internal/clients/no-such-app/token-activity", _ct);
        Assert.Equal(HttpStatusCode.BadRequest, badSince.StatusCode);
        Assert.Contains("since", await badSince.Content.ReadAsStringAsync(_ct));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // A partner app's own token (scope accounts, audience open-banking-api) opens nothing here.
        using var partner = _wallet.Identity(authenticate: false);
        partner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _wallet.ClientTokenAsync());
        using var refused = await partner.GetAsync("/internal/clients/demo-wallet/token-activity", _ct);
        using var anonymous = await _wallet.Identity(authenticate: false).GetAsync("/internal/clients/demo-wallet/token-activity", _ct);
        Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, refused.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Cleanup_DeletesStepsAndActivityOlderThanTheRetention_AndKeepsTheRest()
    {
        var consentId = "aac-cleanup-" + Guid.NewGuid().ToString("N");
        var old = DateTime.UtcNow - Grants.GrantRecordsCleanup.Retention - TimeSpan.FromDays(1);
        using (var scope = platform.Identity.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Infrastructure.IdentityDbContext>();
            db.ConsentJourneySteps.AddRange(
                new Grants.ConsentJourneyStep { ConsentId = consentId, ClientId = "demo-wallet", Step = "started", At = old },
                new Grants.ConsentJourneyStep { ConsentId = consentId, ClientId = "demo-wallet", Step = "signed-in", At = DateTime.UtcNow });
            db.TokenActivity.Add(new Grants.TokenActivityEntry { ClientId = "demo-wallet", Kind = "refresh", ConsentId = consentId, At = old });
            await db.SaveChangesAsync(_ct);
        }

        var cleanup = platform.Identity.Services.GetServices<IHostedService>().OfType<Grants.GrantRecordsCleanup>().Single();
        await cleanup.DeleteOldAsync(_ct);

        using var portal = await PortalAsync();
        var grant = await portal.GetFromJsonAsync<JsonElement>($"/internal/consents/{consentId}/grants?clientId=demo-wallet", _ct);
        Assert.Equal(["signed-in"], grant.GetProperty("journey").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        using (var scope = platform.Identity.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Infrastructure.IdentityDbContext>();
            Assert.False(await db.TokenActivity.AnyAsync(e => e.ConsentId == consentId, _ct));
        }
    }

    private static Dictionary<string, string> SignInForm(string password) => new()
    {
        ["Org"] = DevelopmentSeed.DemoOrganisationId,
        ["Username"] = "alice",
        ["Password"] = password,
    };

    private async Task<HttpClient> PortalAsync()
    {
        var portal = _wallet.Identity(authenticate: false);
        portal.DefaultRequestHeaders.Authorization = Wallet.Basic("portal-service", "portal-service-dev-secret");
        var (status, token) = await _wallet.PostAsync(portal, "/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = PlatformScopes.IdentityClients,
        });
        Assert.Equal(HttpStatusCode.OK, status);
        portal.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString());
        return portal;
    }

    [GeneratedRegex("name=\"Accounts\" value=\"([^\"]+)\"")]
    private static partial Regex AccountChoice();
}
