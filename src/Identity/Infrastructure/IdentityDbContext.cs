using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Identity.Clients;
using OpenBanking.Identity.Grants;
using OpenBanking.Identity.Infrastructure.EntityConfigurations;
using OpenBanking.ServiceDefaults.Authentication.Dpop;
using OpenBanking.ServiceDefaults.Data;

namespace OpenBanking.Identity.Infrastructure;

/// <summary>Identity's database: ASP.NET Core Identity users and roles, OpenIddict applications, authorizations, scopes, tokens.</summary>
public abstract class IdentityDbContext(DbContextOptions options)
    : Microsoft.AspNetCore.Identity.EntityFrameworkCore.IdentityDbContext<ApplicationUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core Data Protection keys, encrypted (ServiceDefaults' <c>AddDataProtectionKeys</c>).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<ClientAuditEntry> ClientAudit => Set<ClientAuditEntry>();

    /// <summary>DPoP proofs seen at the token endpoint (replay cache shared by every Identity instance).</summary>
    public DbSet<DpopProof> DpopProofs => Set<DpopProof>();

    /// <summary>The steps of customers' consent journeys (the consent inspector's "which pages, when").</summary>
    public DbSet<ConsentJourneyStep> ConsentJourneySteps => Set<ConsentJourneyStep>();

    /// <summary>Apps' code exchanges, refresh grants and revocations.</summary>
    public DbSet<TokenActivityEntry> TokenActivity => Set<TokenActivityEntry>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();
        builder.Entity<ApplicationUser>().Property(u => u.DisplayName).HasMaxLength(200);
        builder.ApplyConfiguration(new ClientAuditEntryConfiguration());
        builder.ApplyConfiguration(new ConsentJourneyStepConfiguration());
        builder.ApplyConfiguration(new TokenActivityEntryConfiguration());
        builder.AddDpopProofs();
    }
}

/// <summary>The SQLite flavour; its migrations are under Migrations/Sqlite.</summary>
public sealed class SqliteIdentityDbContext(DbContextOptions<SqliteIdentityDbContext> options) : IdentityDbContext(options);

/// <summary>The SQL Server flavour; its migrations are under Migrations/SqlServer.</summary>
public sealed class SqlServerIdentityDbContext(DbContextOptions<SqlServerIdentityDbContext> options) : IdentityDbContext(options);

internal sealed class SqliteIdentityDesignTimeFactory() : DesignTimeDbContextFactory<SqliteIdentityDbContext>(DatabaseProvider.Sqlite);

internal sealed class SqlServerIdentityDesignTimeFactory() : DesignTimeDbContextFactory<SqlServerIdentityDbContext>(DatabaseProvider.SqlServer);
