using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using OpenBanking.Shared;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// The consent inspector across the real services: the wallet creates a consent at the gateway, the customer
/// authorises it, the wallet reads accounts with it, then deletes it and its next call is refused. The partner finds
/// the consent in the Portal — the customer's journey, the tokens and the calls on one timeline — and, searching the
/// refused call's interaction id, the refusal and its reason. A consent of another organisation is "not found".
/// </summary>
public sealed class ConsentInspectorTests(PlatformFixture platform, BrowserFixture browser)
{
    private const string RedirectUri = "http://localhost:5005/callback";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private Uri Portal => platform.EndpointOf(PlatformServices.Portal);

    [Fact]
    public async Task Partner_FollowsAConsentFromCreationToTheRefusalAfterItWasDeleted_AndSeesWhy()
    {
        using var identity = Client(PlatformServices.Identity, "demo-wallet", "demo-wallet-secret");
        using var gateway = new HttpClient { BaseAddress = platform.EndpointOf(PlatformServices.Gateway) };
        var clientToken = await ClientTokenAsync(identity);
        var consentId = await CreateConsentAsync(gateway, clientToken);
        var accessToken = await AuthoriseAsync(identity, "demo-wallet", consentId);

        var okInteraction = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.OK, (await ReadAccountsAsync(gateway, accessToken, okInteraction)).Status);
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, $"/open-banking/v3.1/aisp/account-access-consents/{consentId}"))
        {
            delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", clientToken);
            using var deleted = await gateway.SendAsync(delete, _ct);
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var refusedInteraction = Guid.NewGuid().ToString();
        var (refusedStatus, errorCode) = await ReadAccountsAsync(gateway, accessToken, refusedInteraction);
        Assert.True((int)refusedStatus >= 400, $"The call after the deletion answered {refusedStatus}.");

        var page = await browser.NewPageAsync(Portal);
        await PartnerAccounts.SignInToPortalAsync(page, Portal, DevelopmentSeed.PartnerEmail, "Partner!2345", "/consents");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Consent inspector");

        // The consent by its id: the customer's journey (Identity), its tokens, and the calls that named it.
        await SearchAsync(page, consentId);
        await page.GetByTestId("consent-direct-link").Or(page.GetByTestId("consent-link").Filter(new() { HasText = consentId })).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/consents/" + Regex.Escape(consentId) + "$"));
        await Expect(page.GetByTestId("consent-id")).ToContainTextAsync(consentId);
        var timeline = page.GetByTestId("consent-timeline");
        await Expect(timeline).ToContainTextAsync("Customer journey: approved");
        await Expect(timeline).ToContainTextAsync("Customer journey: authorization code sent to the app");
        await Expect(timeline).ToContainTextAsync("Authorization code exchanged for tokens");
        await Expect(page.GetByTestId("consent-summary")).ToContainTextAsync("Demo Wallet");
        await Expect(page.GetByTestId("refusal-box")).ToBeVisibleAsync();
        // The gateway writes its log a moment after answering: the deletion shows once it is there.
        await UntilAsync(page, () => page.GetByTestId("consent-refresh").ClickAsync(),
            timeline.GetByTestId("timeline-call").Filter(new() { HasText = $"DELETE /open-banking/v3.1/aisp/account-access-consents/{consentId} → 204" }));

        Assert.Null(await PageWidth.OverflowAsync(page));
        var violations = (await Axe.SeriousViolationsAsync(page, "1440px, consent")).ToList();
        await page.SetViewportSizeAsync(Screenshots.PhoneWidth, Screenshots.PhoneHeight);
        Assert.Null(await PageWidth.OverflowAsync(page));
        violations.AddRange(await Axe.SeriousViolationsAsync(page, "390px, consent"));
        await page.SetViewportSizeAsync(1440, 900);

        // The refused call by its interaction id: where it was refused, the status and the bank's reason.
        await page.GotoAsync(new Uri(Portal, "/consents").ToString());
        await PartnerAccounts.WaitInteractiveAsync(page);
        var answer = page.GetByTestId("refusal-answer");
        await UntilAsync(page, () => SearchAsync(page, refusedInteraction), answer);
        var refusal = page.GetByTestId("refusal-call").Or(page.GetByTestId("interaction-call")).First;
        await Expect(refusal).ToContainTextAsync($"GET /open-banking/v3.1/aisp/accounts → {(int)refusedStatus}");
        if (errorCode is not null)
        {
            await Expect(page.GetByTestId("refusal-error-code").Or(answer).First).ToContainTextAsync(errorCode);
        }

        violations.AddRange(await Axe.SeriousViolationsAsync(page, "1440px, refusal"));
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        await Screenshots.SaveVariantsAsync(page, "consent-inspector");

        // The call opens in the call log's own dialog, with the bank's error.
        await page.GetByTestId("refusal-open-call").Or(page.GetByTestId("interaction-call-open")).First.ClickAsync();
        await Expect(page.GetByTestId("call-detail-dialog")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("call-detail-dialog")).ToContainTextAsync(((int)refusedStatus).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AConsentOfAnotherOrganisation_IsNotFound()
    {
        // Another partner organisation's app, registered as the Portal would (Identity's client management API).
        using var portalService = Client(PlatformServices.Identity, "portal-service", "portal-service-dev-secret");
        var serviceToken = await ClientTokenAsync(portalService, PlatformScopes.IdentityClients);
        using var management = new HttpClient { BaseAddress = platform.EndpointOf(PlatformServices.Identity) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", serviceToken);
        using var created = await management.PostAsJsonAsync("/internal/clients", new
        {
            name = "Other Org Wallet",
            organisationId = Guid.NewGuid().ToString(),
            organisationName = "Other Org Ltd",
            redirectUris = new[] { RedirectUri },
            scopes = new[] { "openid", "offline_access", "accounts" },
            authMethod = "client_secret_basic",
        }, _ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var app = await created.Content.ReadFromJsonAsync<JsonElement>(_ct);
        var otherClientId = app.GetProperty("clientId").GetString()!;
        using var other = Client(PlatformServices.Identity, otherClientId, app.GetProperty("clientSecret").GetString()!);
        using var gateway = new HttpClient { BaseAddress = platform.EndpointOf(PlatformServices.Gateway) };
        var consentId = await CreateConsentAsync(gateway, await ClientTokenAsync(other));
        await AuthoriseAsync(other, otherClientId, consentId);

        var page = await browser.NewPageAsync(Portal);
        await PartnerAccounts.SignInToPortalAsync(page, Portal, DevelopmentSeed.PartnerEmail, "Partner!2345", $"/consents/{consentId}");

        await Expect(page.GetByTestId("consent-not-found")).ToContainTextAsync(consentId);
        await Expect(page.GetByTestId("consent-timeline")).ToHaveCountAsync(0);
        await SearchAsync(page, consentId);
        await Expect(page.GetByTestId("consent-link")).ToHaveCountAsync(0);
    }

    private async Task SearchAsync(IPage page, string query)
    {
        await page.GetByTestId("consent-search").FillAsync(query);
        await page.GetByTestId("consent-search-button").ClickAsync();
        // The results of this search (data-query), not the latest consents still on screen while it runs: a click on
        // those would be lost as the search replaces them.
        var found = $"[data-query=\"{query}\"]";
        await Expect(page.Locator("[data-testid=consents-empty]" + found).Or(page.Locator("[data-testid=consents-table]" + found))
            .Or(page.GetByTestId("consent-id")).First).ToBeVisibleAsync();
    }

    /// <summary>Repeats an action (a refresh, a search) until what it waits for is on the page: the call log is written off the request path.</summary>
    private static async Task UntilAsync(IPage page, Func<Task> action, ILocator expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await expected.CountAsync() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "What the page should show never appeared: " + await page.InnerTextAsync("body"));
            await action();
            try
            {
                await expected.First.WaitForAsync(new() { Timeout = 2_000 });
            }
            catch (TimeoutException)
            {
            }
        }
    }

    private HttpClient Client(string service, string clientId, string secret)
    {
        var client = new HttpClient { BaseAddress = platform.EndpointOf(service) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        return client;
    }

    private async Task<string> ClientTokenAsync(HttpClient identity, string scope = "accounts")
    {
        using var token = await identity.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = scope,
        }), _ct);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        return (await token.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("access_token").GetString()!;
    }

    private async Task<string> CreateConsentAsync(HttpClient gateway, string clientToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/open-banking/v3.1/aisp/account-access-consents")
        {
            Content = new StringContent("""{"Data":{"Permissions":["ReadAccountsDetail","ReadBalances"]},"Risk":{}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", clientToken);
        request.Headers.Add(PlatformHeaders.InteractionId, Guid.NewGuid().ToString());
        using var consent = await gateway.SendAsync(request, _ct);
        Assert.Equal(HttpStatusCode.Created, consent.StatusCode);
        return (await consent.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Data").GetProperty("ConsentId").GetString()!;
    }

    /// <summary>PAR, then the customer alice approves with the sandbox's non-browser authorisation, then the code is exchanged.</summary>
    private async Task<string> AuthoriseAsync(HttpClient identity, string clientId, string consentId)
    {
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        using var par = await identity.PostAsync("/connect/par", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = RedirectUri,
            ["scope"] = "openid accounts offline_access",
            ["state"] = "inspector-state",
            ["nonce"] = "inspector-nonce",
            ["code_challenge"] = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
            ["consent_id"] = consentId,
        }), _ct);
        Assert.Equal(HttpStatusCode.Created, par.StatusCode);
        var requestUri = (await par.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("request_uri").GetString()!;

        using var approval = await identity.PostAsync("/sandbox/authorize", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["request_uri"] = requestUri,
            ["username"] = "alice",
            ["password"] = "sandbox",
            ["otp"] = "123456",
            ["decision"] = "approve",
        }), _ct);
        var approved = await approval.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.True(approval.StatusCode == HttpStatusCode.OK && approved.TryGetProperty("redirect_uri", out _), approved.ToString());
        var code = QueryHelpers.ParseQuery(new Uri(approved.GetProperty("redirect_uri").GetString()!).Query)["code"].ToString();

        using var tokens = await identity.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
        }), _ct);
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
        return (await tokens.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("access_token").GetString()!;
    }

    private async Task<(HttpStatusCode Status, string? ErrorCode)> ReadAccountsAsync(HttpClient gateway, string accessToken, string interactionId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/open-banking/v3.1/aisp/accounts");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Add(PlatformHeaders.InteractionId, interactionId);
        using var response = await gateway.SendAsync(request, _ct);
        string? code = null;
        if (!response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
            if (body.TryGetProperty("Errors", out var errors) && errors.GetArrayLength() > 0)
            {
                code = errors[0].GetProperty("ErrorCode").GetString();
            }
        }

        return (response.StatusCode, code);
    }
}
