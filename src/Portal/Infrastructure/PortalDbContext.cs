using Microsoft.EntityFrameworkCore;
using OpenBanking.Portal.Domain;
using OpenBanking.ServiceDefaults.Data;

namespace OpenBanking.Portal.Infrastructure;

/// <summary>The Portal's database: organisations, memberships, app metadata, approvals, audit log.</summary>
public abstract class PortalDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
}

/// <summary>The SQLite flavour; its migrations are under Migrations/Sqlite.</summary>
public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options);

/// <summary>The SQL Server flavour; its migrations are under Migrations/SqlServer.</summary>
public sealed class SqlServerPortalDbContext(DbContextOptions<SqlServerPortalDbContext> options) : PortalDbContext(options);

internal sealed class SqlitePortalDesignTimeFactory() : DesignTimeDbContextFactory<SqlitePortalDbContext>(DatabaseProvider.Sqlite);

internal sealed class SqlServerPortalDesignTimeFactory() : DesignTimeDbContextFactory<SqlServerPortalDbContext>(DatabaseProvider.SqlServer);
