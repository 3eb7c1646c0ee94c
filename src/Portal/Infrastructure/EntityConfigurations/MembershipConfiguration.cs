using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Portal.Domain;

namespace OpenBanking.Portal.Infrastructure.EntityConfigurations;

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> builder)
    {
        builder.ToTable("Memberships");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.UserId).HasMaxLength(100);
        builder.Property(m => m.Email).HasMaxLength(256);
        builder.Property(m => m.DisplayName).HasMaxLength(200);
        builder.Property(m => m.InvitedBy).HasMaxLength(256);
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(20);
        builder.Ignore(m => m.IsInvitation);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        // One organisation per person; one membership or invitation per address and organisation.
        builder.HasIndex(m => m.UserId).IsUnique().HasFilter("[UserId] IS NOT NULL");
        builder.HasIndex(m => new { m.OrganisationId, m.Email }).IsUnique();
        builder.HasIndex(m => m.Email);
    }
}
