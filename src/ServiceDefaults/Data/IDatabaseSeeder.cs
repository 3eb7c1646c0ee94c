using Microsoft.EntityFrameworkCore;

namespace OpenBanking.ServiceDefaults.Data;

/// <summary>
/// Puts a service's reference data into its database after the migrations ran. Runs at every start, so it must
/// be idempotent: look before inserting, never duplicate, never overwrite what users changed.
/// </summary>
public interface IDatabaseSeeder<in TContext> where TContext : DbContext
{
    /// <summary>Seeds what is missing.</summary>
    Task SeedAsync(TContext context, CancellationToken cancellationToken);
}
