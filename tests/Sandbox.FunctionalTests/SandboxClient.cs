using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>Drives the Sandbox as a wallet and as Identity do: create a consent, authorise it as a customer, call the APIs.</summary>
public sealed class SandboxClient(SandboxFactory factory)
{
    public const string Aisp = "/open-banking/v3.1/aisp";
    public const string AispV4 = "/open-banking/v4.0/aisp";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public HttpClient Client(string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<string> CreateConsentAsync(
        string permissions, string clientId = "wallet-a", string organisationId = "org-a", string? extraData = null, string aisp = Aisp)
    {
        var list = string.Join(",", permissions.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => $"\"{p}\""));
        using var client = Client(SandboxFactory.ClientToken(clientId, organisationId));
        using var response = await client.PostAsync($"{aisp}/account-access-consents",
            new StringContent("{\"Data\":{\"Permissions\":[" + list + "]" + extraData + "},\"Risk\":{}}", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("Data").GetProperty("ConsentId").GetString()!;
    }

    public async Task<JsonElement[]> CustomersAsync(string organisationId = "org-a")
    {
        using var client = Client(SandboxFactory.InternalToken());
        return await client.GetFromJsonAsync<JsonElement[]>($"/internal/tenants/{organisationId}/customers", Ct) ?? [];
    }

    public async Task<string> CustomerIdAsync(string username, string organisationId = "org-a")
        => (await CustomersAsync(organisationId)).Single(c => c.GetProperty("Username").GetString() == username).GetProperty("CustomerId").GetString()!;

    public async Task<JsonElement[]> AccountsOfAsync(string customerId, string organisationId = "org-a")
    {
        using var client = Client(SandboxFactory.InternalToken());
        return await client.GetFromJsonAsync<JsonElement[]>($"/internal/tenants/{organisationId}/customers/{customerId}/accounts", Ct) ?? [];
    }

    /// <summary>The customer authorises the consent for all (or the chosen) accounts, as Identity would after sign-in.</summary>
    public async Task<string[]> AuthoriseAsync(string consentId, string username, string organisationId = "org-a", Func<JsonElement, bool>? pick = null)
    {
        var customerId = await CustomerIdAsync(username, organisationId);
        var accounts = (await AccountsOfAsync(customerId, organisationId)).Where(pick ?? (_ => true))
            .Select(a => a.GetProperty("AccountId").GetString()!).ToArray();
        using var client = Client(SandboxFactory.InternalToken());
        using var response = await client.PostAsJsonAsync($"/internal/consents/{consentId}/authorise", new { customerId, accountIds = accounts }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return accounts;
    }

    /// <summary>A consent authorised by the customer, and a customer token bound to it; created through v3.1.11 unless <paramref name="aisp"/> says otherwise.</summary>
    public async Task<(string ConsentId, string[] AccountIds, string Token)> AuthorisedAsync(
        string permissions, string username = "alice", string clientId = "wallet-a", string organisationId = "org-a",
        Func<JsonElement, bool>? pick = null, string? extraData = null, string aisp = Aisp)
    {
        var consentId = await CreateConsentAsync(permissions, clientId, organisationId, extraData, aisp);
        var accounts = await AuthoriseAsync(consentId, username, organisationId, pick);
        return (consentId, accounts, SandboxFactory.ClientToken(clientId, organisationId, consentId: consentId));
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string token, string path)
    {
        using var client = Client(token);
        using var response = await client.GetAsync(path, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
