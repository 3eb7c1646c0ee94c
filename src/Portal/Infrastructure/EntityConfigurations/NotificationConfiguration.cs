using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Portal.Domain;

namespace OpenBanking.Portal.Infrastructure.EntityConfigurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("Notifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Message).HasMaxLength(500);
        builder.Property(n => n.Link).HasMaxLength(300);
        builder.Property(n => n.Severity).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(n => new { n.OrganisationId, n.CreatedAt });
    }
}
