using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// "Last used" on the customer's connected-apps page: a data call stamps its consent, at most once a minute
/// (Consents/ConsentUsage), and Identity reads the stamp from the internal consents list.
/// </summary>
public sealed class ConsentUsageTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly SandboxClient _sandbox = new(factory);

    [Fact]
    public async Task AccountRead_StampsLastUsedAt_OnceAMinuteNotOnEveryRead()
    {
        var (consentId, _, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic ReadBalances", username: "bob");
        var before = await LastUsedAtAsync("bob", consentId);

        var (first, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");
        var afterFirst = await LastUsedAtAsync("bob", consentId);

        factory.Clock.Offset += TimeSpan.FromSeconds(20);
        var (second, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/balances");
        var afterSecond = await LastUsedAtAsync("bob", consentId);

        factory.Clock.Offset += TimeSpan.FromMinutes(2);
        var (third, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");
        var afterThird = await LastUsedAtAsync("bob", consentId);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal(HttpStatusCode.OK, third);
        Assert.Null(before);
        Assert.NotNull(afterFirst);
        Assert.Equal(afterFirst, afterSecond);
        Assert.NotNull(afterThird);
        Assert.True(afterThird > afterFirst!.Value.AddMinutes(1), $"{afterThird} should be two minutes after {afterFirst}");
    }

    [Fact]
    public async Task ConsentsList_SaysKindAndLastUsed()
    {
        var (consentId, _, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic", username: "carol");
        await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");

        var consent = (await ConsentsAsync("carol")).Single(c => c.GetProperty("ConsentId").GetString() == consentId);

        Assert.Equal("account-access", consent.GetProperty("Kind").GetString());
        Assert.Equal(JsonValueKind.String, consent.GetProperty("LastUsedAt").ValueKind);
    }

    [Fact]
    public async Task Customers_PersonasComeBeforeGeneratedCustomers()
    {
        var usernames = (await _sandbox.CustomersAsync()).Select(c => c.GetProperty("Username").GetString()).ToArray();

        Assert.Equal(["alice", "bob", "carol", "dave", "erin"], usernames.Take(5));
        Assert.All(usernames.Skip(5), u => Assert.StartsWith("customer", u));
    }

    private async Task<JsonElement[]> ConsentsAsync(string username)
    {
        var customerId = await _sandbox.CustomerIdAsync(username);
        using var client = _sandbox.Client(SandboxFactory.InternalToken());
        return await client.GetFromJsonAsync<JsonElement[]>($"/internal/tenants/org-a/customers/{customerId}/consents", Ct) ?? [];
    }

    private async Task<DateTimeOffset?> LastUsedAtAsync(string username, string consentId)
    {
        var consent = (await ConsentsAsync(username)).Single(c => c.GetProperty("ConsentId").GetString() == consentId);
        // The internal API leaves null members out.
        return consent.TryGetProperty("LastUsedAt", out var value) && value.ValueKind == JsonValueKind.String ? value.GetDateTimeOffset() : null;
    }
}
