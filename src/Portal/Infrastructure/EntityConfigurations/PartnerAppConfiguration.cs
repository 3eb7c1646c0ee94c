using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Portal.Domain;

namespace OpenBanking.Portal.Infrastructure.EntityConfigurations;

internal sealed class PartnerAppConfiguration : IEntityTypeConfiguration<PartnerApp>
{
    public void Configure(EntityTypeBuilder<PartnerApp> builder)
    {
        builder.ToTable("PartnerApps");
        builder.HasKey(a => a.ClientId);
        builder.Property(a => a.ClientId).HasMaxLength(100);
        builder.Property(a => a.Name).HasMaxLength(100);
        builder.Property(a => a.Description).HasMaxLength(1000);
        builder.Property(a => a.AuthMethod).HasMaxLength(40);
        builder.Property(a => a.CreatedBy).HasMaxLength(256);
        builder.Property(a => a.SuspendedBy).HasConversion<string>().HasMaxLength(10);
        builder.Ignore(a => a.SuspendedByBank);
        builder.Property(a => a.PaymentAccess).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.PaymentAccessReason).HasMaxLength(1000);
        builder.Property(a => a.ProductionAccess).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.ProductionAccessReason).HasMaxLength(1000);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(a => a.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => a.OrganisationId);
        builder.HasIndex(a => a.PaymentAccess);
        builder.HasIndex(a => a.ProductionAccess);
    }
}
