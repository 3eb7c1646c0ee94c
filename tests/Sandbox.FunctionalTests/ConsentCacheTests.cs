using System.Net;
using System.Net.Http.Json;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// Data calls keep the consents they read in memory (Accounts/ConsentAccessCache). Each test first reads with the
/// token, so the consent is cached, then changes the consent and expects the very next read to see the change.
/// (Expiry with a warm cache: <see cref="ConsentExpiryTests"/>.)
/// </summary>
public sealed class ConsentCacheTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly SandboxClient _sandbox = new(factory);

    [Fact]
    public async Task CustomerRevokesAccess_NextReadWithTheCachedConsent_Returns401()
    {
        var (consentId, _, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic ReadBalances");
        var (warm, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");

        using var identity = _sandbox.Client(SandboxFactory.InternalToken());
        using var revoked = await identity.PostAsJsonAsync($"/internal/consents/{consentId}/revoke",
            new { customerId = await _sandbox.CustomerIdAsync("alice") }, Ct);
        var (after, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/balances");

        Assert.Equal(HttpStatusCode.OK, warm);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after);
    }

    [Fact]
    public async Task AppDeletesTheConsent_NextReadWithTheCachedConsent_Returns401()
    {
        var (consentId, _, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic");
        var (warm, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");

        using var app = _sandbox.Client(SandboxFactory.ClientToken());
        using var deleted = await app.DeleteAsync($"{SandboxClient.Aisp}/account-access-consents/{consentId}", Ct);
        var (after, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");

        Assert.Equal(HttpStatusCode.OK, warm);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after);
    }

    [Fact]
    public async Task ConsentAuthorisedAfterARefusedRead_NextRead_Returns200()
    {
        var consentId = await _sandbox.CreateConsentAsync("ReadAccountsBasic");
        var token = SandboxFactory.ClientToken(consentId: consentId);
        var (awaiting, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");

        await _sandbox.AuthoriseAsync(consentId, "alice");
        var (after, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");

        Assert.Equal(HttpStatusCode.Forbidden, awaiting);
        Assert.Equal(HttpStatusCode.OK, after);
    }

    [Fact]
    public async Task RejectedConsent_AfterARefusedRead_StaysRefused()
    {
        var consentId = await _sandbox.CreateConsentAsync("ReadAccountsBasic");
        var token = SandboxFactory.ClientToken(consentId: consentId);
        var (awaiting, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");

        using var identity = _sandbox.Client(SandboxFactory.InternalToken());
        using var rejected = await identity.PostAsync($"/internal/consents/{consentId}/reject",
            new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Ct);
        // A second rejection is refused only if the first one is seen: the consent is Rejected now, not cached as awaiting.
        var (after, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");
        var (_, consent) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{SandboxClient.Aisp}/account-access-consents/{consentId}");

        Assert.Equal(HttpStatusCode.Forbidden, awaiting);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, after);
        Assert.Equal("Rejected", consent.GetProperty("Data").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task TenantReset_NextReadWithTheCachedConsent_IsRefused()
    {
        const string organisation = "org-cache-reset";
        var (_, _, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic ReadBalances", clientId: "wallet-r", organisationId: organisation);
        var (warm, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/balances");

        using var identity = _sandbox.Client(SandboxFactory.InternalToken());
        using var reset = await identity.PostAsync($"/internal/tenants/{organisation}/reset", null, Ct);
        var (after, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/balances");

        Assert.Equal(HttpStatusCode.OK, warm);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        // The reset deleted the consent: the token names a consent that is no longer there.
        Assert.Equal(HttpStatusCode.Forbidden, after);
    }
}
