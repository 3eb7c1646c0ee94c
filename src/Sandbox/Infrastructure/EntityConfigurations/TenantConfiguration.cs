using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Infrastructure.EntityConfigurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.ToTable("Tenants");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.OrganisationId).HasMaxLength(64);
        builder.HasIndex(t => t.OrganisationId).IsUnique();
        // Ticks: SQL Server's time type holds less than a day, and a test clock moves years ahead.
        builder.Property(t => t.ClockOffset).HasConversion<long>();
    }
}
