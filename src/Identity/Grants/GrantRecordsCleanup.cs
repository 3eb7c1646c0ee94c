using Microsoft.EntityFrameworkCore;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Grants;

/// <summary>
/// Deletes journey steps and token activity older than <see cref="Retention"/> once an hour: as long as a consent's
/// refresh tokens can live (90 days), so the inspector can still explain any consent whose tokens may be in use, and
/// the readiness report's 30 days are always there. Every instance runs this; the deletes are idempotent.
/// </summary>
public sealed partial class GrantRecordsCleanup(IServiceScopeFactory scopes, TimeProvider time, ILogger<GrantRecordsCleanup> logger) : BackgroundService
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await DeleteOldAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException)
            {
                // The next run catches up; the rows only cost space meanwhile.
                LogCleanupFailed(logger, exception);
            }
        }
    }

    /// <summary>Deletes what is older than the retention; the number of rows deleted.</summary>
    public async Task<int> DeleteOldAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var cutoff = time.GetUtcNow().UtcDateTime - Retention;
        return await db.ConsentJourneySteps.Where(s => s.At < cutoff).ExecuteDeleteAsync(ct)
            + await db.TokenActivity.Where(e => e.At < cutoff).ExecuteDeleteAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting old consent-journey steps and token activity failed; retrying in an hour.")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception);
}
