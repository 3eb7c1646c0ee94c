using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace OpenBanking.ServiceDefaults.Data;

/// <summary>
/// Lets <c>dotnet ef</c> build a provider-specific context without starting the service. SQL Server needs no
/// reachable server to add migrations or to script them.
/// </summary>
/// <typeparam name="TContext">A provider-specific context with a constructor taking <c>DbContextOptions&lt;TContext&gt;</c>.</typeparam>
public abstract class DesignTimeDbContextFactory<TContext>(DatabaseProvider provider) : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    /// <inheritdoc />
    public TContext CreateDbContext(string[] args)
    {
        var connectionString = provider == DatabaseProvider.SqlServer
            ? "Server=localhost;Database=design-time;Integrated Security=true;TrustServerCertificate=true"
            : "Data Source=design-time.db";
        var options = new DbContextOptionsBuilder<TContext>()
            .UseServiceDatabase(new DatabaseSettings(provider, connectionString))
            .Options;
        return (TContext)Activator.CreateInstance(typeof(TContext), options)!;
    }
}
