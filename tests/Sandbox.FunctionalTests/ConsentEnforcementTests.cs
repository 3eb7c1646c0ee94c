using System.Net;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>Every way a data call can lack the right to data gets the specification's status, never data.</summary>
public sealed class ConsentEnforcementTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private readonly SandboxClient _sandbox = new(factory);

    [Fact]
    public async Task ClientCredentialsToken_OnAccountData_Returns403()
    {
        var (status, _) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{SandboxClient.Aisp}/accounts");

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task ConsentAwaitingAuthorisation_Returns403()
    {
        var consentId = await _sandbox.CreateConsentAsync("ReadAccountsBasic");

        var (status, _) = await _sandbox.GetAsync(SandboxFactory.ClientToken(consentId: consentId), $"{SandboxClient.Aisp}/accounts");

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task RejectedConsent_Returns403()
    {
        var consentId = await _sandbox.CreateConsentAsync("ReadAccountsBasic");
        using var identity = _sandbox.Client(SandboxFactory.InternalToken());
        using var rejected = await identity.PostAsync($"/internal/consents/{consentId}/reject",
            new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);

        var (status, _) = await _sandbox.GetAsync(SandboxFactory.ClientToken(consentId: consentId), $"{SandboxClient.Aisp}/accounts");
        var (_, consent) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{SandboxClient.Aisp}/account-access-consents/{consentId}");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Rejected", consent.GetProperty("Data").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task AccountNotInTheConsent_Returns403()
    {
        var (_, _, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic ReadBalances",
            pick: a => a.GetProperty("AccountSubType").GetString() == "CurrentAccount");
        var savings = (await _sandbox.AccountsOfAsync(await _sandbox.CustomerIdAsync("alice")))
            .Single(a => a.GetProperty("AccountSubType").GetString() == "Savings").GetProperty("AccountId").GetString();

        var (status, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts/{savings}/balances");

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task AnotherTenantsAccountId_Returns403()
    {
        var (_, _, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic ReadBalances");
        var (_, foreignAccounts, _) = await _sandbox.AuthorisedAsync("ReadAccountsBasic", clientId: "wallet-z", organisationId: "org-z");

        var (status, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts/{foreignAccounts[0]}/balances");
        var (missing, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts/acc-does-not-exist");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(HttpStatusCode.Forbidden, missing);
    }

    [Fact]
    public async Task AnotherClientsConsentInTheToken_Returns403()
    {
        var (consentId, _, _) = await _sandbox.AuthorisedAsync("ReadAccountsBasic", clientId: "wallet-a");

        var (status, _) = await _sandbox.GetAsync(SandboxFactory.ClientToken(clientId: "wallet-b", consentId: consentId), $"{SandboxClient.Aisp}/accounts");

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Theory]
    [InlineData("/balances")]
    [InlineData("/transactions")]
    [InlineData("/beneficiaries")]
    [InlineData("/direct-debits")]
    [InlineData("/standing-orders")]
    [InlineData("/scheduled-payments")]
    [InlineData("/statements")]
    [InlineData("/products")]
    [InlineData("/offers")]
    [InlineData("/party")]
    public async Task MissingPermission_Returns403(string path)
    {
        var (_, _, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic");

        var (status, _) = await _sandbox.GetAsync(token, SandboxClient.Aisp + path);

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task DeletedConsent_Returns401()
    {
        var (consentId, _, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic");
        using var client = _sandbox.Client(SandboxFactory.ClientToken());
        using var deleted = await client.DeleteAsync($"{SandboxClient.Aisp}/account-access-consents/{consentId}", TestContext.Current.CancellationToken);

        var (status, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task AccessRevokedByTheCustomer_StopsOldTokensAtOnce_ButNotANewAuthorisation()
    {
        var (consentId, accounts, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic");
        var customerId = await _sandbox.CustomerIdAsync("alice");
        using var identity = _sandbox.Client(SandboxFactory.InternalToken());
        using var revoked = await identity.PostAsync($"/internal/consents/{consentId}/revoke",
            new StringContent($$"""{"CustomerId":"{{customerId}}"}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        var (oldToken, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");
        var (_, consent) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{SandboxClient.Aisp}/account-access-consents/{consentId}");
        await _sandbox.AuthoriseAsync(consentId, "alice");
        var fresh = SandboxFactory.ClientToken(consentId: consentId, issuedAt: DateTime.UtcNow.AddSeconds(2));
        var (newToken, _) = await _sandbox.GetAsync(fresh, $"{SandboxClient.Aisp}/accounts");

        Assert.Equal(HttpStatusCode.Unauthorized, oldToken);
        Assert.Equal("Authorised", consent.GetProperty("Data").GetProperty("Status").GetString());
        Assert.Equal(HttpStatusCode.OK, newToken);
    }
}

/// <summary>Expiry needs a clock of its own, so it has a factory of its own.</summary>
public sealed class ConsentExpiryTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    [Fact]
    public async Task ExpiredConsent_Returns401()
    {
        var sandbox = new SandboxClient(factory);
        var expires = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var (_, _, token) = await sandbox.AuthorisedAsync("ReadAccountsBasic", extraData: $",\"ExpirationDateTime\":\"{expires}\"");
        var (before, _) = await sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");

        factory.Clock.Offset = TimeSpan.FromHours(2);
        var (after, _) = await sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.Unauthorized, after);
    }
}
