using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Funds;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.Payments;
using OpenBanking.ServiceDefaults.Data;


namespace OpenBanking.Sandbox.Infrastructure;

/// <summary>The sandbox bank's database: tenants and, per tenant, the bank's data.</summary>
public abstract class SandboxDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core Data Protection keys, encrypted (ServiceDefaults' <c>AddDataProtectionKeys</c>).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<AccountAccessConsent> AccountAccessConsents => Set<AccountAccessConsent>();

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<BankTransaction> Transactions => Set<BankTransaction>();

    public DbSet<Beneficiary> Beneficiaries => Set<Beneficiary>();

    public DbSet<DirectDebit> DirectDebits => Set<DirectDebit>();

    public DbSet<StandingOrder> StandingOrders => Set<StandingOrder>();

    public DbSet<ScheduledPayment> ScheduledPayments => Set<ScheduledPayment>();

    public DbSet<Statement> Statements => Set<Statement>();

    public DbSet<Offer> Offers => Set<Offer>();

    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();

    public DbSet<DomesticPaymentConsent> DomesticPaymentConsents => Set<DomesticPaymentConsent>();

    public DbSet<DomesticPayment> DomesticPayments => Set<DomesticPayment>();

    public DbSet<Payments.Vrp.DomesticVrpConsent> DomesticVrpConsents => Set<Payments.Vrp.DomesticVrpConsent>();

    public DbSet<Payments.Vrp.DomesticVrpInstruction> DomesticVrpInstructions => Set<Payments.Vrp.DomesticVrpInstruction>();

    public DbSet<PaymentStatusChange> PaymentStatusChanges => Set<PaymentStatusChange>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<Payments.Scheduled.DomesticScheduledPaymentConsent> DomesticScheduledPaymentConsents => Set<Payments.Scheduled.DomesticScheduledPaymentConsent>();

    public DbSet<Payments.Scheduled.DomesticScheduledPayment> DomesticScheduledPayments => Set<Payments.Scheduled.DomesticScheduledPayment>();

    public DbSet<FundsConfirmationConsent> FundsConfirmationConsents => Set<FundsConfirmationConsent>();

    public DbSet<FundsConfirmation> FundsConfirmations => Set<FundsConfirmation>();

    /// <summary>Every recorded change of a consent or payment, for event notifications to deliver.</summary>
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<Events.EventSubscription> EventSubscriptions => Set<Events.EventSubscription>();

    public DbSet<Events.EventNotification> EventNotifications => Set<Events.EventNotification>();

    public DbSet<Events.EventDeliveryAttempt> EventDeliveryAttempts => Set<Events.EventDeliveryAttempt>();

    public DbSet<Signing.BankSigningKey> BankSigningKeys => Set<Signing.BankSigningKey>();

    public DbSet<Payments.StandingOrders.DomesticStandingOrderConsent> DomesticStandingOrderConsents => Set<Payments.StandingOrders.DomesticStandingOrderConsent>();

    public DbSet<Payments.StandingOrders.DomesticStandingOrder> DomesticStandingOrders => Set<Payments.StandingOrders.DomesticStandingOrder>();

    public DbSet<Payments.International.InternationalPaymentConsent> InternationalPaymentConsents => Set<Payments.International.InternationalPaymentConsent>();

    public DbSet<Payments.International.InternationalTransfer> InternationalTransfers => Set<Payments.International.InternationalTransfer>();

    public DbSet<Fx.FxContract> FxContracts => Set<Fx.FxContract>();

    /// <summary>Every change of every consent, kept for the consent inspector (the outbox is pruned).</summary>
    public DbSet<ConsentStatusChange> ConsentStatusChanges => Set<ConsentStatusChange>();

    /// <summary>How each payment was screened for fraud (rules, model, decision, review): the fraud dashboard's feed.</summary>
    public DbSet<Fraud.PaymentScreening> PaymentScreenings => Set<Fraud.PaymentScreening>();

    /// <summary>Partners' own test customers as asked for, replayed after a tenant reset.</summary>
    public DbSet<Customers.Custom.CustomCustomerDefinition> CustomCustomerDefinitions => Set<Customers.Custom.CustomCustomerDefinition>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(SandboxDbContext).Assembly);
}

/// <summary>The SQLite flavour; its migrations are under Migrations/Sqlite.</summary>
public sealed class SqliteSandboxDbContext(DbContextOptions<SqliteSandboxDbContext> options) : SandboxDbContext(options);

/// <summary>The SQL Server flavour; its migrations are under Migrations/SqlServer.</summary>
public sealed class SqlServerSandboxDbContext(DbContextOptions<SqlServerSandboxDbContext> options) : SandboxDbContext(options);

internal sealed class SqliteSandboxDesignTimeFactory() : DesignTimeDbContextFactory<SqliteSandboxDbContext>(DatabaseProvider.Sqlite);

internal sealed class SqlServerSandboxDesignTimeFactory() : DesignTimeDbContextFactory<SqlServerSandboxDbContext>(DatabaseProvider.SqlServer);
