using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace OpenBanking.ServiceDefaults.Data;

/// <summary>Registers a service's own database with the provider its configuration chooses.</summary>
public static class ServiceDatabaseExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TContext"/> on SQLite or SQL Server. Each provider has its own migrations,
    /// kept with a context type of its own (<typeparamref name="TSqlite"/>, <typeparamref name="TSqlServer"/>),
    /// so both sets live in the service's assembly. At start-up the migrations are applied and then every
    /// registered <see cref="IDatabaseSeeder{TContext}"/> runs; <c>/health</c> includes the database.
    /// </summary>
    public static DatabaseSettings AddServiceDatabase<TContext, TSqlite, TSqlServer>(
        this IHostApplicationBuilder builder, string connectionName, bool pooled = false)
        where TContext : DbContext
        where TSqlite : TContext
        where TSqlServer : TContext
    {
        var settings = DatabaseSettings.Resolve(builder.Configuration, connectionName, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(settings);

        // A pooled context reuses its instance and its options across requests: for hot paths, where building the
        // options and a context's internal services per request shows in the profile. It needs a context whose
        // constructor takes only its options and interceptors that are singletons.
        if (settings.Provider == DatabaseProvider.SqlServer)
        {
            if (pooled)
            {
                builder.Services.AddDbContextPool<TContext, TSqlServer>(options => options.UseServiceDatabase(settings));
            }
            else
            {
                builder.Services.AddDbContext<TContext, TSqlServer>(options => options.UseServiceDatabase(settings));
            }
        }
        else if (pooled)
        {
            builder.Services.AddDbContextPool<TContext, TSqlite>(options => options.UseServiceDatabase(settings));
        }
        else
        {
            builder.Services.AddDbContext<TContext, TSqlite>(options => options.UseServiceDatabase(settings));
        }

        builder.Services.AddHostedService<DatabaseInitializer<TContext>>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>($"{connectionName}", tags: ["ready"]);
        return settings;
    }

    /// <summary>
    /// As <see cref="AddServiceDatabase{TContext, TSqlite, TSqlServer}"/>, but registered through
    /// <c>AddDbContextFactory</c> so that an <see cref="IDbContextFactory{TContext}"/> hands out short-lived contexts:
    /// the pattern for Blazor Server, whose circuit-scoped services outlive any one unit of work. The context stays
    /// resolvable from a scope too (migrations at start-up, the health check, Data Protection's key store).
    /// </summary>
    public static DatabaseSettings AddServiceDatabaseFactory<TContext, TSqlite, TSqlServer>(
        this IHostApplicationBuilder builder, string connectionName)
        where TContext : DbContext
        where TSqlite : TContext
        where TSqlServer : TContext
    {
        var settings = DatabaseSettings.Resolve(builder.Configuration, connectionName, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(settings);

        if (settings.Provider == DatabaseProvider.SqlServer)
        {
            AddContextFactory<TContext, TSqlServer>(builder.Services, settings);
        }
        else
        {
            AddContextFactory<TContext, TSqlite>(builder.Services, settings);
        }

        builder.Services.AddHostedService<DatabaseInitializer<TContext>>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>($"{connectionName}", tags: ["ready"]);
        return settings;
    }

    private static void AddContextFactory<TContext, TProvider>(IServiceCollection services, DatabaseSettings settings)
        where TContext : DbContext
        where TProvider : TContext
    {
        // Also registers TProvider itself as scoped, created by the factory.
        services.AddDbContextFactory<TProvider>(options => options.UseServiceDatabase(settings));
        services.AddSingleton<IDbContextFactory<TContext>>(sp => new ProviderContextFactory<TContext, TProvider>(sp.GetRequiredService<IDbContextFactory<TProvider>>()));
        services.AddScoped<TContext>(sp => sp.GetRequiredService<TProvider>());
    }

    /// <summary>Hands out the provider's context as the service's base context type.</summary>
    private sealed class ProviderContextFactory<TContext, TProvider>(IDbContextFactory<TProvider> inner) : IDbContextFactory<TContext>
        where TContext : DbContext
        where TProvider : TContext
    {
        public TContext CreateDbContext() => inner.CreateDbContext();

        public async Task<TContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
            => await inner.CreateDbContextAsync(cancellationToken);
    }

    /// <summary>Configures a context for the given settings; used at run time and by the design-time factories.</summary>
    public static DbContextOptionsBuilder UseServiceDatabase(this DbContextOptionsBuilder options, DatabaseSettings settings)
    {
        if (settings.Provider == DatabaseProvider.SqlServer)
        {
            options.UseSqlServer(settings.ConnectionString, sql => sql.EnableRetryOnFailure());
        }
        else
        {
            EnsureSqliteDirectory(settings.ConnectionString);
            options.UseSqlite(settings.ConnectionString);
        }

        return options;
    }

    private static void EnsureSqliteDirectory(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.Ordinal))
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
