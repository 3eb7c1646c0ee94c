using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.Pipeline;

namespace OpenBanking.Sandbox.UnitTests.Payments;

/// <summary>
/// A real SQLite database (in memory, kept open for the test) with one tenant, a payer, a payee and an authorised
/// consent between them — what the pipeline's steps read and write.
/// </summary>
public sealed class PaymentsDatabase : IAsyncDisposable
{
    public const string ClientId = "wallet";
    public const string Initiation = """{"InstructionIdentification":"i-1","EndToEndIdentification":"e-1","InstructedAmount":{"Amount":"12.50","Currency":"GBP"},"CreditorAccount":{"SchemeName":"UK.OBIE.SortCodeAccountNumber","Identification":"11223387654321","Name":"Payee"}}""";
    public const string Risk = """{"PaymentContextCode":"TransferToThirdParty"}""";

    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    private PaymentsDatabase()
    {
    }

    public Guid TenantId { get; } = Guid.NewGuid();
    public Account Payer { get; private set; } = null!;
    public Account Payee { get; private set; } = null!;
    public DateTime Now { get; } = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);
    public IOptions<PaymentOptions> Options { get; } = Microsoft.Extensions.Options.Options.Create(new PaymentOptions());

    public static async Task<PaymentsDatabase> CreateAsync(long payerBalanceMinor = 100_000)
    {
        var database = new PaymentsDatabase();
        await database._connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var db = database.Context();
        await db.Database.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        db.Tenants.Add(new Tenant { Id = database.TenantId, OrganisationId = "org" });
        db.Customers.Add(new Customer { Id = "c-1", TenantId = database.TenantId, Username = "alice", Persona = "p", Name = "Alice", PasswordHash = "x" });
        database.Payer = NewAccount(database.TenantId, "a-payer", "60161331926819", payerBalanceMinor);
        database.Payee = NewAccount(database.TenantId, "a-payee", "11223387654321", 0);
        db.Accounts.AddRange(database.Payer, database.Payee);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return database;
    }

    public SandboxDbContext Context()
        => new SqliteSandboxDbContext(new DbContextOptionsBuilder<SqliteSandboxDbContext>().UseSqlite(_connection).Options);

    /// <summary>An authorised consent from the payer to the payee for 12.50.</summary>
    public async Task<DomesticPaymentConsent> AuthorisedConsentAsync(PaymentConsentStatus status = PaymentConsentStatus.Authorised, string clientId = ClientId)
    {
        var consent = new DomesticPaymentConsent
        {
            Id = DomesticPaymentConsent.NewId(),
            TenantId = TenantId,
            ClientId = clientId,
            Status = status,
            InitiationJson = Initiation,
            RiskJson = Risk,
            AmountMinor = 1_250,
            Currency = "GBP",
            CreditorName = "Payee",
            CreditorSchemeName = "UK.OBIE.SortCodeAccountNumber",
            CreditorIdentification = Payee.Identification,
            Reference = "REF",
            CustomerId = "c-1",
            DebtorAccountId = Payer.Id,
        };
        await using var db = Context();
        db.DomesticPaymentConsents.Add(consent);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return consent;
    }

    public PaymentContext Payment(string consentId, string key = "key-1", string? tokenConsentId = null, string initiation = Initiation)
    {
        using var initiationJson = JsonDocument.Parse(initiation);
        using var riskJson = JsonDocument.Parse(Risk);
        var caller = new CallerContext(ClientId, "org", tokenConsentId ?? consentId, new HashSet<string> { "payments" });
        return new PaymentContext(caller, key, "hash-1", PaymentService.CreatePaymentOperation,
            new PaymentInstruction(consentId, initiationJson.RootElement.Clone(), riskJson.RootElement.Clone()), Now);
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private static Account NewAccount(Guid tenantId, string id, string identification, long balance) => new()
    {
        Id = id,
        TenantId = tenantId,
        CustomerId = "c-1",
        AccountType = "Personal",
        AccountSubType = "CurrentAccount",
        Currency = "GBP",
        Description = "Current",
        Name = id,
        SchemeName = "UK.OBIE.SortCodeAccountNumber",
        Identification = identification,
        ProductName = "Current",
        BookedBalanceMinor = balance,
        OpeningBalanceMinor = balance,
        CreditLimitMinor = 0,
    };
}

/// <summary>Faults nowhere (the service's own injector is internal).</summary>
internal sealed class NoFaultsHere : IFaultInjector
{
    public void After(string step)
    {
    }
}
