using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenBanking.ServiceDefaults.Data;

/// <summary>
/// Applies the pending migrations of <typeparamref name="TContext"/>, then runs its seeders. It works in
/// <see cref="IHostedLifecycleService.StartingAsync"/>, before any hosted service (the web server included)
/// starts, so no request ever meets a database without its tables.
/// </summary>
public sealed partial class DatabaseInitializer<TContext>(
    IServiceScopeFactory scopeFactory,
    ILogger<DatabaseInitializer<TContext>> logger) : IHostedLifecycleService
    where TContext : DbContext
{
    /// <summary>The activity source of database start-up work, visible in traces.</summary>
    public static readonly ActivitySource ActivitySource = new("OpenBanking.Database");

    /// <inheritdoc />
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        using var activity = ActivitySource.StartActivity($"Initialize {typeof(TContext).Name}");
        var stopwatch = Stopwatch.StartNew();

        await using var scope = scopeFactory.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();

        var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            LogApplyingMigrations(logger, typeof(TContext).Name, pending.Count);
            await context.Database.MigrateAsync(cancellationToken);
        }

        if (context.Database.IsSqlite())
        {
            // WAL lets readers work while a writer commits; it is a property of the file, so set it once here.
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        foreach (var seeder in scope.ServiceProvider.GetServices<IDatabaseSeeder<TContext>>())
        {
            await seeder.SeedAsync(context, cancellationToken);
            context.ChangeTracker.Clear();
        }

        LogInitialized(logger, typeof(TContext).Name, context.Database.ProviderName, stopwatch.ElapsedMilliseconds);
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} pending migration(s) to {Context}")]
    private static partial void LogApplyingMigrations(ILogger logger, string context, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Context} ready on {Provider} in {ElapsedMs} ms")]
    private static partial void LogInitialized(ILogger logger, string context, string? provider, long elapsedMs);
}
