using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Gateway.CallLog;
using OpenBanking.ServiceDefaults.Authentication.Dpop;
using OpenBanking.ServiceDefaults.Data;

namespace OpenBanking.Gateway.Infrastructure;

/// <summary>The gateway's database: the API call log, each call's detail and spec-lint problems, and the DPoP replay cache.</summary>
public abstract class GatewayDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core Data Protection keys, encrypted (ServiceDefaults' <c>AddDataProtectionKeys</c>).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<ApiCall> ApiCalls => Set<ApiCall>();

    public DbSet<ApiCallDetail> ApiCallDetails => Set<ApiCallDetail>();

    /// <summary>What spec lint found wrong with each linted call.</summary>
    public DbSet<Lint.ApiCallProblem> ApiCallProblems => Set<Lint.ApiCallProblem>();

    /// <summary>DPoP proofs seen (replay cache shared by every gateway instance).</summary>
    public DbSet<DpopProof> DpopProofs => Set<DpopProof>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(GatewayDbContext).Assembly).AddDpopProofs();
}

/// <summary>The SQLite flavour; its migrations are under Migrations/Sqlite.</summary>
public sealed class SqliteGatewayDbContext(DbContextOptions<SqliteGatewayDbContext> options) : GatewayDbContext(options);

/// <summary>The SQL Server flavour; its migrations are under Migrations/SqlServer.</summary>
public sealed class SqlServerGatewayDbContext(DbContextOptions<SqlServerGatewayDbContext> options) : GatewayDbContext(options);

internal sealed class SqliteGatewayDesignTimeFactory() : DesignTimeDbContextFactory<SqliteGatewayDbContext>(DatabaseProvider.Sqlite);

internal sealed class SqlServerGatewayDesignTimeFactory() : DesignTimeDbContextFactory<SqlServerGatewayDbContext>(DatabaseProvider.SqlServer);
