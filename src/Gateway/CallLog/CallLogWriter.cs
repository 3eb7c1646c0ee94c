using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Gateway.Infrastructure;

namespace OpenBanking.Gateway.CallLog;

/// <summary>
/// Writes queued call records to the gateway's database in batches (whatever has arrived, up to the batch size, one
/// transaction), and deletes records past the retention period at start-up and then hourly. A failed write is
/// logged and its batch dropped (counted), so a database problem never backs up into the request path; a failed
/// retention run is logged and retried with a growing delay, never ending the service (or, with it, the host).
/// </summary>
public sealed partial class CallLogWriter(
    CallRecorder recorder,
    IServiceScopeFactory scopes,
    IOptions<CallLogOptions> options,
    TimeProvider clock,
    ILogger<CallLogWriter> logger) : BackgroundService
{
    private static readonly TimeSpan RetentionInterval = TimeSpan.FromHours(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(WriteCallsAsync(stoppingToken), RunRetentionAsync(stoppingToken));

    private async Task WriteCallsAsync(CancellationToken stoppingToken)
    {
        var batch = new List<ApiCall>(options.Value.BatchSize);
        try
        {
            while (await recorder.Reader.WaitToReadAsync(stoppingToken))
            {
                // Gather for a moment: one transaction per interval, not per call, when calls are steady.
                if (recorder.Reader.Count < options.Value.BatchSize)
                {
                    await Task.Delay(options.Value.FlushInterval, clock, stoppingToken);
                }

                while (batch.Count < options.Value.BatchSize && recorder.Reader.TryRead(out var call))
                {
                    batch.Add(call);
                }

                await WriteAsync(batch, stoppingToken);
                batch.Clear();
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

    private async Task RunRetentionAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        try
        {
            while (true)
            {
                failures = await TryDeleteExpiredAsync(stoppingToken) ? 0 : failures + 1;
                // After a failure: the retry delay, doubled per further failure, at most the usual interval.
                var wait = failures == 0
                    ? RetentionInterval
                    : TimeSpan.FromTicks(Math.Min(RetentionInterval.Ticks, options.Value.RetentionRetryDelay.Ticks << Math.Min(failures - 1, 20)));
                await Task.Delay(wait, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private long _handled;

    /// <summary>Waits (up to 10 s) until every record accepted before the call is written, or its write failed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var target = recorder.Recorded - recorder.Dropped;
        var deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(10);
        while (Interlocked.Read(ref _handled) < target && clock.GetUtcNow() < deadline)
        {
            await Task.Delay(20, cancellationToken);
        }
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
            if (db.Database.IsSqlite())
            {
                await InsertSqliteAsync(db, batch, cancellationToken);
            }
            else
            {
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                db.ApiCalls.AddRange(batch);
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (Exception exception) when (exception is DbException or DbUpdateException or InvalidOperationException or OperationCanceledException)
        {
            LogWriteFailed(logger, exception, batch.Count);
        }
        finally
        {
            Interlocked.Add(ref _handled, batch.Count);
        }
    }

    /// <summary>
    /// SQLite: one prepared INSERT reused for the whole batch in one transaction. EF's per-row INSERT … RETURNING and
    /// its change tracking cost more CPU than the gateway's own work per call (measured with bench/gateway.sh).
    /// Microsoft.Data.Sqlite writes DateTime values in the same text form EF uses, so EF queries read these rows.
    /// </summary>
    private static async Task InsertSqliteAsync(GatewayDbContext db, List<ApiCall> batch, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using (var pragma = connection.CreateCommand())
        {
            // WAL with NORMAL sync cannot corrupt the file; a power cut may lose the last second of call records.
            pragma.CommandText = "PRAGMA synchronous = NORMAL";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        string[] columns =
        [
            nameof(ApiCall.Timestamp), nameof(ApiCall.ClientId), nameof(ApiCall.OrganisationId), nameof(ApiCall.Method),
            nameof(ApiCall.RouteTemplate), nameof(ApiCall.Path), nameof(ApiCall.StatusCode), nameof(ApiCall.DurationMicroseconds),
            nameof(ApiCall.InteractionId), nameof(ApiCall.ErrorCode), nameof(ApiCall.RequestBytes), nameof(ApiCall.ResponseBytes),
        ];
        command.CommandText = $"INSERT INTO \"ApiCalls\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select(c => "$" + c))})";
        var parameters = columns.Select(c => command.Parameters.Add(new SqliteParameter("$" + c, null))).ToArray();
        command.Prepare();
        foreach (var call in batch)
        {
            parameters[0].Value = call.Timestamp;
            parameters[1].Value = (object?)call.ClientId ?? DBNull.Value;
            parameters[2].Value = (object?)call.OrganisationId ?? DBNull.Value;
            parameters[3].Value = call.Method;
            parameters[4].Value = (object?)call.RouteTemplate ?? DBNull.Value;
            parameters[5].Value = call.Path;
            parameters[6].Value = call.StatusCode;
            parameters[7].Value = call.DurationMicroseconds;
            parameters[8].Value = (object?)call.InteractionId ?? DBNull.Value;
            parameters[9].Value = (object?)call.ErrorCode ?? DBNull.Value;
            parameters[10].Value = call.RequestBytes;
            parameters[11].Value = call.ResponseBytes;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes the records older than the retention period, oldest first, at most <c>RetentionBatchSize</c> rows per
    /// statement: each statement is a short transaction, so a backlog never holds a long lock on the table the
    /// writer and the Portal use. False when the database failed (logged); the rows left are deleted next time.
    /// </summary>
    private async Task<bool> TryDeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var days = options.Value.RetentionDays;
        var batchSize = options.Value.RetentionBatchSize;
        var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-days);
        var total = 0;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            int deleted;
            do
            {
                var expired = db.ApiCalls.Where(c => c.Timestamp < cutoff).OrderBy(c => c.Timestamp).Take(batchSize).Select(c => c.Id);
                deleted = await db.ApiCalls.Where(c => expired.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken);
                total += deleted;
            }
            while (deleted == batchSize);

            if (total > 0)
            {
                LogRetention(logger, total, days);
            }

            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever the database did (locked, gone, timed out), retention is housekeeping: log it and try again later.
            LogRetentionFailed(logger, exception, total);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} call records failed; the batch is dropped")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} call records older than {Days} days")]
    private static partial void LogRetention(ILogger logger, int count, int days);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deleting expired call records failed after {Count} were deleted; retrying later")]
    private static partial void LogRetentionFailed(ILogger logger, Exception exception, int count);
}
