using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Customers.Custom;
using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Infrastructure.EntityConfigurations;

internal sealed class ConsentStatusChangeConfiguration : IEntityTypeConfiguration<ConsentStatusChange>
{
    public void Configure(EntityTypeBuilder<ConsentStatusChange> builder)
    {
        builder.ToTable("ConsentStatusChanges");
        builder.Property(c => c.ConsentId).HasMaxLength(128);
        builder.Property(c => c.ClientId).HasMaxLength(100);
        builder.Property(c => c.Status).HasMaxLength(40);
        builder.Property(c => c.Actor).HasMaxLength(16);
        builder.Property(c => c.Detail).HasMaxLength(500);
        // The inspector reads one consent's changes in order.
        builder.HasIndex(c => new { c.TenantId, c.ConsentId, c.Id });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CustomCustomerDefinitionConfiguration : IEntityTypeConfiguration<CustomCustomerDefinition>
{
    public void Configure(EntityTypeBuilder<CustomCustomerDefinition> builder)
    {
        builder.ToTable("CustomCustomerDefinitions");
        builder.Property(d => d.Username).HasMaxLength(64);
        builder.Property(d => d.CustomerId).HasMaxLength(40);
        builder.Property(d => d.CreatedByClientId).HasMaxLength(100);
        builder.HasIndex(d => new { d.TenantId, d.Username }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
