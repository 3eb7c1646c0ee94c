using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Portal.Domain;
using OpenBanking.ServiceDefaults.Data;

namespace OpenBanking.Portal.Infrastructure;

/// <summary>The Portal's database: organisations, memberships, app metadata, approvals, notifications, audit log.</summary>
public abstract class PortalDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core Data Protection keys, encrypted (ServiceDefaults' <c>AddDataProtectionKeys</c>).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<Membership> Memberships => Set<Membership>();

    public DbSet<PartnerApp> Apps => Set<PartnerApp>();

    public DbSet<ProductionAccessRequest> ProductionAccessRequests => Set<ProductionAccessRequest>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardAuditLog();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAuditLog();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private bool _pseudonymising;

    /// <summary>
    /// The one exception to the append-only rule, for a person's erasure (GDPR article 17): in this unit of work an entry's
    /// actor and snapshots may be rewritten to name a pseudonym. Nothing else of an entry may change, and none is deleted.
    /// </summary>
    internal void AllowAuditPseudonymisation() => _pseudonymising = true;

    private static readonly HashSet<string> PseudonymisableProperties = [nameof(AuditEntry.Actor), nameof(AuditEntry.Before), nameof(AuditEntry.After)];

    /// <summary>The audit log is append-only: this context never updates or deletes an entry (except a pseudonymisation).</summary>
    private void GuardAuditLog()
    {
        foreach (var entry in ChangeTracker.Entries<AuditEntry>())
        {
            var allowed = entry.State == EntityState.Modified && _pseudonymising
                && entry.Properties.Where(p => p.IsModified).All(p => PseudonymisableProperties.Contains(p.Metadata.Name));
            if (entry.State is EntityState.Modified or EntityState.Deleted && !allowed)
            {
                throw new InvalidOperationException("Audit entries are append-only.");
            }
        }
    }
}

/// <summary>The SQLite flavour; its migrations are under Migrations/Sqlite.</summary>
public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options);

/// <summary>The SQL Server flavour; its migrations are under Migrations/SqlServer.</summary>
public sealed class SqlServerPortalDbContext(DbContextOptions<SqlServerPortalDbContext> options) : PortalDbContext(options);

internal sealed class SqlitePortalDesignTimeFactory() : DesignTimeDbContextFactory<SqlitePortalDbContext>(DatabaseProvider.Sqlite);

internal sealed class SqlServerPortalDesignTimeFactory() : DesignTimeDbContextFactory<SqlServerPortalDbContext>(DatabaseProvider.SqlServer);
