using System.Threading.Channels;
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

    public GroupCommitter(DatabaseSettings settings, IServiceScopeFactory scopes)
    {
        _scopes = scopes;
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
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
                // Each item has its own savepoint here; EF's extra one around every SaveChanges would double the work.
                db.Database.AutoSavepointsEnabled = false;
                await using var transaction = await db.Database.BeginTransactionAsync();
                for (var i = 0; i < batch.Count; i++)
                {
                    if (batch[i].Cancellation.IsCancellationRequested)
                    {
                        failures[i] = new OperationCanceledException(batch[i].Cancellation);
                        continue;
                    }

                    await transaction.CreateSavepointAsync("item");
                    try
                    {
                        db.ChangeTracker.Clear();
                        await batch[i].Work(db);
                    }
                    catch (Exception e)
                    {
                        failures[i] = e;
                        await transaction.RollbackToSavepointAsync("item");
                    }

                    await transaction.ReleaseSavepointAsync("item");
                }

                await transaction.CommitAsync();
            }
            catch (Exception e)
            {
                foreach (var item in batch)
                {
                    item.Done.TrySetException(e);
                }

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
