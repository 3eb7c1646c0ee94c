using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Identity.Clients;

namespace OpenBanking.Identity.Infrastructure.EntityConfigurations;

internal sealed class ClientAuditEntryConfiguration : IEntityTypeConfiguration<ClientAuditEntry>
{
    public void Configure(EntityTypeBuilder<ClientAuditEntry> builder)
    {
        builder.ToTable("ClientAudit");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Actor).HasMaxLength(100);
        builder.Property(e => e.ActingUser).HasMaxLength(ClientAudit.MaxActingUserLength);
        builder.Property(e => e.ClientId).HasMaxLength(100);
        builder.Property(e => e.OrganisationId).HasMaxLength(100);
        builder.Property(e => e.Action).HasMaxLength(32);
        builder.HasIndex(e => e.ClientId);
        builder.HasIndex(e => e.OrganisationId);
    }
}
