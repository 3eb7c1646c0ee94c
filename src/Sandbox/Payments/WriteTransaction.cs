using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Payments;

/// <summary>
/// One transaction around money-moving work, given the context to work in. On SQLite the work joins the group
/// committer's next transaction (its own savepoint, so a failure undoes only its part); on SQL Server it runs in a
/// transaction of its own, replayable whole by the retry strategy.
/// </summary>
public sealed class WriteTransaction(SandboxDbContext db, GroupCommitter committer)
{
    public async Task RunAsync(Func<SandboxDbContext, Task> work, CancellationToken ct)
    {
        if (committer.Enabled)
        {
            await committer.RunAsync(work, ct);
            return;
        }

        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await work(db);
            await transaction.CommitAsync(ct);
        });
    }
}
