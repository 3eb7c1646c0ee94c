using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Gateway.CallLog;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests.Readiness;

/// <summary>
/// The readiness report from real traffic: an app that waits out a 429's Retry-After passes <c>rate-limit-respected</c>,
/// one that retries at once fails it; every operation of both versions is listed; another organisation sees nothing.
/// </summary>
public sealed class ReadinessApiTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private const string AccountConsents = "/open-banking/v3.1/aisp/account-access-consents";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAppThatWaitsOutRetryAfter_Passes_OneThatRetriesAtOnce_Fails_AndNoOtherOrganisationSeesEither()
    {
        var patient = await RegisterAppAsync("org-ready-" + Guid.NewGuid().ToString("N")[..8]);
        var hasty = await RegisterAppAsync("org-ready-" + Guid.NewGuid().ToString("N")[..8]);
        var patientConsent = await patient.Wallet.CreateConsentAsync();
        var hastyConsent = await hasty.Wallet.CreateConsentAsync();

        // Patient: a simulated 429, then (the gateway's clock moved past Retry-After: 2) the same route again.
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(patient.Wallet, $"{AccountConsents}/{patientConsent}", "rate-limit"));
        platform.GatewayClock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(patient.Wallet, $"{AccountConsents}/{patientConsent}", null));

        // Hasty: a 429, then the same route at once.
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(hasty.Wallet, $"{AccountConsents}/{hastyConsent}", "rate-limit"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(hasty.Wallet, $"{AccountConsents}/{hastyConsent}", null));

        await platform.Gateway.Services.GetRequiredService<CallLogWriter>().FlushAsync(_ct);
        using var portal = await PortalAsync();

        var passed = await ReadinessAsync(portal, patient);
        var check = Check(passed, "rate-limit-respected");
        Assert.Equal("passed", check.GetProperty("status").GetString());
        Assert.Equal(2, check.GetProperty("evidence").GetArrayLength());
        Assert.Equal("failed", Check(await ReadinessAsync(portal, hasty), "rate-limit-respected").GetProperty("status").GetString());

        // Coverage: every operation of both versions; the consent read counted (two calls, one of them a success).
        var operations = passed.GetProperty("operations").EnumerateArray().ToList();
        Assert.Contains(operations, o => o.GetProperty("version").GetString() == "v4.0" && o.GetProperty("api").GetString() == "vrp");
        Assert.Contains(operations, o => o.GetProperty("api").GetString() == "events");
        var read = Assert.Single(operations, o => o.GetProperty("version").GetString() == "v3.1.11" && o.GetProperty("method").GetString() == "GET"
            && o.GetProperty("routeTemplate").GetString() == AccountConsents + "/{ConsentId}");
        Assert.Equal(2, read.GetProperty("calls").GetInt32());
        Assert.Equal(1, read.GetProperty("succeeded").GetInt32());
        Assert.Equal(0, Assert.Single(operations, o => o.GetProperty("version").GetString() == "v4.0" && o.GetProperty("method").GetString() == "GET"
            && o.GetProperty("routeTemplate").GetString() == "/open-banking/v4.0/aisp/accounts").GetProperty("calls").GetInt32());

        // The patient app's report asked for by the hasty app's organisation: nothing of the patient's traffic.
        var asOther = await portal.GetFromJsonAsync<JsonElement>(
            $"/internal/apps/{patient.Wallet.ClientId}/readiness?organisationId={hasty.OrganisationId}", _ct);
        Assert.All(asOther.GetProperty("operations").EnumerateArray(), o => Assert.Equal(0, o.GetProperty("calls").GetInt32()));
        Assert.All(asOther.GetProperty("checks").EnumerateArray(), c => Assert.Empty(c.GetProperty("evidence").EnumerateArray()));
        using var unscoped = await portal.GetAsync($"/internal/apps/{patient.Wallet.ClientId}/readiness", _ct);
        Assert.Equal(HttpStatusCode.BadRequest, unscoped.StatusCode);
        using var bank = platform.Gateway.CreateClient();
        bank.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await patient.Wallet.ClientTokenAsync());
        using var withBankToken = await bank.GetAsync($"/internal/apps/{patient.Wallet.ClientId}/readiness?organisationId={patient.OrganisationId}", _ct);
        Assert.Equal(HttpStatusCode.Forbidden, withBankToken.StatusCode);
    }

    private static JsonElement Check(JsonElement readiness, string id)
        => Assert.Single(readiness.GetProperty("checks").EnumerateArray(), c => c.GetProperty("id").GetString() == id);

    private async Task<JsonElement> ReadinessAsync(HttpClient portal, (string OrganisationId, Wallet Wallet) app)
        => await portal.GetFromJsonAsync<JsonElement>($"/internal/apps/{app.Wallet.ClientId}/readiness?organisationId={app.OrganisationId}", _ct);

    private async Task<HttpStatusCode> GetAsync(Wallet wallet, string path, string? fault)
    {
        using var client = platform.Gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await wallet.ClientTokenAsync());
        request.Headers.Add("x-fapi-interaction-id", Guid.NewGuid().ToString());
        if (fault is not null)
        {
            request.Headers.Add(PlatformHeaders.SandboxSimulate, fault);
        }

        using var response = await client.SendAsync(request, _ct);
        return response.StatusCode;
    }

    private async Task<HttpClient> PortalAsync()
    {
        var identity = platform.Wallet("portal-service", "portal-service-dev-secret");
        var client = platform.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await identity.ClientTokenAsync(PlatformScopes.GatewayCalls));
        return client;
    }

    private async Task<(string OrganisationId, Wallet Wallet)> RegisterAppAsync(string organisationId)
    {
        var portalIdentity = platform.Wallet("portal-service", "portal-service-dev-secret");
        using var identity = platform.Identity.CreateClient();
        identity.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await portalIdentity.ClientTokenAsync(PlatformScopes.IdentityClients));
        using var created = await identity.PostAsJsonAsync("/internal/clients", new
        {
            name = "Readiness Wallet",
            organisationId,
            organisationName = "Readiness Wallet Ltd",
            redirectUris = new[] { "https://ready.example/callback" },
            scopes = new[] { "accounts" },
            authMethod = "client_secret_basic",
        }, _ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var app = await created.Content.ReadFromJsonAsync<JsonElement>(_ct);
        return (organisationId, platform.Wallet(app.GetProperty("clientId").GetString()!, app.GetProperty("clientSecret").GetString()!));
    }
}
