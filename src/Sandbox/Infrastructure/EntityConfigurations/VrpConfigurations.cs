using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.Vrp;

namespace OpenBanking.Sandbox.Infrastructure.EntityConfigurations;

internal sealed class DomesticVrpConsentConfiguration : IEntityTypeConfiguration<DomesticVrpConsent>
{
    public void Configure(EntityTypeBuilder<DomesticVrpConsent> builder)
    {
        builder.ToTable("DomesticVrpConsents");
        builder.Property(c => c.Id).HasMaxLength(128);
        builder.Property(c => c.ClientId).HasMaxLength(100);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(c => c.ApiVersion).HasConversion<string>().HasMaxLength(10);
        builder.Property(c => c.ReadRefundAccount).HasMaxLength(5);
        builder.Property(c => c.Currency).HasMaxLength(3);
        builder.Property(c => c.CreditorSchemeName).HasMaxLength(40);
        builder.Property(c => c.CreditorIdentification).HasMaxLength(256);
        builder.Property(c => c.CreditorName).HasMaxLength(350);
        builder.Property(c => c.DebtorSchemeName).HasMaxLength(40);
        builder.Property(c => c.DebtorIdentification).HasMaxLength(256);
        builder.Property(c => c.CustomerId).HasMaxLength(40);
        builder.Property(c => c.DebtorAccountId).HasMaxLength(40);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Ignore(c => c.Kind);
        builder.HasIndex(c => new { c.TenantId, c.ClientId });
        builder.HasIndex(c => new { c.TenantId, c.CustomerId });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DomesticVrpInstructionConfiguration : IEntityTypeConfiguration<DomesticVrpInstruction>
{
    public void Configure(EntityTypeBuilder<DomesticVrpInstruction> builder)
    {
        builder.ToTable("DomesticVrpInstructions");
        builder.HasKey(i => i.PaymentId);
        builder.Property(i => i.PaymentId).HasMaxLength(40);
        builder.Property(i => i.ConsentId).HasMaxLength(128);
        builder.Property(i => i.PsuAuthenticationMethod).HasMaxLength(40);
        builder.Property(i => i.PsuInteractionType).HasMaxLength(20);
        builder.Property(i => i.VrpType).HasMaxLength(40);
        builder.Property(i => i.Reference).HasMaxLength(140);
        builder.Property(i => i.LocalInstrument).HasMaxLength(50);
        builder.HasIndex(i => i.TenantId);
        builder.HasOne<DomesticPayment>().WithOne().HasForeignKey<DomesticVrpInstruction>(i => i.PaymentId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// A VRP payment sums its consent's payments of the current periods: (ConsentId, CreationDateTime) finds them without
/// a scan (the unique ConsentId index is filtered to domestic payments).
/// </summary>
internal sealed class VrpPaymentIndexConfiguration : IEntityTypeConfiguration<DomesticPayment>
{
    public void Configure(EntityTypeBuilder<DomesticPayment> builder)
        => builder.HasIndex(p => new { p.ConsentId, p.CreationDateTime }).HasDatabaseName("IX_DomesticPayments_ConsentId_CreationDateTime");
}
