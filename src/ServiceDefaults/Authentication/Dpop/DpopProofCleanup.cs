using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenBanking.ServiceDefaults.Authentication.Dpop;

/// <summary>
/// Deletes expired rows of the replay cache every minute. A proof is only kept for its acceptance window (about 70 s),
/// so the table holds roughly a minute of traffic; every instance runs this, and the deletes are idempotent.
/// </summary>
public sealed partial class DpopProofCleanup<TContext>(IServiceScopeFactory scopes, TimeProvider time, ILogger<DpopProofCleanup<TContext>> logger)
    : BackgroundService
    where TContext : DbContext
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await DeleteExpiredAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException)
            {
                // Next minute's run catches up; the rows only cost space meanwhile.
                LogCleanupFailed(logger, exception);
            }
        }
    }

    /// <summary>Deletes the rows whose proofs can no longer be accepted; the number deleted.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = time.GetUtcNow().UtcDateTime;
        return await db.Set<DpopProof>().Where(proof => proof.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting expired DPoP proofs failed; retrying in a minute.")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception);
}
