using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Funds;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.Infrastructure.EntityConfigurations;

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.ToTable("LedgerEntries");
        builder.Property(e => e.PostingId).HasMaxLength(80);
        builder.Property(e => e.Kind).HasMaxLength(24);
        builder.Property(e => e.LedgerAccount).HasMaxLength(64);
        builder.Property(e => e.Currency).HasMaxLength(3);
        builder.Property(e => e.PaymentId).HasMaxLength(40);
        builder.HasIndex(e => new { e.TenantId, e.LedgerAccount });
        builder.HasIndex(e => e.PaymentId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DomesticPaymentConsentConfiguration : IEntityTypeConfiguration<DomesticPaymentConsent>
{
    public void Configure(EntityTypeBuilder<DomesticPaymentConsent> builder)
    {
        builder.ToTable("DomesticPaymentConsents");
        builder.Property(c => c.Id).HasMaxLength(128);
        builder.Property(c => c.ClientId).HasMaxLength(100);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(c => c.ApiVersion).HasConversion<string>().HasMaxLength(10);
        builder.Property(c => c.Currency).HasMaxLength(3);
        builder.Property(c => c.ReadRefundAccount).HasMaxLength(3);
        builder.Property(c => c.CreditorName).HasMaxLength(350);
        builder.Property(c => c.CreditorSchemeName).HasMaxLength(40);
        builder.Property(c => c.CreditorIdentification).HasMaxLength(256);
        builder.Property(c => c.Reference).HasMaxLength(35);
        builder.Property(c => c.DebtorSchemeName).HasMaxLength(40);
        builder.Property(c => c.DebtorIdentification).HasMaxLength(256);
        builder.Property(c => c.CustomerId).HasMaxLength(40);
        builder.Property(c => c.DebtorAccountId).HasMaxLength(40);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasIndex(c => new { c.TenantId, c.ClientId });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DomesticPaymentConfiguration : IEntityTypeConfiguration<DomesticPayment>
{
    public void Configure(EntityTypeBuilder<DomesticPayment> builder)
    {
        builder.ToTable("DomesticPayments");
        builder.Property(p => p.Id).HasMaxLength(40);
        builder.Property(p => p.ClientId).HasMaxLength(100);
        builder.Property(p => p.ConsentId).HasMaxLength(128);
        builder.Property(p => p.CustomerId).HasMaxLength(40);
        builder.Property(p => p.DebtorAccountId).HasMaxLength(40);
        builder.Property(p => p.CreditorAccountId).HasMaxLength(40);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.CreditorName).HasMaxLength(350);
        builder.Property(p => p.CreditorIdentification).HasMaxLength(256);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(40);
        builder.Property(p => p.ApiVersion).HasConversion<string>().HasMaxLength(10);
        builder.Property(p => p.StatusReason).HasMaxLength(40);
        builder.Property(p => p.RiskReasons).HasMaxLength(512);
        builder.Property(p => p.Scenario).HasMaxLength(40);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(20).HasDefaultValue(PaymentKind.Domestic).HasSentinel((PaymentKind)(-1));
        builder.Property(p => p.OrderId).HasMaxLength(40);
        // One consent, one domestic payment: a database guard as well as a rule of the handler. Standing orders and
        // VRP consents make many. (Square brackets quote the column in both SQLite and SQL Server.)
        builder.HasIndex(p => p.ConsentId).IsUnique().HasFilter("[Kind] = 'Domestic'");
        builder.HasIndex(p => p.OrderId);
        builder.HasIndex(p => new { p.DebtorAccountId, p.CreationDateTime });
        builder.HasIndex(p => p.NextActionAt);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PaymentStatusChangeConfiguration : IEntityTypeConfiguration<PaymentStatusChange>
{
    public void Configure(EntityTypeBuilder<PaymentStatusChange> builder)
    {
        builder.ToTable("PaymentStatusChanges");
        builder.Property(s => s.PaymentId).HasMaxLength(40);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(40);
        builder.Property(s => s.Detail).HasMaxLength(256);
        builder.HasIndex(s => s.PaymentId);
        builder.HasOne<DomesticPayment>().WithMany().HasForeignKey(s => s.PaymentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("IdempotencyRecords");
        builder.Property(r => r.ClientId).HasMaxLength(100);
        builder.Property(r => r.Operation).HasMaxLength(64);
        builder.Property(r => r.Key).HasMaxLength(40);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.ResourceId).HasMaxLength(128);
        builder.HasIndex(r => new { r.ClientId, r.Operation, r.Key }).IsUnique();
        builder.HasIndex(r => r.CreatedAt);
    }
}

internal sealed class FundsConfirmationConsentConfiguration : IEntityTypeConfiguration<FundsConfirmationConsent>
{
    public void Configure(EntityTypeBuilder<FundsConfirmationConsent> builder)
    {
        builder.ToTable("FundsConfirmationConsents");
        builder.Property(c => c.Id).HasMaxLength(128);
        builder.Property(c => c.ClientId).HasMaxLength(100);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(c => c.ApiVersion).HasConversion<string>().HasMaxLength(10);
        builder.Property(c => c.DebtorSchemeName).HasMaxLength(40);
        builder.Property(c => c.DebtorIdentification).HasMaxLength(256);
        builder.Property(c => c.DebtorName).HasMaxLength(350);
        builder.Property(c => c.DebtorSecondaryIdentification).HasMaxLength(34);
        builder.Property(c => c.CustomerId).HasMaxLength(40);
        builder.Property(c => c.AccountId).HasMaxLength(40);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasIndex(c => new { c.TenantId, c.ClientId });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FundsConfirmationConfiguration : IEntityTypeConfiguration<FundsConfirmation>
{
    public void Configure(EntityTypeBuilder<FundsConfirmation> builder)
    {
        builder.ToTable("FundsConfirmations");
        builder.Property(f => f.Id).HasMaxLength(40);
        builder.Property(f => f.ConsentId).HasMaxLength(128);
        builder.Property(f => f.Reference).HasMaxLength(35);
        builder.Property(f => f.Amount).HasMaxLength(20);
        builder.Property(f => f.Currency).HasMaxLength(3);
        // A CBPII never reuses a Reference under one consent (UK.OBIE.Rules.DuplicateReference).
        builder.HasIndex(f => new { f.ConsentId, f.Reference }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(f => f.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
