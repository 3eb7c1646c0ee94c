using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Customers;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Internal;

namespace OpenBanking.Sandbox.FunctionalTests;

public sealed class InternalApiTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private readonly SandboxClient _sandbox = new(factory);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task TestCustomers_AreTheFivePersonasPlusGenerated_WithTotpSecrets()
    {
        var customers = await _sandbox.CustomersAsync("org-internal-1");

        var usernames = customers.Select(c => c.GetProperty("Username").GetString()).ToList();
        Assert.Contains("alice", usernames);
        Assert.Contains("erin", usernames);
        Assert.All(customers, c => Assert.Equal("sandbox", c.GetProperty("Password").GetString()));
        Assert.All(customers, c => Assert.StartsWith("otpauth://totp/", c.GetProperty("TotpUri").GetString()));
    }

    [Theory]
    [InlineData("alice", "sandbox", HttpStatusCode.OK)]
    [InlineData("ALICE", "sandbox", HttpStatusCode.OK)]
    [InlineData("alice", "wrong", HttpStatusCode.Unauthorized)]
    [InlineData("mallory", "sandbox", HttpStatusCode.NotFound)]
    [InlineData("", "sandbox", HttpStatusCode.BadRequest)]
    public async Task Authenticate_ChecksTheCustomersPassword(string username, string password, HttpStatusCode expected)
    {
        await _sandbox.CustomersAsync("org-a");
        using var client = _sandbox.Client(SandboxFactory.InternalToken());

        using var response = await client.PostAsJsonAsync("/internal/tenants/org-a/customers/authenticate", new { username, password }, _ct);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Authenticate_ForAnUnknownOrganisation_IsNotFoundAndCreatesNoTenant()
    {
        var organisationId = Guid.NewGuid().ToString();
        using var client = _sandbox.Client(SandboxFactory.InternalToken());

        using var response = await client.PostAsJsonAsync($"/internal/tenants/{organisationId}/customers/authenticate",
            new { username = "alice", password = "sandbox" }, _ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        Assert.False(await db.Tenants.AnyAsync(t => t.OrganisationId == organisationId, _ct));
    }

    [Fact]
    public async Task SecondFactor_AcceptsTheCurrentTotpAndTheStaticCode_RefusesOthers()
    {
        var customer = (await _sandbox.CustomersAsync()).Single(c => c.GetProperty("Username").GetString() == "bob");
        var id = customer.GetProperty("CustomerId").GetString();
        var totp = Totp.Compute(customer.GetProperty("TotpSecret").GetString()!, DateTimeOffset.UtcNow);
        using var client = _sandbox.Client(SandboxFactory.InternalToken());

        async Task<HttpStatusCode> Try(string code)
        {
            using var response = await client.PostAsJsonAsync($"/internal/tenants/org-a/customers/{id}/second-factor", new { code }, _ct);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.NoContent, await Try(totp));
        Assert.Equal(HttpStatusCode.NoContent, await Try(SandboxOptions.StaticOtp));
        Assert.Equal(HttpStatusCode.Unauthorized, await Try(totp == "000000" ? "111111" : "000000"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Try("abc"));
    }

    [Fact]
    public async Task SecondFactor_TheSameTotpCodeTwice_IsRefusedTheSecondTime()
    {
        var customer = (await _sandbox.CustomersAsync("org-replay")).Single(c => c.GetProperty("Username").GetString() == "carol");
        var id = customer.GetProperty("CustomerId").GetString();
        var code = Totp.Compute(customer.GetProperty("TotpSecret").GetString()!, factory.Clock.GetUtcNow());
        using var client = _sandbox.Client(SandboxFactory.InternalToken());

        using var first = await client.PostAsJsonAsync($"/internal/tenants/org-replay/customers/{id}/second-factor", new { code }, _ct);
        using var replay = await client.PostAsJsonAsync($"/internal/tenants/org-replay/customers/{id}/second-factor", new { code }, _ct);
        using var staticCode = await client.PostAsJsonAsync($"/internal/tenants/org-replay/customers/{id}/second-factor", new { code = SandboxOptions.StaticOtp }, _ct);
        using var staticAgain = await client.PostAsJsonAsync($"/internal/tenants/org-replay/customers/{id}/second-factor", new { code = SandboxOptions.StaticOtp }, _ct);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, staticCode.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, staticAgain.StatusCode);
    }

    [Fact]
    public async Task SecondFactor_ATotpCodeUsedBeforeAReset_IsStillRefusedAfterIt()
    {
        var customer = (await _sandbox.CustomersAsync("org-replay-reset")).Single(c => c.GetProperty("Username").GetString() == "dave");
        var code = Totp.Compute(customer.GetProperty("TotpSecret").GetString()!, factory.Clock.GetUtcNow());
        using var client = _sandbox.Client(SandboxFactory.InternalToken());
        async Task<HttpStatusCode> Try(string customerId)
        {
            using var response = await client.PostAsJsonAsync($"/internal/tenants/org-replay-reset/customers/{customerId}/second-factor", new { code }, _ct);
            return response.StatusCode;
        }

        var first = await Try(customer.GetProperty("CustomerId").GetString()!);
        using var reset = await client.PostAsync("/internal/tenants/org-replay-reset/reset", null, _ct);
        var afterReset = await Try(await _sandbox.CustomerIdAsync("dave", "org-replay-reset"));

        Assert.Equal(HttpStatusCode.NoContent, first);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterReset);
    }

    [Fact]
    public async Task TestCustomers_TotpSecrets_DependOnTheServersKey_NotOnlyOnTheOrganisationId()
    {
        using var otherSandbox = new SandboxFactory();

        var here = await _sandbox.CustomersAsync("org-a");
        var there = await new SandboxClient(otherSandbox).CustomersAsync("org-a");

        Assert.Equal(here.Select(c => c.GetProperty("Username").GetString()), there.Select(c => c.GetProperty("Username").GetString()));
        Assert.All(here.Zip(there), pair => Assert.NotEqual(pair.First.GetProperty("TotpSecret").GetString(), pair.Second.GetProperty("TotpSecret").GetString()));
    }

    [Fact]
    public async Task TestCustomers_TotpSecrets_AreKeptAcrossAReset()
    {
        var before = await _sandbox.CustomersAsync("org-reset-totp");
        using var client = _sandbox.Client(SandboxFactory.InternalToken());

        using var reset = await client.PostAsync("/internal/tenants/org-reset-totp/reset", null, _ct);
        var after = await _sandbox.CustomersAsync("org-reset-totp");

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(before.Select(c => c.GetProperty("TotpSecret").GetString()), after.Select(c => c.GetProperty("TotpSecret").GetString()));
    }

    [Fact]
    public async Task Authorise_WithAnotherCustomersAccount_IsRefusedAndChangesNothing()
    {
        var consentId = await _sandbox.CreateConsentAsync("ReadAccountsBasic");
        var alice = await _sandbox.CustomerIdAsync("alice");
        var bobsAccount = (await _sandbox.AccountsOfAsync(await _sandbox.CustomerIdAsync("bob")))[0].GetProperty("AccountId").GetString();
        using var client = _sandbox.Client(SandboxFactory.InternalToken());

        using var response = await client.PostAsJsonAsync($"/internal/consents/{consentId}/authorise", new { customerId = alice, accountIds = new[] { bobsAccount } }, _ct);
        var (_, consent) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{SandboxClient.Aisp}/account-access-consents/{consentId}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("AwaitingAuthorisation", consent.GetProperty("Data").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task Authorise_ARejectedConsent_IsAConflict()
    {
        var consentId = await _sandbox.CreateConsentAsync("ReadAccountsBasic");
        using var client = _sandbox.Client(SandboxFactory.InternalToken());
        using var rejected = await client.PostAsJsonAsync($"/internal/consents/{consentId}/reject", new { }, _ct);

        using var response = await client.PostAsJsonAsync($"/internal/consents/{consentId}/authorise",
            new { customerId = await _sandbox.CustomerIdAsync("alice"), accountIds = new[] { "x" } }, _ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Reject_AnAuthorisedConsent_OnlyWhenIdentityWithdrawsItsCustomersApproval()
    {
        var consentId = await _sandbox.CreateConsentAsync("ReadAccountsBasic");
        await _sandbox.AuthoriseAsync(consentId, "alice");
        var alice = await _sandbox.CustomerIdAsync("alice");
        var bob = await _sandbox.CustomerIdAsync("bob");
        using var client = _sandbox.Client(SandboxFactory.InternalToken());

        using var plain = await client.PostAsJsonAsync($"/internal/consents/{consentId}/reject", new { customerId = alice }, _ct);
        using var otherCustomer = await client.PostAsJsonAsync($"/internal/consents/{consentId}/reject", new { customerId = bob, authorisationFailed = true }, _ct);
        using var withdrawn = await client.PostAsJsonAsync($"/internal/consents/{consentId}/reject", new { customerId = alice, authorisationFailed = true }, _ct);
        var (_, consent) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{SandboxClient.Aisp}/account-access-consents/{consentId}");

        Assert.Equal(HttpStatusCode.Conflict, plain.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, otherCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal("Rejected", consent.GetProperty("Data").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task InternalEndpoints_WithoutTheInternalScope_Return403_AndWithoutAToken401()
    {
        using var partner = _sandbox.Client(SandboxFactory.ClientToken());
        using var anonymous = factory.CreateClient();

        using var forbidden = await partner.GetAsync("/internal/tenants/org-a/customers", _ct);
        using var unauthorised = await anonymous.GetAsync("/internal/tenants/org-a/customers", _ct);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorised.StatusCode);
    }

    [Fact]
    public async Task TokensForTheWrongAudience_AreRefused_EvenWithTheRightScope()
    {
        // A bank-API token that somehow carries the internal scope does not open internal endpoints, and an
        // internal token does not open account data.
        using var bankToken = _sandbox.Client(SandboxFactory.ClientToken(scope: "sandbox.internal accounts"));
        using var internalToken = _sandbox.Client(SandboxFactory.ClientToken(scope: "sandbox.internal accounts", audience: "sandbox"));

        using var asBank = await bankToken.GetAsync("/internal/tenants/org-a/customers", _ct);
        using var asInternal = await internalToken.GetAsync($"{SandboxClient.Aisp}/accounts", _ct);

        Assert.Equal(HttpStatusCode.Forbidden, asBank.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asInternal.StatusCode);
    }

    [Fact]
    public async Task CustomerConsents_ListTheAuthorisedOnes()
    {
        var (consentId, _, _) = await _sandbox.AuthorisedAsync("ReadAccountsBasic", username: "erin");
        using var client = _sandbox.Client(SandboxFactory.InternalToken());

        var consents = await client.GetFromJsonAsync<JsonElement[]>($"/internal/tenants/org-a/customers/{await _sandbox.CustomerIdAsync("erin")}/consents", _ct);

        Assert.Contains(consents!, c => c.GetProperty("ConsentId").GetString() == consentId);
    }

    [Fact]
    public async Task Reset_RestoresTheInitialData_AndForgetsConsents()
    {
        const string organisation = "org-reset";
        var before = await SnapshotAsync(organisation);
        await _sandbox.AuthorisedAsync("ReadAccountsBasic", clientId: "wallet-r", organisationId: organisation);

        using var client = _sandbox.Client(SandboxFactory.InternalToken());
        using var reset = await client.PostAsync($"/internal/tenants/{organisation}/reset", null, _ct);
        var after = await SnapshotAsync(organisation);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(before.Data, after.Data);
        Assert.Equal(0, after.Consents);
    }

    private async Task<(string Data, int Consents)> SnapshotAsync(string organisation)
    {
        await _sandbox.CustomersAsync(organisation);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        var tenant = await db.Tenants.SingleAsync(t => t.OrganisationId == organisation, _ct);
        var accounts = await db.Accounts.Where(a => a.TenantId == tenant.Id).OrderBy(a => a.Id).Select(a => new { a.Id, a.BookedBalanceMinor }).ToListAsync(_ct);
        var transactions = await db.Transactions.Where(t => t.TenantId == tenant.Id).OrderBy(t => t.TransactionId)
            .Select(t => new { t.TransactionId, t.AmountMinor, t.BookingDateTime }).ToListAsync(_ct);
        var consents = await db.AccountAccessConsents.CountAsync(c => c.TenantId == tenant.Id, _ct);
        return (JsonSerializer.Serialize(new { accounts, transactions }), consents);
    }
}
