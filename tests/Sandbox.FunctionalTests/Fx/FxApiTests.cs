using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Fx;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.FunctionalTests.Fx;

/// <summary>
/// The FX desk's sandbox API on the real Sandbox and SQLite: booking, listing and reading contracts, the rates, bad
/// input refused with every problem named and nothing booked, one partner never seeing another's contract, expiry on
/// the tenant's clock, and the guarded use that stops two payments overdrawing a contract.
/// </summary>
public sealed class FxApiTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private const string Booking = """{"UnitCurrency": "GBP", "CurrencyOfTransfer": "EUR", "Side": "Buy", "Amount": {"Amount": "1000.00", "Currency": "EUR"}, "ValidFor": "P1D"}""";

    private readonly SandboxClient _sandbox = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewOrganisation() => "org-fx-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Book_ReturnsTheContract_AtTheDesksCustomerRate_AndItCanBeReadAndListed()
    {
        var organisation = NewOrganisation();
        var now = await FreezeAsync(organisation);
        using var app = App(organisation);

        var rates = await app.GetFromJsonAsync<JsonElement>($"{FxApi.RatesPath}?unit=GBP", Ct);
        using var response = await PostAsync(app, Booking);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var contract = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = contract.GetProperty("ContractIdentification").GetString()!;
        Assert.Matches("^fxc-[0-9a-f]{24}$", id);
        Assert.Equal($"{FxApi.ContractsPath}/{id}", response.Headers.Location!.ToString());
        var eur = rates.GetProperty("Rates").EnumerateArray().Single(r => r.GetProperty("Currency").GetString() == "EUR");
        Assert.Equal(JsonValueKind.Number, contract.GetProperty("ExchangeRate").ValueKind);
        Assert.Equal(eur.GetProperty("Rate").GetDecimal(), contract.GetProperty("ExchangeRate").GetDecimal());
        Assert.Equal(eur.GetProperty("MidRate").GetDecimal(), contract.GetProperty("MidRate").GetDecimal());
        Assert.Equal("1000.00", contract.GetProperty("Remaining").GetProperty("Amount").GetString());
        Assert.Equal("Active", contract.GetProperty("Status").GetString());
        Assert.Equal("wallet-fx", contract.GetProperty("ClientId").GetString());
        Assert.Equal(now, Time(contract, "CreationDateTime"));
        Assert.Equal(now.AddDays(1), Time(contract, "ExpirationDateTime"));

        var read = await app.GetFromJsonAsync<JsonElement>($"{FxApi.ContractsPath}/{id}", Ct);
        Assert.Equal(contract.GetRawText(), read.GetRawText());
        var list = await app.GetFromJsonAsync<JsonElement[]>(FxApi.ContractsPath, Ct);
        Assert.Equal(id, Assert.Single(list!).GetProperty("ContractIdentification").GetString());
    }

    [Fact]
    public async Task ASellContract_IsAtTheMidPlusTheSpread_InTheUnitCurrency()
    {
        var organisation = NewOrganisation();
        await FreezeAsync(organisation);
        using var app = App(organisation);
        var rates = await app.GetFromJsonAsync<JsonElement>($"{FxApi.RatesPath}?unit=USD", Ct);

        using var response = await PostAsync(app, """{"UnitCurrency": "USD", "CurrencyOfTransfer": "JPY", "Side": "Sell", "Amount": {"Amount": "250.00", "Currency": "USD"}, "ValidFor": "PT2H"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var contract = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var jpy = rates.GetProperty("Rates").EnumerateArray().Single(r => r.GetProperty("Currency").GetString() == "JPY");
        Assert.Equal(jpy.GetProperty("SellRate").GetDecimal(), contract.GetProperty("ExchangeRate").GetDecimal());
        Assert.Equal(FxRates.Sell(jpy.GetProperty("MidRate").GetDecimal(), 50), contract.GetProperty("ExchangeRate").GetDecimal());
        Assert.Equal("Sell", contract.GetProperty("Side").GetString());
    }

    [Fact]
    public async Task ABadBooking_Is400NamingEveryProblem_AndBooksNothing()
    {
        var organisation = NewOrganisation();
        using var app = App(organisation);

        using var response = await PostAsync(app, """{"UnitCurrency": "GBP", "CurrencyOfTransfer": "ZAR", "Side": "Long", "Amount": {"Amount": "12.345", "Currency": "GBP"}, "ValidFor": "P31D"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["Amount.Amount", "CurrencyOfTransfer", "Side", "ValidFor"], errors);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("The FX desk does not trade ZAR", detail, StringComparison.Ordinal);
        Assert.Contains("at most 2 decimal places", detail, StringComparison.Ordinal);
        Assert.Empty((await app.GetFromJsonAsync<JsonElement[]>(FxApi.ContractsPath, Ct))!);

        using var notJson = await PostAsync(app, "{not json");
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Contains("not valid JSON", (await notJson.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var badUnit = await app.GetAsync($"{FxApi.RatesPath}?unit=ZAR", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badUnit.StatusCode);
        Assert.Contains("does not trade ZAR", await badUnit.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherPartnersContract_IsNotFound_NorAnotherAppsOfTheSamePartner()
    {
        var organisation = NewOrganisation();
        using var app = App(organisation);
        using var booked = await PostAsync(app, Booking);
        var id = (await booked.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("ContractIdentification").GetString();

        using var otherPartner = App(NewOrganisation());
        using var sibling = App(organisation, clientId: "wallet-fx-2");

        Assert.Equal(HttpStatusCode.NotFound, (await otherPartner.GetAsync($"{FxApi.ContractsPath}/{id}", Ct)).StatusCode);
        Assert.Empty((await otherPartner.GetFromJsonAsync<JsonElement[]>(FxApi.ContractsPath, Ct))!);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.GetAsync($"{FxApi.ContractsPath}/{id}", Ct)).StatusCode);
        var tenantId = await TenantIdAsync(organisation);
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<IFxContracts>().FindAsync(Guid.NewGuid(), id!, Ct));
        Assert.NotNull(await scope.ServiceProvider.GetRequiredService<IFxContracts>().FindAsync(tenantId, id!, Ct));
    }

    [Fact]
    public async Task AContractBookedInThePortal_IsTheOrganisations_AndEveryAppSeesIt()
    {
        var organisation = NewOrganisation();
        using var portal = _sandbox.Client(SandboxFactory.InternalToken());

        using var response = await portal.PostAsync($"/internal/tenants/{organisation}/fx/contracts",
            new StringContent("""{"UnitCurrency": "EUR", "CurrencyOfTransfer": "USD", "Amount": {"Amount": "500.00", "Currency": "EUR"}, "ValidFor": "P7D"}""", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var contract = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(contract.TryGetProperty("ClientId", out var clientId) && clientId.ValueKind != JsonValueKind.Null, contract.ToString());
        Assert.Equal("Buy", contract.GetProperty("Side").GetString());
        var id = contract.GetProperty("ContractIdentification").GetString();
        using var app = App(organisation, clientId: "any-app");
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"{FxApi.ContractsPath}/{id}", Ct)).StatusCode);
        var listed = await portal.GetFromJsonAsync<JsonElement[]>($"/internal/tenants/{organisation}/fx/contracts", Ct);
        Assert.Equal(id, Assert.Single(listed!).GetProperty("ContractIdentification").GetString());

        using var refused = await portal.PostAsync($"/internal/tenants/{organisation}/fx/contracts",
            new StringContent("""{"UnitCurrency": "EUR"}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("CurrencyOfTransfer", out _) && errors.TryGetProperty("Amount", out _), errors.ToString());
    }

    [Fact]
    public async Task ARepeatedBooking_WithTheSameKey_ReturnsTheSameContract_AndAnotherBodyUnderItIsAConflict()
    {
        var organisation = NewOrganisation();
        using var app = App(organisation);
        var key = Guid.NewGuid().ToString("N");

        using var first = await PostAsync(app, Booking, key);
        using var again = await PostAsync(app, Booking, key);
        using var other = await PostAsync(app, Booking.Replace("1000.00", "999.00", StringComparison.Ordinal), key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(
            (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("ContractIdentification").GetString(),
            (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("ContractIdentification").GetString());
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Single((await app.GetFromJsonAsync<JsonElement[]>(FxApi.ContractsPath, Ct))!);

        using var badKey = await PostAsync(app, Booking, new string('k', 41));
        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
    }

    [Fact]
    public async Task AContract_ExpiresOnTheTenantsClock_AndCanNoLongerBeUsed()
    {
        var organisation = NewOrganisation();
        await FreezeAsync(organisation);
        using var app = App(organisation);
        using var booked = await PostAsync(app, Booking.Replace("P1D", "PT5M", StringComparison.Ordinal));
        var id = (await booked.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("ContractIdentification").GetString()!;

        await MoveClockAsync(organisation, """{"Advance": "PT4M"}""");
        Assert.Equal("Active", (await app.GetFromJsonAsync<JsonElement>($"{FxApi.ContractsPath}/{id}", Ct)).GetProperty("Status").GetString());
        var moved = await MoveClockAsync(organisation, """{"Advance": "PT1M"}""");

        Assert.Equal("Expired", (await app.GetFromJsonAsync<JsonElement>($"{FxApi.ContractsPath}/{id}", Ct)).GetProperty("Status").GetString());
        Assert.False(await TryUseAsync(id, 100, moved.UtcDateTime));
        Assert.True(await TryUseAsync(id, 100, moved.UtcDateTime.AddSeconds(-1)));
    }

    [Fact]
    public async Task TwoPaymentsUsingAContractAtOnce_CannotOverdrawIt()
    {
        var organisation = NewOrganisation();
        using var app = App(organisation);
        using var booked = await PostAsync(app, Booking.Replace("1000.00", "100.00", StringComparison.Ordinal));
        var id = (await booked.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("ContractIdentification").GetString()!;
        var now = factory.Clock.GetUtcNow().UtcDateTime;

        var uses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => TryUseAsync(id, 3_000, now), Ct)));

        Assert.Equal(3, uses.Count(used => used));
        var contract = await app.GetFromJsonAsync<JsonElement>($"{FxApi.ContractsPath}/{id}", Ct);
        Assert.Equal("10.00", contract.GetProperty("Remaining").GetProperty("Amount").GetString());
        Assert.Equal("Active", contract.GetProperty("Status").GetString());
        Assert.True(await TryUseAsync(id, 1_000, now));
        Assert.Equal("UsedUp", (await app.GetFromJsonAsync<JsonElement>($"{FxApi.ContractsPath}/{id}", Ct)).GetProperty("Status").GetString());
    }

    [Fact]
    public async Task TheRates_AreAtTheTenantsTime_ForEveryOtherDeskCurrency()
    {
        var organisation = NewOrganisation();
        await FreezeAsync(organisation);
        var later = await MoveClockAsync(organisation, """{"Advance": "P400D"}""");
        using var app = App(organisation);

        var rates = await app.GetFromJsonAsync<JsonElement>(FxApi.RatesPath, Ct);

        Assert.Equal("GBP", rates.GetProperty("UnitCurrency").GetString());
        Assert.Equal(later, Time(rates, "At"));
        var currencies = rates.GetProperty("Rates").EnumerateArray().Select(r => r.GetProperty("Currency").GetString()).ToArray();
        Assert.Equal(["EUR", "USD", "CHF", "JPY", "PLN", "SEK", "INR", "AED", "BHD"], currencies);
        foreach (var rate in rates.GetProperty("Rates").EnumerateArray())
        {
            var (mid, customer, sell) = (rate.GetProperty("MidRate").GetDecimal(), rate.GetProperty("Rate").GetDecimal(), rate.GetProperty("SellRate").GetDecimal());
            Assert.True(customer < mid && mid < sell, rate.ToString());
            Assert.Equal(FxRates.Buy(mid, rate.GetProperty("SpreadBps").GetInt32()), customer);
        }

        // The same minute, asked again, is the same; another partner's bank at the same moment differs.
        Assert.Equal(rates.GetRawText(), (await app.GetFromJsonAsync<JsonElement>($"{FxApi.RatesPath}?unit=GBP", Ct)).GetRawText());
        var tenantId = await TenantIdAsync(organisation);
        var desk = factory.Services.GetRequiredService<IFxDesk>();
        var quote = await desk.QuoteAsync(tenantId, "GBP", "JPY", later, Ct);
        Assert.Equal(quote.Rate, rates.GetProperty("Rates")[3].GetProperty("Rate").GetDecimal());
    }

    [Fact]
    public async Task TheHistory_GivesHourlyMidRatesOverSevenDays_EndingAtTheTenantsTime()
    {
        var organisation = NewOrganisation();
        var now = await FreezeAsync(organisation);
        using var portal = _sandbox.Client(SandboxFactory.InternalToken());

        var history = await portal.GetFromJsonAsync<JsonElement>($"/internal/tenants/{organisation}/fx/history?unit=EUR&days=7", Ct);

        var times = history.GetProperty("Times").EnumerateArray().Select(t => DateTimeOffset.Parse(t.GetString()!, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(169, times.Length);
        Assert.Equal(now, times[^1]);
        Assert.Equal(now.AddDays(-7), times[0]);
        Assert.Equal(TimeSpan.FromHours(1), times[1] - times[0]);
        var series = history.GetProperty("Series").EnumerateArray().ToArray();
        Assert.Equal(9, series.Length);
        Assert.All(series, s => Assert.Equal(169, s.GetProperty("MidRates").GetArrayLength()));
        var rates = await portal.GetFromJsonAsync<JsonElement>($"/internal/tenants/{organisation}/fx/rates?unit=EUR", Ct);
        Assert.Equal(rates.GetProperty("Rates")[0].GetProperty("MidRate").GetDecimal(), series[0].GetProperty("MidRates")[168].GetDecimal());

        using var refused = await portal.GetAsync($"/internal/tenants/{organisation}/fx/history?unit=eur&days=90", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task TheFxApi_TakesOnlyAnAppsClientCredentialsToken()
    {
        using var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(FxApi.RatesPath, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(FxApi.ContractsPath, Ct)).StatusCode);

        using var customer = _sandbox.Client(SandboxFactory.ClientToken(organisationId: NewOrganisation(), scope: PlatformScopes.Payments, consentId: "pdc-x"));
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync(FxApi.RatesPath, Ct)).StatusCode);
        using (var response = await PostAsync(customer, Booking))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using var asInternal = _sandbox.Client(SandboxFactory.InternalToken());
        Assert.Equal(HttpStatusCode.Forbidden, (await asInternal.GetAsync(FxApi.ContractsPath, Ct)).StatusCode);

        using var app = App(NewOrganisation());
        Assert.Equal(HttpStatusCode.Forbidden, (await app.GetAsync("/internal/tenants/org-a/fx/rates", Ct)).StatusCode);
    }

    private HttpClient App(string organisation, string clientId = "wallet-fx")
        => _sandbox.Client(SandboxFactory.ClientToken(clientId: clientId, organisationId: organisation, scope: PlatformScopes.Payments));

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, FxApi.ContractsPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add(Idempotency.Header, key);
        }

        return await client.SendAsync(request, Ct);
    }

    /// <summary>Freezes the tenant's clock (creating its bank); its time, in whole seconds.</summary>
    private async Task<DateTimeOffset> FreezeAsync(string organisation) => await MoveClockAsync(organisation, """{"Freeze": true}""");

    private async Task<DateTimeOffset> MoveClockAsync(string organisation, string move)
    {
        using var app = App(organisation);
        using var response = await app.PostAsync(ClockApi.PublicPath, new StringContent(move, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Time(await response.Content.ReadFromJsonAsync<JsonElement>(Ct), "Now");
    }

    /// <summary>Uses the contract as a payment does: inside a write transaction, by the guarded update.</summary>
    private async Task<bool> TryUseAsync(string contractId, long amountMinor, DateTime now)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var contracts = scope.ServiceProvider.GetRequiredService<IFxContracts>();
        var used = false;
        await scope.ServiceProvider.GetRequiredService<WriteTransaction>().RunAsync(async tx =>
            used = await contracts.TryUseAsync(tx, contractId, amountMinor, now, Ct), Ct);
        return used;
    }

    private async Task<Guid> TenantIdAsync(string organisation)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        return db.Tenants.Single(t => t.OrganisationId == organisation).Id;
    }

    private static DateTimeOffset Time(JsonElement element, string name)
        => DateTimeOffset.Parse(element.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
}
