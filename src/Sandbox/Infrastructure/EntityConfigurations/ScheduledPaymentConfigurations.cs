using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Payments.Scheduled;

namespace OpenBanking.Sandbox.Infrastructure.EntityConfigurations;

internal sealed class DomesticScheduledPaymentConsentConfiguration : IEntityTypeConfiguration<DomesticScheduledPaymentConsent>
{
    public void Configure(EntityTypeBuilder<DomesticScheduledPaymentConsent> builder)
    {
        builder.ToTable("DomesticScheduledPaymentConsents");
        builder.Ignore(c => c.Kind);
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
        builder.HasIndex(c => new { c.TenantId, c.CustomerId, c.Status });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DomesticScheduledPaymentConfiguration : IEntityTypeConfiguration<DomesticScheduledPayment>
{
    public void Configure(EntityTypeBuilder<DomesticScheduledPayment> builder)
    {
        builder.ToTable("DomesticScheduledPayments");
        builder.Property(p => p.Id).HasMaxLength(40);
        builder.Property(p => p.ClientId).HasMaxLength(100);
        builder.Property(p => p.ConsentId).HasMaxLength(128);
        builder.Property(p => p.CustomerId).HasMaxLength(40);
        builder.Property(p => p.DebtorAccountId).HasMaxLength(40);
        builder.Property(p => p.ApiVersion).HasConversion<string>().HasMaxLength(10);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(24);
        builder.Property(p => p.StatusReason).HasMaxLength(40);
        builder.Property(p => p.ExecutionId).HasMaxLength(40);
        builder.Property(p => p.Version).IsConcurrencyToken();
        // One payment per consent, guarded by the database as well as by the consent's consumption.
        builder.HasIndex(p => p.ConsentId).IsUnique();
        // The clock's one question — the tenant's earliest pending execution — is a seek on this index.
        builder.HasIndex(p => new { p.TenantId, p.Status, p.RequestedExecutionDateTime });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
