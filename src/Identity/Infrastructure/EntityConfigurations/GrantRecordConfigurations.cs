using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Identity.Grants;

namespace OpenBanking.Identity.Infrastructure.EntityConfigurations;

internal sealed class ConsentJourneyStepConfiguration : IEntityTypeConfiguration<ConsentJourneyStep>
{
    public void Configure(EntityTypeBuilder<ConsentJourneyStep> builder)
    {
        builder.ToTable("ConsentJourneySteps");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.ConsentId).HasMaxLength(128);
        builder.Property(e => e.ClientId).HasMaxLength(100);
        builder.Property(e => e.Step).HasMaxLength(32);
        builder.Property(e => e.Page).HasMaxLength(100);
        builder.Property(e => e.Detail).HasMaxLength(GrantRecords.MaxDetailLength);
        builder.Property(e => e.RequestKey).HasMaxLength(32);
        builder.HasIndex(e => new { e.ConsentId, e.ClientId });
        builder.HasIndex(e => e.RequestKey);
    }
}

internal sealed class TokenActivityEntryConfiguration : IEntityTypeConfiguration<TokenActivityEntry>
{
    public void Configure(EntityTypeBuilder<TokenActivityEntry> builder)
    {
        builder.ToTable("TokenActivity");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.ClientId).HasMaxLength(100);
        builder.Property(e => e.Kind).HasMaxLength(32);
        builder.Property(e => e.ConsentId).HasMaxLength(128);
        builder.HasIndex(e => new { e.ClientId, e.At });
        builder.HasIndex(e => e.ConsentId);
    }
}
