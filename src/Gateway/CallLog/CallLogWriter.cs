using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Gateway.Infrastructure;
using OpenBanking.Gateway.Lint;

namespace OpenBanking.Gateway.CallLog;

/// <summary>
/// Writes queued call records, each with its detail, to the gateway's database in batches (whatever has arrived, up to
/// the batch size, one transaction), and deletes details and records past their retention periods at start-up and then
/// hourly. A failed write is
/// logged and its batch dropped (counted), so a database problem never backs up into the request path; a failed
/// retention run is logged and retried with a growing delay, never ending the service (or, with it, the host).
/// </summary>
public sealed partial class CallLogWriter(
    CallRecorder recorder,
    IServiceScopeFactory scopes,
    IOptions<CallLogOptions> options,
    SpecLintWorker lint,
    TimeProvider clock,
    ILogger<CallLogWriter> logger) : BackgroundService
{
    private static readonly TimeSpan RetentionInterval = TimeSpan.FromHours(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(WriteCallsAsync(stoppingToken), RunRetentionAsync(stoppingToken));

    private async Task WriteCallsAsync(CancellationToken stoppingToken)
    {
        var batch = new List<CallRecord>(options.Value.BatchSize);
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

    private async Task WriteAsync(List<CallRecord> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            // Text and error parsing here, not on the request path; the pooled buffers go back as soon as they are read.
            var details = new ApiCallDetail?[batch.Count];
            var requestHeaders = new KeyValuePair<string, string>[]?[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                if (batch[i].Capture is { } capture)
                {
                    details[i] = CallDetails.Build(batch[i].Call, capture);
                    requestHeaders[i] = capture.RequestHeaders;
                    capture.Release();
                }
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            if (db.Database.IsSqlite())
            {
                await InsertSqliteAsync(db, batch, details, cancellationToken);
            }
            else
            {
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                // Calls first (their ids key the details), both in one transaction; SQL Server's retrying strategy
                // replays the whole unit, so each try starts from a clean change tracker and unsaved ids.
                await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
                {
                    db.ChangeTracker.Clear();
                    foreach (var record in batch)
                    {
                        record.Call.Id = 0;
                    }

                    await using var transaction = await db.Database.BeginTransactionAsync(ct);
                    db.ApiCalls.AddRange(batch.Select(r => r.Call));
                    await db.SaveChangesAsync(ct);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        if (details[i] is { } detail)
                        {
                            detail.CallId = batch[i].Call.Id;
                            db.ApiCallDetails.Add(detail);
                        }
                    }

                    await db.SaveChangesAsync(ct);
                    await transaction.CommitAsync(ct);
                }, cancellationToken);
            }

            // Written: the calls have ids, and lint (off this path too) may attach problems to them.
            if (lint.Enabled)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    if (details[i] is { } detail)
                    {
                        var call = batch[i].Call;
                        lint.Enqueue(new LintJob(call.Id, call.OrganisationId, call.ClientId, call.Timestamp, call.Method, call.RouteTemplate, call.Path,
                            new LintInput(call.Method, call.RouteTemplate, call.StatusCode, call.InteractionIdSent, requestHeaders[i] ?? [],
                                detail.RequestBody, detail.RequestBodyTruncated, call.RequestBytes, detail.ResponseBody, detail.ResponseBodyTruncated)));
                    }
                }
            }
        }
        catch (Exception exception) when (exception is DbException or DbUpdateException or InvalidOperationException or OperationCanceledException)
        {
            LogWriteFailed(logger, exception, batch.Count);
        }
        finally
        {
            foreach (var record in batch)
            {
                record.Capture?.Release();
            }

            Interlocked.Add(ref _handled, batch.Count);
        }
    }

    /// <summary>
    /// SQLite: prepared INSERTs reused for the whole batch in one transaction. EF's per-row INSERT … RETURNING and its
    /// change tracking cost more CPU than the gateway's own work per call (measured with bench/gateway.sh).
    /// Microsoft.Data.Sqlite writes DateTime values in the same text form EF uses, so EF queries read these rows.
    /// </summary>
    private static async Task InsertSqliteAsync(GatewayDbContext db, List<CallRecord> batch, ApiCallDetail?[] details, CancellationToken cancellationToken)
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
        await using var calls = Insert(connection, transaction, "ApiCalls",
        [
            nameof(ApiCall.Timestamp), nameof(ApiCall.ClientId), nameof(ApiCall.OrganisationId), nameof(ApiCall.Method),
            nameof(ApiCall.RouteTemplate), nameof(ApiCall.Path), nameof(ApiCall.StatusCode), nameof(ApiCall.DurationMicroseconds),
            nameof(ApiCall.InteractionId), nameof(ApiCall.ErrorCode), nameof(ApiCall.RequestBytes), nameof(ApiCall.ResponseBytes),
            nameof(ApiCall.Signed), nameof(ApiCall.SignatureKid), nameof(ApiCall.DpopBound), nameof(ApiCall.DpopJkt), nameof(ApiCall.RefusalRule),
            nameof(ApiCall.InteractionIdSent), nameof(ApiCall.ConsentId), nameof(ApiCall.IdempotencyKey), nameof(ApiCall.RetryAfterSeconds),
            nameof(ApiCall.RefusalReason),
        ], returnId: true);
        await using var detailRows = Insert(connection, transaction, "ApiCallDetails",
        [
            nameof(ApiCallDetail.CallId), nameof(ApiCallDetail.Timestamp), nameof(ApiCallDetail.Query),
            nameof(ApiCallDetail.RequestHeaders), nameof(ApiCallDetail.ResponseHeaders),
            nameof(ApiCallDetail.RequestBody), nameof(ApiCallDetail.RequestBodyTruncated), nameof(ApiCallDetail.RequestBodyNote),
            nameof(ApiCallDetail.ResponseBody), nameof(ApiCallDetail.ResponseBodyTruncated), nameof(ApiCallDetail.ResponseBodyNote),
            nameof(ApiCallDetail.ErrorCodes), nameof(ApiCallDetail.ErrorMessage),
        ], returnId: false);
        var c = calls.Parameters;
        var d = detailRows.Parameters;
        for (var i = 0; i < batch.Count; i++)
        {
            var call = batch[i].Call;
            Set(c, call.Timestamp, call.ClientId, call.OrganisationId, call.Method, call.RouteTemplate, call.Path, call.StatusCode,
                call.DurationMicroseconds, call.InteractionId, call.ErrorCode, call.RequestBytes, call.ResponseBytes,
                call.Signed, call.SignatureKid, call.DpopBound, call.DpopJkt, call.RefusalRule,
                call.InteractionIdSent, call.ConsentId, call.IdempotencyKey, call.RetryAfterSeconds, call.RefusalReason);
            call.Id = (long)(await calls.ExecuteScalarAsync(cancellationToken))!;
            if (details[i] is { } detail)
            {
                detail.CallId = call.Id;
                Set(d, detail.CallId, detail.Timestamp, detail.Query, detail.RequestHeaders, detail.ResponseHeaders,
                    detail.RequestBody, detail.RequestBodyTruncated, detail.RequestBodyNote,
                    detail.ResponseBody, detail.ResponseBodyTruncated, detail.ResponseBodyNote, detail.ErrorCodes, detail.ErrorMessage);
                await detailRows.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static SqliteCommand Insert(SqliteConnection connection, SqliteTransaction transaction, string table, string[] columns, bool returnId)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select(c => "$" + c))})"
            + (returnId ? " RETURNING \"Id\"" : "");
        foreach (var column in columns)
        {
            command.Parameters.Add(new SqliteParameter("$" + column, null));
        }

        command.Prepare();
        return command;
    }

    private static void Set(SqliteParameterCollection parameters, params ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    /// <summary>
    /// Deletes the records older than the retention period, oldest first, at most <c>RetentionBatchSize</c> rows per
    /// statement: each statement is a short transaction, so a backlog never holds a long lock on the table the
    /// writer and the Portal use. False when the database failed (logged); the rows left are deleted next time.
    /// </summary>
    private async Task<bool> TryDeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var days = options.Value.RetentionDays;
        var detailDays = Math.Min(options.Value.DetailRetentionDays, days);
        var batchSize = options.Value.RetentionBatchSize;
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now.AddDays(-days);
        var detailCutoff = now.AddDays(-detailDays);
        var total = 0;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            int deleted;
            // Details first: kept for less time, and each call's detail goes before the call (the cascade is only a backstop).
            var details = 0;
            do
            {
                var expired = db.ApiCallDetails.Where(d => d.Timestamp < detailCutoff).OrderBy(d => d.Timestamp).Take(batchSize).Select(d => d.CallId);
                deleted = await db.ApiCallDetails.Where(d => expired.Contains(d.CallId)).ExecuteDeleteAsync(cancellationToken);
                details += deleted;
            }
            while (deleted == batchSize);

            // Lint problems go with their calls (same retention), before them.
            do
            {
                var expired = db.ApiCallProblems.Where(p => p.Timestamp < cutoff).OrderBy(p => p.Timestamp).Take(batchSize).Select(p => p.Id);
                deleted = await db.ApiCallProblems.Where(p => expired.Contains(p.Id)).ExecuteDeleteAsync(cancellationToken);
            }
            while (deleted == batchSize);

            do
            {
                var expired = db.ApiCalls.Where(c => c.Timestamp < cutoff).OrderBy(c => c.Timestamp).Take(batchSize).Select(c => c.Id);
                deleted = await db.ApiCalls.Where(c => expired.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken);
                total += deleted;
            }
            while (deleted == batchSize);

            if (total > 0 || details > 0)
            {
                LogRetention(logger, total, days, details, detailDays);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} call records older than {Days} days and {Details} call details older than {DetailDays} days")]
    private static partial void LogRetention(ILogger logger, int count, int days, int details, int detailDays);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deleting expired call records failed after {Count} were deleted; retrying later")]
    private static partial void LogRetentionFailed(ILogger logger, Exception exception, int count);
}
