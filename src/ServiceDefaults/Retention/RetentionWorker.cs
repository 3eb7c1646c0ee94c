using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenBanking.ServiceDefaults.Retention;

/// <summary>
/// The shape every service's retention takes (issue 22: each store with personal data has a stated retention that the
/// service enforces), after the Gateway's call log: a run shortly after start-up, then every <see cref="RetentionSettings.Interval"/>;
/// deletes in batches (short transactions, no long lock on a table the service writes); after a failure a retry after
/// <see cref="RetentionSettings.RetryDelay"/>, doubled per further failure up to the interval; never a crash of the host —
/// retention is housekeeping, rows past their time only cost space until the next run. Logs counts only, never rows.
/// </summary>
public abstract partial class RetentionWorker(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>The clock retention periods are measured on (tests pass a controlled one).</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>The service's retention settings (validated at start-up).</summary>
    protected abstract RetentionSettings Settings { get; }

    /// <summary>Deletes everything past its retention once; how many of each store ("notifications" → 3). Throws on a database failure.</summary>
    public abstract Task<IReadOnlyDictionary<string, int>> RunOnceAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        try
        {
            // Not at once: migrations and the seeder run at start-up, and tests drive RunOnceAsync themselves.
            await Task.Delay(Settings.StartupDelay, Time, stoppingToken);
            while (true)
            {
                failures = await TryRunAsync(stoppingToken) ? 0 : failures + 1;
                var wait = failures == 0
                    ? Settings.Interval
                    : TimeSpan.FromTicks(Math.Min(Settings.Interval.Ticks, Settings.RetryDelay.Ticks << Math.Min(failures - 1, 20)));
                await Task.Delay(wait, Time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TryRunAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var (store, count) in await RunOnceAsync(stoppingToken))
            {
                if (count > 0)
                {
                    LogDeleted(logger, count, store);
                }
            }

            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogFailed(logger, exception);
            return false;
        }
    }

    /// <summary>Runs a delete of at most <paramref name="batchSize"/> rows until one deletes fewer; the total deleted.</summary>
    protected static async Task<int> DeleteInBatchesAsync(int batchSize, Func<Task<int>> deleteBatch)
    {
        int deleted, total = 0;
        do
        {
            deleted = await deleteBatch();
            total += deleted;
        }
        while (deleted >= batchSize && deleted > 0);

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Count} {Store} past their retention period")]
    private static partial void LogDeleted(ILogger logger, int count, string store);

    [LoggerMessage(Level = LogLevel.Error, Message = "A retention run failed; what is left is deleted by the next run")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

/// <summary>What every service's retention options share: when it runs and how big each delete is.</summary>
public abstract class RetentionSettings
{
    /// <summary>How long after start-up the first run waits.</summary>
    public TimeSpan StartupDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often it runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after a failed run it is tried again; doubled per further failure, at most <see cref="Interval"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>At most this many rows per DELETE statement.</summary>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>Whether the shared settings make sense (the services add their own periods).</summary>
    public bool SchedulingIsValid => StartupDelay >= TimeSpan.Zero && Interval > TimeSpan.Zero && RetryDelay > TimeSpan.Zero && BatchSize > 0;
}
