using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Portal.Domain;

namespace OpenBanking.Portal.Infrastructure.EntityConfigurations;

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> builder)
    {
        builder.ToTable("Organisations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.LegalName).HasMaxLength(200);
        builder.Property(o => o.ApprovedName).HasMaxLength(200);
        builder.Ignore(o => o.UnderReReview);
        builder.Property(o => o.RegistrationNumber).HasMaxLength(50);
        builder.Property(o => o.Country).HasMaxLength(2);
        builder.Property(o => o.Website).HasMaxLength(300);
        builder.Property(o => o.ContactName).HasMaxLength(200);
        builder.Property(o => o.ContactEmail).HasMaxLength(256);
        builder.Property(o => o.Description).HasMaxLength(2000);
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.StatusReason).HasMaxLength(Organisation.MaxStatusReasonLength);
        builder.HasIndex(o => o.Status);
    }
}
