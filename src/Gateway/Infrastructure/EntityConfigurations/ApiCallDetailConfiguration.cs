using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Gateway.CallLog;

namespace OpenBanking.Gateway.Infrastructure.EntityConfigurations;

internal sealed class ApiCallDetailConfiguration : IEntityTypeConfiguration<ApiCallDetail>
{
    public void Configure(EntityTypeBuilder<ApiCallDetail> builder)
    {
        builder.ToTable("ApiCallDetails");
        builder.HasKey(d => d.CallId);
        // Deleting a call deletes its detail; retention usually deletes details first (they are kept for less time).
        builder.HasOne<ApiCall>().WithOne().HasForeignKey<ApiCallDetail>(d => d.CallId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(d => d.Query).HasMaxLength(2000);
        builder.Property(d => d.RequestBodyNote).HasMaxLength(200);
        builder.Property(d => d.ResponseBodyNote).HasMaxLength(200);
        builder.Property(d => d.ErrorCodes).HasMaxLength(500);
        builder.Property(d => d.ErrorMessage).HasMaxLength(1000);
        builder.HasIndex(d => d.Timestamp);
    }
}
