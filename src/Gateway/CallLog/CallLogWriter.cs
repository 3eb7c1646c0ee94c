using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Gateway.Infrastructure;

namespace OpenBanking.Gateway.CallLog;

/// <summary>
/// Writes queued call records to the gateway's database in batches (whatever has arrived, up to the batch size, one
/// transaction), and deletes records past the retention period once an hour. A failed write is logged and its batch
/// dropped (counted), so a database problem never backs up into the request path.
/// </summary>
public sealed partial class CallLogWriter(
    CallRecorder recorder,
    IServiceScopeFactory scopes,
    IOptions<CallLogOptions> options,
    TimeProvider clock,
    ILogger<CallLogWriter> logger) : BackgroundService
{
    private static readonly TimeSpan RetentionInterval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<ApiCall>(options.Value.BatchSize);
        var nextRetention = clock.GetUtcNow();
        try
        {
            while (await recorder.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < options.Value.BatchSize && recorder.Reader.TryRead(out var call))
                {
                    batch.Add(call);
                }

                await WriteAsync(batch, stoppingToken);
                batch.Clear();

                if (clock.GetUtcNow() >= nextRetention)
                {
                    await DeleteExpiredAsync(stoppingToken);
                    nextRetention = clock.GetUtcNow() + RetentionInterval;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: write what is still queued, briefly.
            while (recorder.Reader.TryRead(out var call))
            {
                batch.Add(call);
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await WriteAsync(batch, grace.Token);
        }
    }

    /// <summary>Writes everything queued so far (tests and shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(10);
        while (recorder.Reader.Count > 0 && clock.GetUtcNow() < deadline)
        {
            await Task.Delay(20, cancellationToken);
        }

        // The batch being written when the queue emptied.
        await Task.Delay(100, cancellationToken);
    }

    private async Task WriteAsync(List<ApiCall> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.ApiCalls.AddRange(batch);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or OperationCanceledException)
        {
            LogWriteFailed(logger, exception, batch.Count);
        }
    }

    private async Task DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var deleted = await db.ApiCalls.Where(c => c.Timestamp < cutoff).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            LogRetention(logger, deleted, options.Value.RetentionDays);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} call records failed; the batch is dropped")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} call records older than {Days} days")]
    private static partial void LogRetention(ILogger logger, int count, int days);
}
