using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Fx;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.UnitTests.Fx;

/// <summary>
/// The desk, tariff and contracts over a real SQLite database: the tenant's seed drives its rates, its own tariff
/// overrides the default, and a contract is used by a guarded update that never overdraws it or uses it after expiry.
/// </summary>
public sealed class FxStoreTests : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 12, 3, 9, 0, 0, DateTimeKind.Utc);
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly Guid _tenantId = Guid.NewGuid();
    private readonly Guid _otherTenantId = Guid.NewGuid();
    private ServiceProvider _services = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _connection.OpenAsync(Ct);
        _services = new ServiceCollection()
            .AddScoped<SandboxDbContext>(_ => Context())
            .BuildServiceProvider();
        await using var db = Context();
        await db.Database.EnsureCreatedAsync(Ct);
        db.Tenants.Add(new Tenant { Id = _tenantId, OrganisationId = "org-fx", Seed = Tenant.SeedFor("org-fx") });
        db.Tenants.Add(new Tenant
        {
            Id = _otherTenantId, OrganisationId = "org-other", Seed = Tenant.SeedFor("org-other"),
            ChargeTariffJson = """{"TransferFee": {"GBP": "1.00"}, "CorrespondentFee": {"EUR": "0"}}""",
        });
        await db.SaveChangesAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _connection.DisposeAsync();
    }

    [Fact]
    public async Task TheDesk_QuotesFromTheTenantsSeed_WithThePairsSpread()
    {
        var desk = new FxDesk(_services.GetRequiredService<IServiceScopeFactory>(), Options.Create(new FxOptions()));
        var at = new DateTimeOffset(Now);

        var quote = await desk.QuoteAsync(_tenantId, "GBP", "EUR", at, Ct);
        var other = await desk.QuoteAsync(_otherTenantId, "GBP", "EUR", at, Ct);

        Assert.Equal(FxRates.Mid(Tenant.SeedFor("org-fx"), "GBP", "EUR", at), quote.MidRate);
        Assert.Equal(FxRates.Buy(quote.MidRate, 35), quote.Rate);
        Assert.True(quote.Rate < quote.MidRate);
        Assert.NotEqual(quote.MidRate, other.MidRate);
        Assert.Equal(("GBP", "EUR", at), (quote.UnitCurrency, quote.TransferCurrency, quote.At));
        Assert.Equal(new FxQuote("GBP", "GBP", 1m, 1m, at), await desk.QuoteAsync(_tenantId, "GBP", "GBP", at, Ct));
        Assert.True(desk.Trades("BHD"));
        Assert.False(desk.Trades("ZAR"));
        Assert.Equal(10, desk.Currencies.Count);
    }

    [Fact]
    public async Task TheTariff_IsTheTenantsOwnWhereItHasOne()
    {
        var tariff = new ChargeTariff(_services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System);

        Assert.Equal(new TariffFees(500, 0, 800), await tariff.FeesAsync(_tenantId, "GBP", "EUR", null, false, Ct));
        Assert.Equal(new TariffFees(100, 0, 0), await tariff.FeesAsync(_otherTenantId, "GBP", "EUR", null, false, Ct));
        Assert.Equal(new TariffFees(100, 1000, 1000), await tariff.FeesAsync(_otherTenantId, "GBP", "USD", null, true, Ct));
    }

    [Fact]
    public async Task UsingAContract_TakesFromWhatRemains_AndNeverMoreThanThat()
    {
        var contract = await ContractAsync(notional: 10_000, expiresAt: Now.AddDays(1));
        var contracts = new FxContracts(Context());

        await using (var tx = Context())
        {
            Assert.True(await contracts.TryUseAsync(tx, contract.Id, 6_000, Now, Ct));
            Assert.False(await contracts.TryUseAsync(tx, contract.Id, 4_001, Now, Ct));
            Assert.True(await contracts.TryUseAsync(tx, contract.Id, 4_000, Now, Ct));
            Assert.False(await contracts.TryUseAsync(tx, contract.Id, 1, Now, Ct));
            Assert.False(await contracts.TryUseAsync(tx, contract.Id, 0, Now, Ct));
        }

        var used = await contracts.FindAsync(_tenantId, contract.Id, Ct);
        Assert.Equal(0, used!.RemainingMinor);
        Assert.Equal(2, used.Version);
    }

    [Fact]
    public async Task AnExpiredContract_CannotBeUsed_OnTheTenantsClock()
    {
        var contract = await ContractAsync(notional: 10_000, expiresAt: Now.AddMinutes(5));
        var contracts = new FxContracts(Context());
        await using var tx = Context();

        Assert.False(await contracts.TryUseAsync(tx, contract.Id, 100, Now.AddMinutes(5), Ct));
        Assert.True(await contracts.TryUseAsync(tx, contract.Id, 100, Now.AddMinutes(5).AddSeconds(-1), Ct));
    }

    [Fact]
    public async Task Restoring_GivesBackWhatAPaymentUsed_NeverMoreThanWasBooked()
    {
        var contract = await ContractAsync(notional: 10_000, expiresAt: Now.AddDays(1));
        var contracts = new FxContracts(Context());
        await using var tx = Context();
        Assert.True(await contracts.TryUseAsync(tx, contract.Id, 7_000, Now, Ct));

        await contracts.RestoreAsync(tx, contract.Id, 2_500, Ct);
        Assert.Equal(5_500, (await contracts.FindAsync(_tenantId, contract.Id, Ct))!.RemainingMinor);
        await contracts.RestoreAsync(tx, contract.Id, 9_000, Ct);
        Assert.Equal(10_000, (await contracts.FindAsync(_tenantId, contract.Id, Ct))!.RemainingMinor);
    }

    [Fact]
    public async Task AnotherTenantsContract_IsNotFound()
    {
        var contract = await ContractAsync(notional: 10_000, expiresAt: Now.AddDays(1));
        var contracts = new FxContracts(Context());

        Assert.NotNull(await contracts.FindAsync(_tenantId, contract.Id, Ct));
        Assert.Null(await contracts.FindAsync(_otherTenantId, contract.Id, Ct));
        Assert.Null(await contracts.FindAsync(_tenantId, "fxc-nope", Ct));
    }

    [Fact]
    public void ABooking_WithEveryFieldWrong_NamesEveryProblemAtOnce()
    {
        using var body = JsonDocument.Parse("""{"UnitCurrency": "gbp", "CurrencyOfTransfer": "ZAR", "Side": "Hold", "Amount": {"Amount": "-5", "Currency": "EUR"}, "ValidFor": "P90D", "Rate": 1.2}""");

        var (booking, errors) = FxContractBook.Read(body.RootElement, new DateTimeOffset(Now));

        Assert.Null(booking);
        Assert.Equal(["Amount.Amount", "CurrencyOfTransfer", "Rate", "Side", "UnitCurrency", "ValidFor"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("The FX desk does not trade ZAR", errors["CurrencyOfTransfer"][0], StringComparison.Ordinal);
        Assert.Contains("three-letter ISO 4217", errors["UnitCurrency"][0], StringComparison.Ordinal);
        Assert.Contains("at most 30 days", errors["ValidFor"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"UnitCurrency": "GBP", "CurrencyOfTransfer": "JPY", "Amount": {"Amount": "100.5", "Currency": "JPY"}}""", "Amount.Amount", "no decimal places")]
    [InlineData("""{"UnitCurrency": "GBP", "CurrencyOfTransfer": "EUR", "Amount": {"Amount": "100.00", "Currency": "USD"}}""", "Amount.Currency", "one of the pair, GBP or EUR")]
    [InlineData("""{"UnitCurrency": "EUR", "CurrencyOfTransfer": "EUR", "Amount": {"Amount": "100.00", "Currency": "EUR"}}""", "CurrencyOfTransfer", "must differ from UnitCurrency")]
    [InlineData("""{"UnitCurrency": "GBP", "CurrencyOfTransfer": "EUR"}""", "Amount", "Amount is required")]
    [InlineData("""{"CurrencyOfTransfer": "EUR", "Amount": {"Amount": "1.00", "Currency": "EUR"}}""", "UnitCurrency", "UnitCurrency is required")]
    [InlineData("""{"UnitCurrency": "GBP", "CurrencyOfTransfer": "EUR", "Amount": {"Amount": "1.00", "Currency": "EUR"}, "ValidFor": "PT30S"}""", "ValidFor", "at least one minute")]
    [InlineData("""{"UnitCurrency": "GBP", "CurrencyOfTransfer": "EUR", "Amount": {"Amount": "20000000.00", "Currency": "EUR"}}""", "Amount.Amount", "at most 10,000,000")]
    [InlineData("[]", "", "JSON object")]
    public void ABadBooking_IsRefusedNamingTheField(string json, string field, string words)
    {
        using var body = JsonDocument.Parse(json);
        var (booking, errors) = FxContractBook.Read(body.RootElement, new DateTimeOffset(Now));
        Assert.Null(booking);
        Assert.Contains(words, Assert.Single(errors[field]), StringComparison.Ordinal);
    }

    [Fact]
    public void AGoodBooking_DefaultsToBuyingForADay()
    {
        using var body = JsonDocument.Parse("""{"UnitCurrency": "GBP", "CurrencyOfTransfer": "BHD", "Amount": {"Amount": "1000.250", "Currency": "BHD"}}""");
        var (booking, errors) = FxContractBook.Read(body.RootElement, new DateTimeOffset(Now));
        Assert.Empty(errors);
        Assert.Equal(new FxBooking("GBP", "BHD", FxSide.Buy, "BHD", 1_000_250, "P1D"), booking);
    }

    private async Task<FxContract> ContractAsync(long notional, DateTime expiresAt)
    {
        var contract = new FxContract
        {
            Id = FxContract.NewId(),
            TenantId = _tenantId,
            UnitCurrency = "GBP",
            QuoteCurrency = "EUR",
            Side = FxSide.Buy,
            Rate = 1.164313m,
            MidRate = 1.168402m,
            NotionalCurrency = "EUR",
            NotionalMinor = notional,
            RemainingMinor = notional,
            CreatedAt = Now,
            ExpiresAt = expiresAt,
        };
        await using var db = Context();
        db.FxContracts.Add(contract);
        await db.SaveChangesAsync(Ct);
        return contract;
    }

    private SandboxDbContext Context()
        => new SqliteSandboxDbContext(new DbContextOptionsBuilder<SqliteSandboxDbContext>().UseSqlite(_connection).Options);
}
