using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenBanking.ServiceDefaults.Data;

namespace OpenBanking.Sandbox.Infrastructure;

/// <summary>
/// Group commit for SQLite: money-moving work items queue here and one writer runs them, many to a transaction,
/// each inside a savepoint of its own — a failing item is rolled back alone and its caller gets the exception; the
/// others commit together, and every caller's task completes only after the commit. SQLite has one writer per file
/// (and Microsoft.Data.Sqlite answers a busy database by sleeping), so taking turns in process is faster than
/// contending, and one commit for many payments is faster still. Correctness does not rest on it: the guarded
/// updates and unique indexes hold on any provider. SQL Server does not use it (row locks serialise per account).
/// </summary>
public sealed class GroupCommitter : IDisposable
{
    private const int MaxBatch = 128;
    private readonly Channel<Item>? _queue;
    private readonly IServiceScopeFactory _scopes;
    private readonly ReusedStatements _statements;

    public GroupCommitter(DatabaseSettings settings, IServiceScopeFactory scopes, ReusedStatements statements)
    {
        _scopes = scopes;
        _statements = statements;
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
            _ = Task.Run(WriteAsync);
        }
    }

    public bool Enabled => _queue is not null;

    /// <summary>Runs the work in the writer's next transaction; completes when it is committed (or failed alone).</summary>
    public Task RunAsync(Func<SandboxDbContext, Task> work, CancellationToken ct)
    {
        var item = new Item(work, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), ct);
        return _queue!.Writer.TryWrite(item) ? item.Done.Task : throw new InvalidOperationException("The service is stopping.");
    }

    public void Dispose() => _queue?.Writer.TryComplete();

    private async Task WriteAsync()
    {
        var batch = new List<Item>(MaxBatch);
        Session? session = null;
        try
        {
            while (await _queue!.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                var failures = new Exception?[batch.Count];
                try
                {
                    session ??= await Session.OpenAsync(_scopes, _statements);
                    await RunBatchAsync(session, batch, failures);
                }
                catch (Exception e)
                {
                    foreach (var item in batch)
                    {
                        item.Done.TrySetException(e);
                    }

                    // Whatever failed at this level (the commit, the connection), the next batch starts on a fresh one.
                    await DisposeAsync(session);
                    session = null;
                    continue;
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    if (failures[i] is { } failure)
                    {
                        batch[i].Done.TrySetException(failure);
                    }
                    else
                    {
                        batch[i].Done.TrySetResult();
                    }
                }
            }
        }
        finally
        {
            await DisposeAsync(session);
        }
    }

    private async Task RunBatchAsync(Session session, List<Item> batch, Exception?[] failures)
    {
        var db = session.Db;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var connection = db.Database.GetDbConnection();
        var native = transaction.GetDbTransaction();
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Cancellation.IsCancellationRequested)
            {
                failures[i] = new OperationCanceledException(batch[i].Cancellation);
                continue;
            }

            // EF Core's savepoint API would prepare each of these statements anew, for every item.
            await _statements.ExecuteAsync(connection, native, "SAVEPOINT item;");
            try
            {
                db.ChangeTracker.Clear();
                await batch[i].Work(db);
            }
            catch (Exception e)
            {
                failures[i] = e;
                await _statements.ExecuteAsync(connection, native, "ROLLBACK TO SAVEPOINT item;");
            }

            await _statements.ExecuteAsync(connection, native, "RELEASE SAVEPOINT item;");
        }

        await transaction.CommitAsync();
        db.ChangeTracker.Clear();
    }

    private async Task DisposeAsync(Session? session)
    {
        if (session is null)
        {
            return;
        }

        try
        {
            _statements.Forget(session.Db.Database.GetDbConnection());
            await session.Scope.DisposeAsync();
        }
        catch (ObjectDisposedException)
        {
            // The host is stopping and has disposed the context pool first: the connection closed with it.
        }
    }

    /// <summary>
    /// The writer's context and connection, kept open from one batch to the next so that its statements stay prepared
    /// (<see cref="ReusedStatements"/>); replaced after a failure outside any one item.
    /// </summary>
    private sealed record Session(AsyncServiceScope Scope, SandboxDbContext Db)
    {
        public static async Task<Session> OpenAsync(IServiceScopeFactory scopes, ReusedStatements statements)
        {
            var scope = scopes.CreateAsyncScope();
            try
            {
                var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
                // Each item has its own savepoint here; EF's extra one around every SaveChanges would double the work.
                db.Database.AutoSavepointsEnabled = false;
                await db.Database.OpenConnectionAsync();
                statements.Keep(db.Database.GetDbConnection());
                return new Session(scope, db);
            }
            catch
            {
                await scope.DisposeAsync();
                throw;
            }
        }
    }

    private sealed record Item(Func<SandboxDbContext, Task> Work, TaskCompletionSource Done, CancellationToken Cancellation);
}

/// <summary>
/// A test seam between the steps of a money-moving transaction: tests make it throw to prove that a failure part
/// way leaves nothing behind. Does nothing in the service.
/// </summary>
public interface IFaultInjector
{
    void After(string step);
}

internal sealed class NoFaults : IFaultInjector
{
    public void After(string step)
    {
    }
}
