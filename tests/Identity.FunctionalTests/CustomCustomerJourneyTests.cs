using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// A partner's own test customer, made through the Sandbox's partner API with the app's client-credentials token, goes
/// through the real consent journey like a persona, and the app then reads exactly the accounts it was made with.
/// </summary>
public sealed class CustomCustomerJourneyTests(ConsentJourneyFixture platform) : IClassFixture<ConsentJourneyFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task ACustomCustomer_SignsInToTheConsentJourney_AndTheAppReadsItsAccountsAndBalances()
    {
        var username = "maya." + Guid.NewGuid().ToString("N")[..8];
        var (status, created) = await _wallet.PostBankAsync(await _wallet.ClientTokenAsync(), "/sandbox/v1/customers", $$"""
            {
              "Username": "{{username}}", "Name": "Maya Test",
              "Accounts": [
                { "Currency": "EUR", "OpeningBalance": "750.25", "Nickname": "Travel" },
                { "Currency": "GBP", "OpeningBalance": "2000.00", "Nickname": "Everyday",
                  "Template": { "Months": 3, "Salary": "2500.00", "Rent": "900.00", "CardSpending": "light" } }
              ]
            }
            """);
        Assert.True(status == HttpStatusCode.Created, created.ToString());

        var consentId = await _wallet.CreateConsentAsync();
        var tokens = await _wallet.AuthoriseConsentAsync(consentId, "openid accounts offline_access", username: username);
        using var bank = platform.Sandbox.CreateClient();
        bank.DefaultRequestHeaders.Authorization = new("Bearer", tokens.GetProperty("access_token").GetString());
        var accounts = (await bank.GetFromJsonAsync<JsonElement>("/open-banking/v3.1/aisp/accounts", _ct)).GetProperty("Data").GetProperty("Account");

        var made = created.GetProperty("Accounts").EnumerateArray().Select(a => a.GetProperty("AccountId").GetString()).Order().ToArray();
        Assert.Equal(made, accounts.EnumerateArray().Select(a => a.GetProperty("AccountId").GetString()).Order().ToArray());
        Assert.Contains(accounts.EnumerateArray(), a => a.GetProperty("Currency").GetString() == "EUR" && a.GetProperty("Nickname").GetString() == "Travel");
        var eur = created.GetProperty("Accounts").EnumerateArray().Single(a => a.GetProperty("Currency").GetString() == "EUR").GetProperty("AccountId").GetString();
        var balances = (await bank.GetFromJsonAsync<JsonElement>($"/open-banking/v3.1/aisp/accounts/{eur}/balances", _ct)).GetProperty("Data").GetProperty("Balance");
        Assert.Contains(balances.EnumerateArray(), b => b.GetProperty("Amount").GetProperty("Amount").GetString() == "750.25");
    }

    [Fact]
    public async Task ACustomCustomer_WithAWrongPassword_IsRefusedAtTheJourney()
    {
        var username = "wrong." + Guid.NewGuid().ToString("N")[..8];
        var (status, _) = await _wallet.PostBankAsync(await _wallet.ClientTokenAsync(), "/sandbox/v1/customers", $$"""
            { "Username": "{{username}}", "Name": "Wrong Password", "Password": "a-long-secret",
              "Accounts": [ { "Currency": "GBP", "OpeningBalance": "10.00" } ] }
            """);
        Assert.Equal(HttpStatusCode.Created, status);

        var consentId = await _wallet.CreateConsentAsync();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, Wallet.Pkce.Create());
        var (refused, _) = await _wallet.AuthoriseHeadlessAsync(requestUri, username: username, password: "sandbox");
        var consent = await _wallet.GetConsentAsync(consentId);

        Assert.NotEqual(HttpStatusCode.OK, refused);
        Assert.Equal("AwaitingAuthorisation", consent.GetProperty("Status").GetString());
    }
}
