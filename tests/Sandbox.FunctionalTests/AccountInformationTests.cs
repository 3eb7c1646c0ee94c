using System.Net;
using System.Text.Json;

namespace OpenBanking.Sandbox.FunctionalTests;

public sealed class AccountInformationTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private const string All = "ReadAccountsDetail ReadBalances ReadTransactionsDetail ReadTransactionsCredits ReadTransactionsDebits "
        + "ReadBeneficiariesDetail ReadDirectDebits ReadStandingOrdersDetail ReadScheduledPaymentsDetail ReadStatementsDetail "
        + "ReadProducts ReadOffers ReadParty ReadPartyPSU";

    private readonly SandboxClient _sandbox = new(factory);

    [Fact]
    public async Task Accounts_ShowOnlyTheAccountsTheCustomerChose()
    {
        var (_, chosen, token) = await _sandbox.AuthorisedAsync("ReadAccountsDetail", pick: a => a.GetProperty("AccountSubType").GetString() == "CurrentAccount");

        var (status, body) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");

        Assert.Equal(HttpStatusCode.OK, status);
        var accounts = body.GetProperty("Data").GetProperty("Account").EnumerateArray().ToList();
        Assert.Equal(chosen, accounts.Select(a => a.GetProperty("AccountId").GetString()).Order().ToArray());
        Assert.All(accounts, a => Assert.Equal("UK.OBIE.SortCodeAccountNumber", a.GetProperty("Account")[0].GetProperty("SchemeName").GetString()));
    }

    [Fact]
    public async Task Accounts_WithBasicPermission_LeaveOutTheIdentifiers()
    {
        var (_, _, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic");

        var (_, body) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");

        Assert.All(body.GetProperty("Data").GetProperty("Account").EnumerateArray(), a => Assert.False(a.TryGetProperty("Account", out _)));
    }

    [Fact]
    public async Task Accounts_CardNumbersAreMaskedWithoutReadPan()
    {
        var (_, _, token) = await _sandbox.AuthorisedAsync("ReadAccountsDetail", pick: a => a.GetProperty("AccountSubType").GetString() == "CreditCard");

        var (_, body) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");

        var identification = body.GetProperty("Data").GetProperty("Account")[0].GetProperty("Account")[0].GetProperty("Identification").GetString()!;
        Assert.StartsWith("************", identification);
    }

    [Fact]
    public async Task Balances_OfTheOverdrawnPersona_AreDebitsWithTheArrangedCreditLine()
    {
        var (_, accounts, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic ReadBalances", username: "bob");

        var (status, body) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts/{accounts[0]}/balances");

        Assert.Equal(HttpStatusCode.OK, status);
        var balances = body.GetProperty("Data").GetProperty("Balance").EnumerateArray().ToDictionary(b => b.GetProperty("Type").GetString()!);
        Assert.Equal(["ClosingBooked", "InterimAvailable", "InterimBooked"], balances.Keys.Order());
        Assert.Equal("Debit", balances["InterimBooked"].GetProperty("CreditDebitIndicator").GetString());
        Assert.True(balances["InterimAvailable"].GetProperty("CreditLine")[0].GetProperty("Included").GetBoolean());
    }

    [Fact]
    public async Task Transactions_ArePagedWithLinksAndMeta_AndRunningBalancesReconcile()
    {
        var (_, accounts, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic ReadBalances ReadTransactionsDetail ReadTransactionsCredits ReadTransactionsDebits",
            pick: a => a.GetProperty("AccountSubType").GetString() == "CurrentAccount");
        var path = $"{SandboxClient.Aisp}/accounts/{accounts[0]}/transactions";

        var (status, first) = await _sandbox.GetAsync(token, path);

        Assert.Equal(HttpStatusCode.OK, status);
        var links = first.GetProperty("Links");
        var meta = first.GetProperty("Meta");
        Assert.True(meta.GetProperty("TotalPages").GetInt32() > 1);
        Assert.StartsWith("http://localhost:5002/open-banking/v3.1/aisp/accounts/", links.GetProperty("Self").GetString());
        Assert.False(links.TryGetProperty("Prev", out _));
        var next = links.GetProperty("Next").GetString()!;
        Assert.EndsWith("page=2", next);
        Assert.True(meta.TryGetProperty("FirstAvailableDateTime", out _));

        var (_, second) = await _sandbox.GetAsync(token, new Uri(next).PathAndQuery);
        Assert.True(second.GetProperty("Links").TryGetProperty("Prev", out _));

        // Newest first: each booked transaction's balance is the previous (older) one plus its own amount.
        var page = first.GetProperty("Data").GetProperty("Transaction").EnumerateArray()
            .Where(t => t.GetProperty("Status").GetString() == "Booked").ToList();
        for (var i = 0; i < page.Count - 1; i++)
        {
            var newer = Signed(page[i].GetProperty("Balance"));
            var older = Signed(page[i + 1].GetProperty("Balance"));
            var amount = decimal.Parse(page[i].GetProperty("Amount").GetProperty("Amount").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(older + (page[i].GetProperty("CreditDebitIndicator").GetString() == "Credit" ? amount : -amount), newer);
        }
    }

    [Fact]
    public async Task Transactions_WithCreditsOnly_ShowNoDebits()
    {
        var (_, _, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic ReadTransactionsBasic ReadTransactionsCredits");

        var (_, body) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/transactions");

        var transactions = body.GetProperty("Data").GetProperty("Transaction").EnumerateArray().ToList();
        Assert.NotEmpty(transactions);
        Assert.All(transactions, t => Assert.Equal("Credit", t.GetProperty("CreditDebitIndicator").GetString()));
        Assert.All(transactions, t => Assert.False(t.TryGetProperty("TransactionInformation", out _)));
        Assert.All(transactions, t => Assert.False(t.TryGetProperty("Balance", out _)));
    }

    [Fact]
    public async Task Transactions_StayInsideTheConsentWindow_IntersectedWithTheFilter()
    {
        var (_, accounts, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic ReadTransactionsBasic ReadTransactionsCredits ReadTransactionsDebits",
            pick: a => a.GetProperty("AccountSubType").GetString() == "CurrentAccount",
            extraData: ""","TransactionFromDateTime":"2026-01-01T00:00:00Z","TransactionToDateTime":"2026-06-30T23:59:59Z" """);

        var (status, body) = await _sandbox.GetAsync(token,
            $"{SandboxClient.Aisp}/accounts/{accounts[0]}/transactions?fromBookingDateTime=2025-01-01T00:00:00&toBookingDateTime=2026-03-31T23:59:59");

        Assert.Equal(HttpStatusCode.OK, status);
        var dates = body.GetProperty("Data").GetProperty("Transaction").EnumerateArray()
            .Select(t => DateTimeOffset.Parse(t.GetProperty("BookingDateTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(dates);
        Assert.All(dates, d => Assert.InRange(d, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 31, 23, 59, 59, TimeSpan.Zero)));
        Assert.Contains("fromBookingDateTime=2025-01-01T00%3A00%3A00", body.GetProperty("Links").GetProperty("Self").GetString());
    }

    [Fact]
    public async Task EveryResource_OfAFullConsent_Answers200()
    {
        var (_, accounts, token) = await _sandbox.AuthorisedAsync(All);
        var account = accounts[0];
        string[] paths =
        [
            "/accounts", $"/accounts/{account}", $"/accounts/{account}/balances", "/balances", $"/accounts/{account}/transactions", "/transactions",
            $"/accounts/{account}/beneficiaries", "/beneficiaries", $"/accounts/{account}/direct-debits", "/direct-debits",
            $"/accounts/{account}/standing-orders", "/standing-orders", $"/accounts/{account}/scheduled-payments", "/scheduled-payments",
            $"/accounts/{account}/statements", "/statements", $"/accounts/{account}/product", "/products", $"/accounts/{account}/offers", "/offers",
            $"/accounts/{account}/party", $"/accounts/{account}/parties", "/party",
        ];

        foreach (var path in paths)
        {
            var (status, body) = await _sandbox.GetAsync(token, SandboxClient.Aisp + path);
            Assert.True(status == HttpStatusCode.OK, $"{path} answered {status}");
            Assert.True(body.TryGetProperty("Data", out _) && body.TryGetProperty("Links", out _) && body.TryGetProperty("Meta", out _), path);
        }
    }

    [Fact]
    public async Task Statement_AndItsTransactions_AreReadable()
    {
        var (_, accounts, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic ReadStatementsDetail ReadTransactionsBasic ReadTransactionsCredits ReadTransactionsDebits",
            pick: a => a.GetProperty("AccountSubType").GetString() == "CurrentAccount");
        var (_, list) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts/{accounts[0]}/statements");
        var statementId = list.GetProperty("Data").GetProperty("Statement")[0].GetProperty("StatementId").GetString();

        var (status, one) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts/{accounts[0]}/statements/{statementId}");
        var (transactionsStatus, transactions) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts/{accounts[0]}/statements/{statementId}/transactions");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, one.GetProperty("Data").GetProperty("Statement")[0].GetProperty("StatementAmount").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, transactionsStatus);
        Assert.NotEmpty(transactions.GetProperty("Data").GetProperty("Transaction").EnumerateArray());
    }

    [Fact]
    public async Task NewCustomer_HasAnAccountButNoTransactions_AndGetsAnEmptyArray()
    {
        var (_, accounts, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic ReadTransactionsBasic ReadTransactionsCredits ReadTransactionsDebits", username: "dave");

        var (status, body) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts/{accounts[0]}/transactions");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Array, body.GetProperty("Data").GetProperty("Transaction").ValueKind);
        Assert.Empty(body.GetProperty("Data").GetProperty("Transaction").EnumerateArray());
    }

    [Fact]
    public async Task MultiCurrencyPersona_HasGbpEurAndUsdAccounts()
    {
        var (_, _, token) = await _sandbox.AuthorisedAsync("ReadAccountsDetail", username: "carol");

        var (_, body) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");

        var currencies = body.GetProperty("Data").GetProperty("Account").EnumerateArray().Select(a => a.GetProperty("Currency").GetString()).Order();
        Assert.Equal(["EUR", "GBP", "USD"], currencies);
    }

    private static decimal Signed(JsonElement balance)
    {
        var amount = decimal.Parse(balance.GetProperty("Amount").GetProperty("Amount").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        return balance.GetProperty("CreditDebitIndicator").GetString() == "Credit" ? amount : -amount;
    }
}
