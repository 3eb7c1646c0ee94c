using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Customers;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.FunctionalTests.Customers;

/// <summary>
/// Partners' own test customers through <c>/sandbox/v1/customers</c> and the Portal's internal twins: made with real
/// identifiers and a history on the ledger, shown by the AIS API, signed in like a persona, validated with every
/// error at once, deleted (never a persona), kept across a reset, and never visible to another organisation.
/// </summary>
public sealed class CustomCustomersTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private readonly SandboxClient _sandbox = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewOrganisation() => "org-cust-" + Guid.NewGuid().ToString("N")[..8];

    private HttpClient Partner(string organisation, string clientId = "wallet-a")
        => _sandbox.Client(SandboxFactory.ClientToken(clientId, organisation, scope: PlatformScopes.Accounts));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(HttpStatusCode Status, JsonElement Body)> CreateAsync(string organisation, string json)
    {
        using var client = Partner(organisation);
        using var response = await client.PostAsync("/sandbox/v1/customers", Json(json), Ct);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }

    private string TwoAccounts(string username) => $$"""
        {
          "Username": "{{username}}", "Name": "Jo Bloggs", "Password": "correct-horse",
          "Accounts": [
            { "Currency": "GBP", "OpeningBalance": "1500.00", "Nickname": "Main",
              "Template": { "Months": 3, "Salary": "2500.00", "Rent": "900.00", "CardSpending": "light" } },
            { "Currency": "EUR", "OpeningBalance": "100.00",
              "Transactions": [
                { "BookingDateTime": "{{Iso(factory.Clock.GetUtcNow().AddDays(-10))}}", "Amount": "-40.50", "Description": "Dinner", "MerchantName": "Chez Paul" },
                { "BookingDateTime": "{{Iso(factory.Clock.GetUtcNow().AddDays(-20))}}", "Amount": "250", "Description": "Refund" } ] } ]
        }
        """;

    [Fact]
    public async Task Create_MakesAccountsWithRealIdentifiers_AHistoryOnTheLedger_AndTheAisApiShowsIt()
    {
        var organisation = NewOrganisation();

        var (status, created) = await CreateAsync(organisation, TwoAccounts("jo.bloggs"));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("jo.bloggs", created.GetProperty("Username").GetString());
        Assert.Equal("correct-horse", created.GetProperty("Password").GetString());
        var accounts = created.GetProperty("Accounts").EnumerateArray().ToList();
        Assert.Equal(2, accounts.Count);
        var gbp = accounts.Single(a => a.GetProperty("Currency").GetString() == "GBP");
        var eur = accounts.Single(a => a.GetProperty("Currency").GetString() == "EUR");
        Assert.Equal("UK.OBIE.SortCodeAccountNumber", gbp.GetProperty("SchemeName").GetString());
        Assert.Matches("^608371[0-9]{8}$", gbp.GetProperty("Identification").GetString());
        Assert.Equal("UK.OBIE.IBAN", eur.GetProperty("SchemeName").GetString());
        Assert.Matches("^GB[0-9]{2}SBNK608371[0-9]{8}$", eur.GetProperty("Identification").GetString());
        Assert.Equal("309.50", eur.GetProperty("Balance").GetString());
        Assert.Equal(2, eur.GetProperty("Transactions").GetInt32());
        Assert.True(gbp.GetProperty("Transactions").GetInt32() >= 6, "three months of salary and rent at least");

        // The ledger invariant holds for the tenant: every posting balances, each balance is the sum of its lines.
        using var internalClient = _sandbox.Client(SandboxFactory.InternalToken());
        using var check = await internalClient.GetAsync($"/internal/tenants/{organisation}/ledger/check", Ct);
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);

        // The AIS API: a consent the new customer authorises shows the balance and the transactions with running balances.
        var (_, accountIds, token) = await _sandbox.AuthorisedAsync("ReadAccountsDetail ReadBalances ReadTransactionsDetail ReadTransactionsCredits ReadTransactionsDebits", "jo.bloggs", organisationId: organisation);
        var eurId = eur.GetProperty("AccountId").GetString()!;
        Assert.Contains(eurId, accountIds);
        var (balanceStatus, balances) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts/{eurId}/balances");
        Assert.Equal(HttpStatusCode.OK, balanceStatus);
        Assert.Contains(balances.GetProperty("Data").GetProperty("Balance").EnumerateArray(),
            b => b.GetProperty("Amount").GetProperty("Amount").GetString() == "309.50" && b.GetProperty("Amount").GetProperty("Currency").GetString() == "EUR");
        var (_, transactions) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts/{eurId}/transactions");
        var list = transactions.GetProperty("Data").GetProperty("Transaction").EnumerateArray().ToList();
        Assert.Equal(2, list.Count);
        Assert.Contains(list, t => t.GetProperty("CreditDebitIndicator").GetString() == "Debit"
            && t.GetProperty("Amount").GetProperty("Amount").GetString() == "40.50"
            && t.GetProperty("Balance").GetProperty("Amount").GetProperty("Amount").GetString() == "309.50");
        Assert.Contains(list, t => t.GetProperty("CreditDebitIndicator").GetString() == "Credit"
            && t.GetProperty("Balance").GetProperty("Amount").GetProperty("Amount").GetString() == "350.00");
    }

    [Fact]
    public async Task Create_TheCustomerSignsInLikeAPersona_WithItsPasswordAndTotp()
    {
        var organisation = NewOrganisation();
        var (_, created) = await CreateAsync(organisation, TwoAccounts("signs.in"));
        using var identity = _sandbox.Client(SandboxFactory.InternalToken());

        using var wrong = await identity.PostAsJsonAsync($"/internal/tenants/{organisation}/customers/authenticate", new { username = "signs.in", password = "sandbox" }, Ct);
        using var right = await identity.PostAsJsonAsync($"/internal/tenants/{organisation}/customers/authenticate", new { username = "signs.in", password = "correct-horse" }, Ct);
        var customerId = (await right.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("CustomerId").GetString();
        var code = Totp.Compute(created.GetProperty("TotpSecret").GetString()!, factory.Clock.GetUtcNow());
        using var second = await identity.PostAsJsonAsync($"/internal/tenants/{organisation}/customers/{customerId}/second-factor", new { code }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(created.GetProperty("CustomerId").GetString(), customerId);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        var listed = (await _sandbox.CustomersAsync(organisation)).Single(c => c.GetProperty("Username").GetString() == "signs.in");
        Assert.Equal("custom", listed.GetProperty("Persona").GetString());
        Assert.Equal(global::OpenBanking.Sandbox.Customers.Custom.CustomCustomers.ChosenPassword, listed.GetProperty("Password").GetString());
    }

    [Fact]
    public async Task Create_KeepsAChosenPasswordOnlyAsAHash_WhichStillSignsInAfterAReset()
    {
        var organisation = NewOrganisation();
        await CreateAsync(organisation, TwoAccounts("hashed"));
        using var identity = _sandbox.Client(SandboxFactory.InternalToken());

        using var reset = await identity.PostAsync($"/internal/tenants/{organisation}/reset", null, Ct);
        using var signIn = await identity.PostAsJsonAsync($"/internal/tenants/{organisation}/customers/authenticate", new { username = "hashed", password = "correct-horse" }, Ct);

        Assert.True(reset.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        using var scope = factory.Services.CreateScope();
        var definitions = await scope.ServiceProvider.GetRequiredService<global::OpenBanking.Sandbox.Infrastructure.SandboxDbContext>()
            .CustomCustomerDefinitions.Select(d => d.Definition).ToListAsync(Ct);
        Assert.DoesNotContain(definitions, d => d.Contains("correct-horse", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_WithManyMistakes_NamesEveryFieldAtOnce()
    {
        var organisation = NewOrganisation();
        var future = Iso(factory.Clock.GetUtcNow().AddDays(3));

        var (status, problem) = await CreateAsync(organisation, $$"""
            {
              "username": "Bad Name", "name": "", "password": "short",
              "accounts": [
                { "currency": "XYZ", "openingBalance": "-5" },
                { "currency": "GBP", "openingBalance": "10.001",
                  "transactions": [ { "bookingDateTime": "yesterday", "amount": "0", "description": "" },
                                    { "bookingDateTime": "{{future}}", "amount": "1.999", "description": "ok" } ] },
                { "currency": "JPY", "openingBalance": "100", "template": { "months": 30, "cardSpending": "wild", "salary": "10.5" } },
                { "currency": "GBP", "openingBalance": "1", "template": { "months": 1 }, "transactions": [] } ]
            }
            """);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = problem.GetProperty("errors");
        string[] expected =
        [
            "Username", "Name", "Password", "Accounts[0].Currency", "Accounts[1].OpeningBalance",
            "Accounts[1].Transactions[0].BookingDateTime", "Accounts[1].Transactions[0].Amount", "Accounts[1].Transactions[0].Description",
            "Accounts[1].Transactions[1].BookingDateTime", "Accounts[1].Transactions[1].Amount",
            "Accounts[2].Template.Months", "Accounts[2].Template.CardSpending", "Accounts[2].Template.Salary", "Accounts[3]",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Contains("GBP, EUR", errors.GetProperty("Accounts[0].Currency")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("at most 2 decimal places", errors.GetProperty("Accounts[1].OpeningBalance")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("whole number of JPY", errors.GetProperty("Accounts[2].Template.Salary")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(await _sandbox.CustomersAsync(organisation) is var all ? all.Where(c => c.GetProperty("Persona").GetString() == "custom") : []);
    }

    [Fact]
    public async Task Create_AHistoryBelowZero_IsRefusedSayingWhenAndByHowMuch()
    {
        var organisation = NewOrganisation();
        var at = factory.Clock.GetUtcNow().AddDays(-5);

        var (status, problem) = await CreateAsync(organisation, $$"""
            { "Username": "overspent", "Name": "Over Spent", "Accounts": [ { "Currency": "GBP", "OpeningBalance": "10.00", "Transactions": [
                { "BookingDateTime": "{{Iso(at.AddDays(-1))}}", "Amount": "5.00", "Description": "In" },
                { "BookingDateTime": "{{Iso(at)}}", "Amount": "-27.50", "Description": "Out" } ] } ] }
            """);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = problem.GetProperty("errors").GetProperty("Accounts[0].Transactions[1].Amount")[0].GetString()!;
        Assert.Contains(Iso(at), message, StringComparison.Ordinal);
        Assert.Contains("12.50 GBP below zero", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_APersonasOrATakenUsername_IsRefused_AndMalformedJsonGetsWords()
    {
        var organisation = NewOrganisation();
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(organisation, TwoAccounts("taken"))).Status);

        var (personaStatus, persona) = await CreateAsync(organisation, """{"Username":"alice","Name":"A","Accounts":[{"Currency":"GBP","OpeningBalance":"0"}]}""");
        var (takenStatus, taken) = await CreateAsync(organisation, """{"Username":"taken","Name":"A","Accounts":[{"Currency":"GBP","OpeningBalance":"0"}]}""");
        var (typeStatus, type) = await CreateAsync(organisation, """{"Username":"x1x","Name":"A","Accounts":[{"Currency":"GBP","OpeningBalance":12}]}""");
        var (unknownStatus, unknown) = await CreateAsync(organisation, """{"Username":"x1x","Name":"A","Acounts":[]}""");

        Assert.Equal(HttpStatusCode.BadRequest, personaStatus);
        Assert.Contains("built-in", persona.GetProperty("errors").GetProperty("Username")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, takenStatus);
        Assert.Contains("already exists", taken.GetProperty("errors").GetProperty("Username")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, typeStatus);
        Assert.True(type.GetProperty("errors").TryGetProperty("Accounts[0].OpeningBalance", out _));
        Assert.Equal(HttpStatusCode.BadRequest, unknownStatus);
        Assert.Contains("Acounts", unknown.GetProperty("errors").EnumerateObject().Single().Value[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_ACustomCustomer_RemovesIt_ButAPersonaIsRefused_AndTheLedgerStillHolds()
    {
        var organisation = NewOrganisation();
        var (_, created) = await CreateAsync(organisation, TwoAccounts("short.lived"));
        var id = created.GetProperty("CustomerId").GetString()!;
        await _sandbox.AuthorisedAsync("ReadAccountsBasic", "short.lived", organisationId: organisation);
        var alice = await _sandbox.CustomerIdAsync("alice", organisation);
        using var client = Partner(organisation);

        using var persona = await client.DeleteAsync($"/sandbox/v1/customers/{alice}", Ct);
        using var deleted = await client.DeleteAsync($"/sandbox/v1/customers/{id}", Ct);
        using var gone = await client.GetAsync($"/sandbox/v1/customers/{id}", Ct);

        Assert.Equal(HttpStatusCode.Conflict, persona.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var internalClient = _sandbox.Client(SandboxFactory.InternalToken());
        using var check = await internalClient.GetAsync($"/internal/tenants/{organisation}/ledger/check", Ct);
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.DoesNotContain(await _sandbox.CustomersAsync(organisation), c => c.GetProperty("Username").GetString() == "short.lived");
    }

    [Fact]
    public async Task Reset_MakesTheCustomCustomerAgain_WithTheSameIdsAndBalances()
    {
        var organisation = NewOrganisation();
        var (_, created) = await CreateAsync(organisation, TwoAccounts("survivor"));
        using var internalClient = _sandbox.Client(SandboxFactory.InternalToken());

        using var reset = await internalClient.PostAsync($"/internal/tenants/{organisation}/reset", null, Ct);
        using var client = Partner(organisation);
        var again = await client.GetFromJsonAsync<JsonElement>($"/sandbox/v1/customers/{created.GetProperty("CustomerId").GetString()}", Ct);

        Assert.True(reset.IsSuccessStatusCode);
        Assert.Equal(created.GetProperty("Accounts").ToString(), again.GetProperty("Accounts").ToString());
        using var check = await internalClient.GetAsync($"/internal/tenants/{organisation}/ledger/check", Ct);
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
    }

    [Fact]
    public async Task AnotherOrganisation_NeitherSeesNorDeletesIt()
    {
        var organisation = NewOrganisation();
        var other = NewOrganisation();
        var (_, created) = await CreateAsync(organisation, TwoAccounts("mine"));
        var id = created.GetProperty("CustomerId").GetString()!;
        using var intruder = Partner(other, "wallet-b");

        using var get = await intruder.GetAsync($"/sandbox/v1/customers/{id}", Ct);
        using var delete = await intruder.DeleteAsync($"/sandbox/v1/customers/{id}", Ct);
        var list = await intruder.GetFromJsonAsync<JsonElement[]>("/sandbox/v1/customers", Ct);
        using var internalDelete = await _sandbox.Client(SandboxFactory.InternalToken()).DeleteAsync($"/internal/tenants/{other}/customers/{id}", Ct);

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, internalDelete.StatusCode);
        Assert.DoesNotContain(list!, c => c.GetProperty("Username").GetString() == "mine");
        using var mine = await Partner(organisation).GetAsync($"/sandbox/v1/customers/{id}", Ct);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
    }

    [Fact]
    public async Task InternalCreate_ForThePortal_TakesTheSameBody_AndACustomerTokenIsRefused()
    {
        var organisation = NewOrganisation();
        using var portal = _sandbox.Client(SandboxFactory.InternalToken());
        using var created = await portal.PostAsync($"/internal/tenants/{organisation}/customers",
            Json("""{"username":"from.portal","name":"Portal Made","password":null,"accounts":[{"currency":"GBP","openingBalance":"0","nickname":null,"accountSubType":null,"template":null,"transactions":null}]}"""), Ct);
        using var customerToken = _sandbox.Client(SandboxFactory.ClientToken("wallet-a", organisation, consentId: "aac-x"));
        using var refused = await customerToken.GetAsync("/sandbox/v1/customers", Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("sandbox", body.GetProperty("Password").GetString());
        Assert.Equal("0.00", body.GetProperty("Accounts")[0].GetProperty("Balance").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
