using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OpenBanking.Sandbox.Consents;

namespace OpenBanking.Sandbox.Accounts;

/// <summary>
/// Removes account-access consents from <see cref="ConsentAccessCache"/> when a change to them commits: tracked
/// changes through SaveChanges by id; bulk statements (<c>ExecuteUpdate</c>/<c>ExecuteDelete</c>, e.g. a tenant
/// reset) name no id, so they clear every entry. Inside an explicit transaction the removal is repeated at commit:
/// until then other connections still read the old row, and a data call could have cached it in between.
/// </summary>
internal sealed class ConsentCacheInvalidation(ConsentAccessCache cache) : SaveChangesInterceptor, IDbTransactionInterceptor, IDbCommandInterceptor
{
    private const string Table = "AccountAccessConsents";

    private readonly ConditionalWeakTable<DbContext, Pending> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Saving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Saved(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Saved(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return Task.CompletedTask;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Executed(command, eventData.Context);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Executed(command, eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Saving(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var pending = _pending.GetOrCreateValue(context);
        pending.Saving = true;
        // Every tracked consent that existed before, changed or not: listing them must not run a second DetectChanges
        // over the whole context (SaveChanges runs its own), and forgetting an unchanged one costs one cache miss.
        var tracker = context.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in tracker.Entries<AccountAccessConsent>())
            {
                if (entry.State is not (EntityState.Added or EntityState.Detached))
                {
                    pending.Ids.Add(entry.Entity.Id);
                }
            }
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var pending))
        {
            pending.Saving = false;
            Flush(context, pending);
        }
    }

    private void Ended(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var pending))
        {
            Flush(context, pending, committedOrRolledBack: true);
        }
    }

    private void Executed(DbCommand command, DbContext? context)
    {
        if (context is null || !command.CommandText.Contains(Table, StringComparison.Ordinal))
        {
            return;
        }

        var pending = _pending.GetOrCreateValue(context);
        if (pending.Saving)
        {
            return; // SaveChanges' own statement: its consents are already listed by id.
        }

        pending.All = true;
        Flush(context, pending);
    }

    private void Flush(DbContext context, Pending pending, bool committedOrRolledBack = false)
    {
        if (pending.All)
        {
            cache.InvalidateAll();
        }
        else if (pending.Ids.Count > 0)
        {
            cache.Invalidate(pending.Ids);
        }

        // Still inside a transaction: other connections see the change only at commit, so flush again then.
        if (committedOrRolledBack || context.Database.CurrentTransaction is null)
        {
            pending.All = false;
            pending.Ids.Clear();
        }
    }

    private sealed class Pending
    {
        public HashSet<string> Ids { get; } = new(StringComparer.Ordinal);

        public bool All { get; set; }

        public bool Saving { get; set; }
    }
}
