using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Infrastructure.EntityConfigurations;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.ToTable("Customers");
        builder.Property(c => c.Id).HasMaxLength(40);
        builder.Property(c => c.Username).HasMaxLength(64);
        builder.HasIndex(c => new { c.TenantId, c.Username }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.ToTable("Accounts");
        builder.Property(a => a.Id).HasMaxLength(40);
        builder.Property(a => a.CustomerId).HasMaxLength(40);
        builder.Property(a => a.Currency).HasMaxLength(3);
        // OBIE's Identification is at most 256 characters; bounded so that SQL Server can index it.
        builder.Property(a => a.Identification).HasMaxLength(256);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasIndex(a => new { a.TenantId, a.CustomerId });
        // A payment looks its payee up by identification (an internal transfer is credited at settlement): without
        // this index every payment read all of its tenant's accounts.
        builder.HasIndex(a => new { a.TenantId, a.Identification });
        builder.HasOne<Customer>().WithMany().HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BankTransactionConfiguration : IEntityTypeConfiguration<BankTransaction>
{
    public void Configure(EntityTypeBuilder<BankTransaction> builder)
    {
        builder.ToTable("Transactions");
        builder.Property(t => t.AccountId).HasMaxLength(40);
        builder.Property(t => t.TransactionId).HasMaxLength(64);
        builder.Property(t => t.Status).HasMaxLength(10).HasConversion<string>();
        builder.Property(t => t.Currency).HasMaxLength(3);
        builder.Property(t => t.FxSourceCurrency).HasMaxLength(3);
        builder.Property(t => t.FxTargetCurrency).HasMaxLength(3);
        builder.Property(t => t.FxUnitCurrency).HasMaxLength(3);
        builder.Property(t => t.FxRate).HasPrecision(18, 6);
        builder.Property(t => t.FxContractId).HasMaxLength(35);
        builder.Property(t => t.FxInstructedAmount).HasMaxLength(20);
        builder.Property(t => t.FxInstructedCurrency).HasMaxLength(3);
        builder.Property(t => t.ChargeCurrency).HasMaxLength(3);
        // The transactions endpoint reads one account's page in booking order within a date window.
        builder.HasIndex(t => new { t.AccountId, t.BookingDateTime, t.Id });
        builder.HasIndex(t => t.TenantId);
    }
}

internal sealed class BeneficiaryConfiguration : IEntityTypeConfiguration<Beneficiary>
{
    public void Configure(EntityTypeBuilder<Beneficiary> builder)
    {
        builder.ToTable("Beneficiaries");
        builder.Property(b => b.Id).HasMaxLength(40);
        builder.HasIndex(b => b.AccountId);
        builder.HasIndex(b => b.TenantId);
    }
}

internal sealed class DirectDebitConfiguration : IEntityTypeConfiguration<DirectDebit>
{
    public void Configure(EntityTypeBuilder<DirectDebit> builder)
    {
        builder.ToTable("DirectDebits");
        builder.Property(d => d.Id).HasMaxLength(40);
        builder.HasIndex(d => d.AccountId);
        builder.HasIndex(d => d.TenantId);
    }
}

internal sealed class StandingOrderConfiguration : IEntityTypeConfiguration<StandingOrder>
{
    public void Configure(EntityTypeBuilder<StandingOrder> builder)
    {
        builder.ToTable("StandingOrders");
        builder.Property(s => s.Id).HasMaxLength(40);
        builder.HasIndex(s => s.AccountId);
        builder.HasIndex(s => s.TenantId);
    }
}

internal sealed class ScheduledPaymentConfiguration : IEntityTypeConfiguration<ScheduledPayment>
{
    public void Configure(EntityTypeBuilder<ScheduledPayment> builder)
    {
        builder.ToTable("ScheduledPayments");
        builder.Property(s => s.Id).HasMaxLength(40);
        builder.HasIndex(s => s.AccountId);
        builder.HasIndex(s => s.TenantId);
    }
}

internal sealed class StatementConfiguration : IEntityTypeConfiguration<Statement>
{
    public void Configure(EntityTypeBuilder<Statement> builder)
    {
        builder.ToTable("Statements");
        builder.Property(s => s.Id).HasMaxLength(40);
        builder.HasIndex(s => new { s.AccountId, s.StartDateTime });
        builder.HasIndex(s => s.TenantId);
    }
}

internal sealed class OfferConfiguration : IEntityTypeConfiguration<Offer>
{
    public void Configure(EntityTypeBuilder<Offer> builder)
    {
        builder.ToTable("Offers");
        builder.Property(o => o.Id).HasMaxLength(40);
        builder.HasIndex(o => o.AccountId);
        builder.HasIndex(o => o.TenantId);
    }
}
