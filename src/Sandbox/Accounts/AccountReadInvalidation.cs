using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Consents;

namespace OpenBanking.Sandbox.Accounts;

/// <summary>
/// Keeps the account-information caches true to the database: a change to an account-access consent removes it from
/// <see cref="ConsentAccessCache"/>, a change to an account's transactions removes its pending debits from
/// <see cref="PendingDebitsCache"/>. Tracked changes through SaveChanges by key; bulk statements
/// (<c>ExecuteUpdate</c>/<c>ExecuteDelete</c>, e.g. a tenant reset) name no key, so they clear the whole cache.
/// Inside an explicit transaction the removal is repeated at commit: until then other connections still read the
/// old rows, and a data call could have cached them in between.
/// </summary>
internal sealed class AccountReadInvalidation(ConsentAccessCache consents, PendingDebitsCache pendingDebits)
    : SaveChangesInterceptor, IDbTransactionInterceptor, IDbCommandInterceptor
{
    private const string ConsentsTable = "AccountAccessConsents";
    private const string TransactionsTable = "Transactions";

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
                    pending.Consents.Add(entry.Entity.Id);
                }
            }

            // New transactions too: a pending one changes the account's pending debits.
            foreach (var entry in tracker.Entries<BankTransaction>())
            {
                if (entry.State is not (EntityState.Unchanged or EntityState.Detached))
                {
                    pending.Accounts.Add(entry.Entity.AccountId);
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
        if (context is null)
        {
            return;
        }

        var text = command.CommandText;
        var consentsTouched = text.Contains(ConsentsTable, StringComparison.Ordinal);
        var transactionsTouched = text.Contains(TransactionsTable, StringComparison.Ordinal);
        if (!consentsTouched && !transactionsTouched)
        {
            return;
        }

        var pending = _pending.GetOrCreateValue(context);
        if (pending.Saving)
        {
            return; // SaveChanges' own statement: what it changes is already listed by key.
        }

        pending.AllConsents |= consentsTouched;
        pending.AllAccounts |= transactionsTouched;
        Flush(context, pending);
    }

    private void Flush(DbContext context, Pending pending, bool committedOrRolledBack = false)
    {
        Flush(consents, pending.AllConsents, pending.Consents);
        Flush(pendingDebits, pending.AllAccounts, pending.Accounts);

        // Still inside a transaction: other connections see the change only at commit, so flush again then.
        if (committedOrRolledBack || context.Database.CurrentTransaction is null)
        {
            pending.AllConsents = pending.AllAccounts = false;
            pending.Consents.Clear();
            pending.Accounts.Clear();
        }
    }

    private static void Flush<TValue>(InvalidatedCache<TValue> cache, bool all, HashSet<string> keys)
    {
        if (all)
        {
            cache.InvalidateAll();
        }
        else if (keys.Count > 0)
        {
            cache.Invalidate(keys);
        }
    }

    private sealed class Pending
    {
        public HashSet<string> Consents { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Accounts { get; } = new(StringComparer.Ordinal);

        public bool AllConsents { get; set; }

        public bool AllAccounts { get; set; }

        public bool Saving { get; set; }
    }
}
