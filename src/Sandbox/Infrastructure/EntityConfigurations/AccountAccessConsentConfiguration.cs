using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Infrastructure.EntityConfigurations;

internal sealed class AccountAccessConsentConfiguration : IEntityTypeConfiguration<AccountAccessConsent>
{
    public void Configure(EntityTypeBuilder<AccountAccessConsent> builder)
    {
        builder.ToTable("AccountAccessConsents");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(128);
        builder.Property(c => c.ClientId).HasMaxLength(100);
        builder.Property(c => c.CustomerId).HasMaxLength(64);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(c => c.ApiVersion).HasConversion<string>().HasMaxLength(10);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.TenantId, c.ClientId });
        builder.HasIndex(c => new { c.TenantId, c.CustomerId });
    }
}
