using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Portal.Domain;

namespace OpenBanking.Portal.Infrastructure.EntityConfigurations;

internal sealed class ProductionAccessRequestConfiguration : IEntityTypeConfiguration<ProductionAccessRequest>
{
    public void Configure(EntityTypeBuilder<ProductionAccessRequest> builder)
    {
        builder.ToTable("ProductionAccessRequests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.ClientId).HasMaxLength(100);
        builder.Property(r => r.RequestedBy).HasMaxLength(256);
        builder.Property(r => r.Note).HasMaxLength(2000);
        builder.Property(r => r.Verdict).HasMaxLength(1000);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.DecidedBy).HasMaxLength(256);
        builder.Property(r => r.DecisionReason).HasMaxLength(1000);

        // A request outlives nothing: deleting the app deletes its requests (the audit log keeps the decisions).
        builder.HasOne<PartnerApp>().WithMany().HasForeignKey(r => r.ClientId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.ClientId, r.RequestedAt });
        builder.HasIndex(r => r.Status);
        builder.HasIndex(r => r.OrganisationId);
    }
}
