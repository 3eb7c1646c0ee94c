using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Infrastructure.EntityConfigurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("OutboxMessages");
        builder.Property(m => m.ClientId).HasMaxLength(100);
        builder.Property(m => m.Resource).HasConversion<string>().HasMaxLength(40);
        builder.Property(m => m.ResourceId).HasMaxLength(128);
        builder.Property(m => m.Change).HasConversion<string>().HasMaxLength(32);
        builder.Property(m => m.Status).HasMaxLength(40);
        // Deliveries read in order of occurrence; Id breaks ties within one instant.
        builder.HasIndex(m => new { m.OccurredAt, m.Id });
        builder.HasIndex(m => new { m.TenantId, m.ResourceId });
        // The dispatcher's query: rows not yet turned into notifications, in Id order (a small, shrinking index).
        builder.HasIndex(m => m.Id).HasFilter("[DispatchedAt] IS NULL").HasDatabaseName("IX_OutboxMessages_Undispatched");
        builder.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
