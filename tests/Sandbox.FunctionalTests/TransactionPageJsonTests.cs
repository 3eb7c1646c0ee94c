using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Accounts;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// The transactions page written straight from SQLite rows (<see cref="SqliteTransactionPages"/>) is byte for byte what
/// EF Core with the generated serializer writes (<see cref="AisEndpoints.SerializedTransactionPageAsync"/>, the SQL
/// Server path and the page's former only path), for the same rows, request and time.
/// </summary>
public sealed class TransactionPageJsonTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private const string Organisation = "org-tx-json";
    private const string Client = "wallet-tx-json";
    private const string Both = " ReadTransactionsCredits ReadTransactionsDebits";

    private static readonly DateTime Now = new(2026, 6, 30, 12, 34, 56, 789, DateTimeKind.Utc);

    private readonly SandboxClient _sandbox = new(factory);

    public static TheoryData<string, string, string, string> Cases => new()
    {
        // version, permissions, consent's extra data, query
        { SandboxClient.Aisp, "ReadTransactionsDetail" + Both, "", "" },
        { SandboxClient.Aisp, "ReadTransactionsBasic" + Both, "", "" },
        { SandboxClient.Aisp, "ReadTransactionsDetail ReadTransactionsCredits", "", "" },
        { SandboxClient.Aisp, "ReadTransactionsDetail ReadTransactionsDebits ReadPAN", "", "" },
        { SandboxClient.Aisp, "ReadTransactionsDetail" + Both, "", "?page=2" },
        { SandboxClient.Aisp, "ReadTransactionsDetail" + Both, "", "?page=100000" },
        { SandboxClient.Aisp, "ReadTransactionsDetail" + Both, "", "?fromBookingDateTime={from}&toBookingDateTime={to}" },
        { SandboxClient.Aisp, "ReadTransactionsDetail ReadTransactionsDebits", "", "?fromBookingDateTime={from}&page=2" },
        { SandboxClient.Aisp, "ReadTransactionsBasic ReadTransactionsDebits", "", "?toBookingDateTime={to}" },
        { SandboxClient.Aisp, "ReadTransactionsDetail" + Both, "", "?fromBookingDateTime=2100-01-01" },
        { SandboxClient.Aisp, "ReadTransactionsDetail" + Both, ""","TransactionFromDateTime":"{from}Z","TransactionToDateTime":"{to}Z" """, "" },
        { SandboxClient.AispV4, "ReadTransactionsDetail" + Both, "", "" },
        { SandboxClient.AispV4, "ReadTransactionsBasic ReadTransactionsCredits", "", "?fromBookingDateTime={from}" },
        { SandboxClient.AispV4, "ReadTransactionsDetail ReadTransactionsDebits", "", "?page=3" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task DirectPage_IsTheSerializersPage(string aisp, string permissions, string extraData, string query)
    {
        var (consentId, account) = await ConsentAsync(aisp, permissions, Dates(extraData).TrimEnd());
        await using var scope = factory.Services.CreateAsyncScope();
        var request = Request(scope.ServiceProvider, aisp, account, consentId, Dates(query));
        var pages = scope.ServiceProvider.GetRequiredService<SqliteTransactionPages>();
        Assert.True(pages.Serves(request.Db, [account]));

        var (expected, actual) = await BothAsync(request, pages, account, Dates(query));

        Assert.Equal(expected, actual);
        var rows = JsonDocument.Parse(actual).RootElement.GetProperty("Data").GetProperty("Transaction").GetArrayLength();
        Assert.Equal(query.Contains("100000") || query.Contains("2100"), rows == 0);
    }

    [Fact]
    public async Task DirectPage_WritesUnusualRowsAsTheSerializerDoes()
    {
        // Rows the seeded history lacks: a payment abroad (exchange, charge), currencies of 0 and 3 decimal places,
        // a card counterparty (masked without ReadPAN), pending, negative balance, a name that needs escaping.
        var (consentId, account) = await ConsentAsync(SandboxClient.Aisp, "ReadTransactionsDetail" + Both, "");
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
            var tenantId = db.Accounts.Single(a => a.Id == account).TenantId;
            var at = new DateTime(2099, 1, 1, 9, 30, 0, DateTimeKind.Utc);
            db.Transactions.AddRange(
                Row(tenantId, account, "tx-fx", at, 123456, "GBP", t =>
                {
                    t.FxSourceCurrency = "GBP";
                    t.FxTargetCurrency = "EUR";
                    t.FxUnitCurrency = "GBP";
                    t.FxRate = 1.172500m;
                    t.FxContractId = "fx-42";
                    t.FxQuotationDate = new DateTimeOffset(2099, 1, 1, 9, 29, 59, 500, TimeSpan.FromHours(2));
                    t.FxInstructedAmount = "1447.50";
                    t.FxInstructedCurrency = "EUR";
                    t.ChargeMinor = 250;
                }),
                Row(tenantId, account, "tx-jpy", at.AddSeconds(-1), 18955, "JPY", t => t.ChargeMinor = 7),
                Row(tenantId, account, "tx-bhd", at.AddSeconds(-2), 47394, "BHD", t => t.BalanceAfterMinor = -5),
                Row(tenantId, account, "tx-card", at.AddTicks(-1234567), 5, "GBP", t =>
                {
                    t.IsCredit = false;
                    t.Status = TransactionStatus.Pending;
                    t.BalanceAfterMinor = null;
                    t.Reference = null;
                    t.CardPan = "5555444433331111";
                    t.CounterpartySchemeName = "UK.OBIE.PAN";
                    t.CounterpartyIdentification = "4444333322221111";
                    t.CounterpartyName = "Café <Ünïcode> & \"quotes\"";
                    t.MerchantName = "Shop + Co";
                    t.MerchantCategoryCode = null;
                }));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var readScope = factory.Services.CreateAsyncScope();
        var request = Request(readScope.ServiceProvider, SandboxClient.Aisp, account, consentId, "");
        var (expected, actual) = await BothAsync(request, readScope.ServiceProvider.GetRequiredService<SqliteTransactionPages>(), account, "");

        Assert.Equal(expected, actual);
        Assert.Contains("\"ExchangeRate\":1.1725,", actual);
        Assert.Contains("\"Identification\":\"************1111\"", actual);
    }

    [Theory]
    [InlineData(SandboxClient.Aisp)]
    [InlineData(SandboxClient.AispV4)]
    public async Task Endpoint_SendsTheSerializersPage(string aisp)
    {
        // The consent's window ends in the past, so LastAvailableDateTime does not move with the clock between the calls.
        var to = DateTime.UtcNow.AddDays(-30).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        var (consentId, account) = await ConsentAsync(aisp, "ReadTransactionsDetail" + Both, $""","TransactionToDateTime":"{to}Z" """.TrimEnd());
        var query = "?page=2";

        using var client = _sandbox.Client(SandboxFactory.ClientToken(Client, Organisation, consentId: consentId));
        using var response = await client.GetAsync($"{aisp}/accounts/{account}/transactions{query}", TestContext.Current.CancellationToken);
        var sent = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.True(response.Headers.Contains("x-fapi-interaction-id"));
        await using var scope = factory.Services.CreateAsyncScope();
        var request = Request(scope.ServiceProvider, aisp, account, consentId, query);
        var access = await request.AccessAsync();
        var window = TransactionWindow.Of(access.Consent, null, null);
        using var reference = await AisEndpoints.SerializedTransactionPageAsync(request, access, [account], window, detail: true, page: 2, DateTime.UtcNow);
        Assert.Equal(Encoding.UTF8.GetString(reference.Body.Span), sent);
    }

    private async Task<(string ConsentId, string Account)> ConsentAsync(string aisp, string permissions, string extraData)
    {
        var (consentId, accounts, _) = await _sandbox.AuthorisedAsync("ReadAccountsBasic " + permissions, clientId: Client, organisationId: Organisation,
            pick: a => a.GetProperty("AccountSubType").GetString() == "CurrentAccount", extraData: extraData, aisp: aisp);
        return (consentId, accounts[0]);
    }

    private static async Task<(string Expected, string Actual)> BothAsync(AisRequest request, SqliteTransactionPages pages, string account, string query)
    {
        var access = await request.AccessAsync();
        var filters = request.HttpContext.Request.Query;
        var window = TransactionWindow.Of(access.Consent,
            AccountInformationMapping.ParseFilter(filters["fromBookingDateTime"], "fromBookingDateTime"),
            AccountInformationMapping.ParseFilter(filters["toBookingDateTime"], "toBookingDateTime"));
        var detail = access.Has(AccountAccessPermission.ReadTransactionsDetail);
        var page = int.Parse(filters["page"].FirstOrDefault() ?? "1", CultureInfo.InvariantCulture);

        using var expected = await AisEndpoints.SerializedTransactionPageAsync(request, access, [account], window, detail, page, Now);
        // As the endpoint does: the direct path serves this database (whichever test of the class runs first).
        Assert.True(pages.Serves(request.Db, [account]));
        using var actual = pages.Write(request, access, account, window, detail, page, request.Options.Value.PageSize, Now);
        return (Encoding.UTF8.GetString(expected.Body.Span), Encoding.UTF8.GetString(actual.Body.Span));
    }

    /// <summary>The request as the endpoint would see it: its path and query, and the customer token's claims.</summary>
    private static AisRequest Request(IServiceProvider services, string aisp, string account, string consentId, string query)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Path = $"{aisp}/accounts/{account}/transactions";
        http.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        http.User = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim("client_id", Client), new Claim(PlatformClaims.OrganisationId, Organisation), new Claim(PlatformClaims.ConsentId, consentId),
            new Claim("scope", PlatformScopes.Accounts),
            new Claim("iat", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        ], "test"));
        return new AisRequest(http, services.GetRequiredService<SandboxDbContext>(), services.GetRequiredService<TenantClock>(),
            services.GetRequiredService<ConsentAccessCache>(), services.GetRequiredService<PendingDebitsCache>(),
            services.GetRequiredService<ConsentUsage>(), services.GetRequiredService<SqliteTransactionPages>(),
            services.GetRequiredService<IOptions<OpenBankingOptions>>(), TestContext.Current.CancellationToken);
    }

    /// <summary>{from} and {to}: a window in the seeded history (four months to one month ago).</summary>
    private static string Dates(string text)
        => text.Replace("{from}", DateTime.UtcNow.Date.AddMonths(-4).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture))
            .Replace("{to}", DateTime.UtcNow.Date.AddMonths(-1).AddHours(13.5).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));

    private static BankTransaction Row(Guid tenantId, string account, string id, DateTime at, long amount, string currency, Action<BankTransaction> shape)
    {
        var row = new BankTransaction
        {
            TenantId = tenantId,
            AccountId = account,
            TransactionId = id,
            Reference = "REF " + id,
            IsCredit = true,
            Status = TransactionStatus.Booked,
            BookingDateTime = at,
            ValueDateTime = at.AddDays(1),
            AmountMinor = amount,
            Currency = currency,
            Information = "Information of " + id,
            MerchantName = null,
            BankCode = "PMNT",
            BankSubCode = "RCDT-DMCT",
            ProprietaryCode = "FPS",
            BalanceAfterMinor = 1_000_000,
        };
        shape(row);
        return row;
    }
}
