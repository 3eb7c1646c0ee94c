using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Gateway.CallLog;

namespace OpenBanking.Gateway.Infrastructure.EntityConfigurations;

internal sealed class ApiCallConfiguration : IEntityTypeConfiguration<ApiCall>
{
    public void Configure(EntityTypeBuilder<ApiCall> builder)
    {
        builder.ToTable("ApiCalls");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.ClientId).HasMaxLength(100);
        builder.Property(c => c.OrganisationId).HasMaxLength(64);
        builder.Property(c => c.Method).HasMaxLength(10);
        builder.Property(c => c.RouteTemplate).HasMaxLength(200);
        builder.Property(c => c.Path).HasMaxLength(500);
        builder.Property(c => c.InteractionId).HasMaxLength(100);
        builder.Property(c => c.ErrorCode).HasMaxLength(100);
        builder.Property(c => c.SignatureKid).HasMaxLength(100);
        builder.Property(c => c.DpopJkt).HasMaxLength(64);
        builder.Property(c => c.RefusalRule).HasMaxLength(100);
        builder.Property(c => c.ConsentId).HasMaxLength(100);
        builder.Property(c => c.IdempotencyKey).HasMaxLength(100);
        builder.Property(c => c.RefusalReason).HasMaxLength(500);

        // The Portal reads one organisation's (or app's) recent calls; retention deletes by time.
        builder.HasIndex(c => new { c.OrganisationId, c.Timestamp });
        builder.HasIndex(c => new { c.ClientId, c.Timestamp });
        builder.HasIndex(c => c.Timestamp);
        // The consent inspector lists the calls made with one consent.
        builder.HasIndex(c => new { c.OrganisationId, c.ConsentId, c.Timestamp });
    }
}
