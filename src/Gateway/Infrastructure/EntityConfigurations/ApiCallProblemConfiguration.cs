using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Gateway.CallLog;
using OpenBanking.Gateway.Lint;

namespace OpenBanking.Gateway.Infrastructure.EntityConfigurations;

internal sealed class ApiCallProblemConfiguration : IEntityTypeConfiguration<ApiCallProblem>
{
    public void Configure(EntityTypeBuilder<ApiCallProblem> builder)
    {
        builder.ToTable("ApiCallProblems");
        builder.HasKey(p => p.Id);
        // Retention deletes problems before their calls; the cascade is a backstop.
        builder.HasOne<ApiCall>().WithMany().HasForeignKey(p => p.CallId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(p => p.OrganisationId).HasMaxLength(64);
        builder.Property(p => p.ClientId).HasMaxLength(100);
        builder.Property(p => p.Direction).HasMaxLength(10);
        builder.Property(p => p.Severity).HasMaxLength(10);
        builder.Property(p => p.Rule).HasMaxLength(50);
        builder.Property(p => p.Path).HasMaxLength(300);
        builder.Property(p => p.Message).HasMaxLength(1000);
        builder.Property(p => p.ApiVersion).HasMaxLength(10);
        builder.Property(p => p.Method).HasMaxLength(10);
        builder.Property(p => p.RouteTemplate).HasMaxLength(200);

        // The per-app summary reads one app's recent problems; the call detail reads one call's.
        builder.HasIndex(p => new { p.ClientId, p.Timestamp });
        builder.HasIndex(p => p.CallId);
        builder.HasIndex(p => p.Timestamp);
    }
}
