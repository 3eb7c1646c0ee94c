using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Sandbox.Fraud;

namespace OpenBanking.Sandbox.Infrastructure.EntityConfigurations;

public sealed class PaymentScreeningConfiguration : IEntityTypeConfiguration<PaymentScreening>
{
    public void Configure(EntityTypeBuilder<PaymentScreening> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.PaymentId).HasMaxLength(64);
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(s => s.ClientId).HasMaxLength(200);
        builder.Property(s => s.CustomerId).HasMaxLength(64);
        builder.Property(s => s.Currency).HasMaxLength(3);
        builder.Property(s => s.ModelVersion).HasMaxLength(64);
        builder.Property(s => s.Decision).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Reasons).HasMaxLength(1024);
        builder.Property(s => s.ReviewedBy).HasMaxLength(200);
        builder.Property(s => s.ReviewNote).HasMaxLength(500);
        builder.HasIndex(s => s.PaymentId).IsUnique();
        builder.HasIndex(s => new { s.TenantId, s.Id });
        builder.HasIndex(s => new { s.Decision, s.Id });
        builder.HasIndex(s => s.RecordedAt);
    }
}
