using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// The internal consent-history endpoint behind the customer's connected-apps page and history download (issue 22):
/// every consent of one customer of one tenant, current first, each with its status history — and nothing of anyone else's.
/// </summary>
public sealed class ConsentHistoryApiTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly SandboxClient _sandbox = new(factory);

    [Fact]
    public async Task History_ListsCurrentThenEndedConsents_WithEveryStatusChange()
    {
        var (kept, _, _) = await _sandbox.AuthorisedAsync("ReadAccountsBasic", username: "erin");
        var (withdrawn, _, _) = await _sandbox.AuthorisedAsync("ReadAccountsBasic ReadBalances", username: "erin");
        var customerId = await _sandbox.CustomerIdAsync("erin");
        using var client = _sandbox.Client(SandboxFactory.InternalToken());
        using var revoke = await client.PostAsJsonAsync($"/internal/consents/{withdrawn}/revoke", new { customerId }, Ct);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        var records = await HistoryAsync(client, "org-a", customerId);

        var ids = records.Select(r => r.GetProperty("Consent").GetProperty("ConsentId").GetString()).ToList();
        Assert.True(ids.IndexOf(kept) < ids.IndexOf(withdrawn), "current consents come first");
        var current = records.Single(r => r.GetProperty("Consent").GetProperty("ConsentId").GetString() == kept);
        Assert.True(current.GetProperty("Current").GetBoolean());
        Assert.Equal(["AwaitingAuthorisation", "Authorised"], Statuses(current));
        var ended = records.Single(r => r.GetProperty("Consent").GetProperty("ConsentId").GetString() == withdrawn);
        Assert.False(ended.GetProperty("Current").GetBoolean());
        Assert.Equal(["AwaitingAuthorisation", "Authorised", "AccessRevoked"], Statuses(ended));
        Assert.Equal("customer", ended.GetProperty("History")[2].GetProperty("Actor").GetString());
        Assert.All(records, r => Assert.Equal(customerId, r.GetProperty("Consent").GetProperty("CustomerId").GetString()));
    }

    [Fact]
    public async Task History_NeverHoldsAnotherCustomersOrAnotherTenantsConsents()
    {
        var (mine, _, _) = await _sandbox.AuthorisedAsync("ReadAccountsBasic", username: "carol");
        var (otherCustomers, _, _) = await _sandbox.AuthorisedAsync("ReadAccountsBasic", username: "dave");
        var (otherTenants, _, _) = await _sandbox.AuthorisedAsync("ReadAccountsBasic", username: "carol", clientId: "wallet-b", organisationId: "org-b");
        var carol = await _sandbox.CustomerIdAsync("carol");
        using var client = _sandbox.Client(SandboxFactory.InternalToken());

        var records = await HistoryAsync(client, "org-a", carol);
        using var asOtherTenant = await client.GetAsync($"/internal/tenants/org-b/customers/{carol}/consent-history", Ct);
        var otherTenantBody = await asOtherTenant.Content.ReadAsStringAsync(Ct);

        var ids = records.Select(r => r.GetProperty("Consent").GetProperty("ConsentId").GetString()).ToList();
        Assert.Contains(mine, ids);
        Assert.DoesNotContain(otherCustomers, ids);
        Assert.DoesNotContain(otherTenants, ids);
        // Org-b's carol is another customer: org-a's carol's id finds nobody there, or only org-b's own consents.
        Assert.DoesNotContain(mine, otherTenantBody);
    }

    [Fact]
    public async Task History_OfAnUnknownCustomer_Is404()
    {
        using var client = _sandbox.Client(SandboxFactory.InternalToken());

        using var response = await client.GetAsync("/internal/tenants/org-a/customers/cus-nobody/consent-history", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task History_WithAnAppsToken_IsRefused()
    {
        var customerId = await _sandbox.CustomerIdAsync("alice");
        using var client = _sandbox.Client(SandboxFactory.ClientToken("wallet-a", "org-a"));

        using var response = await client.GetAsync($"/internal/tenants/org-a/customers/{customerId}/consent-history", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static async Task<JsonElement[]> HistoryAsync(HttpClient client, string organisationId, string customerId)
        => await client.GetFromJsonAsync<JsonElement[]>($"/internal/tenants/{organisationId}/customers/{customerId}/consent-history", Ct) ?? [];

    private static string?[] Statuses(JsonElement record)
        => [.. record.GetProperty("History").EnumerateArray().Select(h => h.GetProperty("Status").GetString())];
}
