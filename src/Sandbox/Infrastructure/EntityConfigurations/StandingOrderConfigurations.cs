using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Payments.StandingOrders;

namespace OpenBanking.Sandbox.Infrastructure.EntityConfigurations;

internal sealed class DomesticStandingOrderConsentConfiguration : IEntityTypeConfiguration<DomesticStandingOrderConsent>
{
    public void Configure(EntityTypeBuilder<DomesticStandingOrderConsent> builder)
    {
        builder.ToTable("DomesticStandingOrderConsents");
        builder.Property(c => c.Id).HasMaxLength(128);
        builder.Property(c => c.ClientId).HasMaxLength(100);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(c => c.ApiVersion).HasConversion<string>().HasMaxLength(10);
        builder.Property(c => c.ReadRefundAccount).HasMaxLength(3);
        builder.Property(c => c.Frequency).HasMaxLength(35);
        builder.Property(c => c.Reference).HasMaxLength(35);
        builder.Property(c => c.Currency).HasMaxLength(3);
        builder.Property(c => c.CreditorName).HasMaxLength(350);
        builder.Property(c => c.CreditorSchemeName).HasMaxLength(40);
        builder.Property(c => c.CreditorIdentification).HasMaxLength(256);
        builder.Property(c => c.DebtorSchemeName).HasMaxLength(40);
        builder.Property(c => c.DebtorIdentification).HasMaxLength(256);
        builder.Property(c => c.CustomerId).HasMaxLength(40);
        builder.Property(c => c.DebtorAccountId).HasMaxLength(40);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Ignore(c => c.Kind);
        builder.HasIndex(c => new { c.TenantId, c.CustomerId });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DomesticStandingOrderConfiguration : IEntityTypeConfiguration<DomesticStandingOrder>
{
    public void Configure(EntityTypeBuilder<DomesticStandingOrder> builder)
    {
        builder.ToTable("DomesticStandingOrders");
        builder.Property(o => o.Id).HasMaxLength(40);
        builder.Property(o => o.ClientId).HasMaxLength(100);
        builder.Property(o => o.ConsentId).HasMaxLength(128);
        builder.Property(o => o.CustomerId).HasMaxLength(40);
        builder.Property(o => o.DebtorAccountId).HasMaxLength(40);
        builder.Property(o => o.CreditorAccountId).HasMaxLength(40);
        builder.Property(o => o.ApiVersion).HasConversion<string>().HasMaxLength(10);
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(o => o.Version).IsConcurrencyToken();
        // One consent, one standing order: a database guard as well as the consent's guarded consumption.
        builder.HasIndex(o => o.ConsentId).IsUnique();
        // The clock's question "when is this tenant's next instalment?" is one seek on this index.
        builder.HasIndex(o => new { o.TenantId, o.NextDueAt });
        builder.HasIndex(o => o.DebtorAccountId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(o => o.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
