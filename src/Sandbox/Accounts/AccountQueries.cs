using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Accounts;

/// <summary>One page of an account history, and what the page's metadata needs.</summary>
public sealed record TransactionPage(
    IReadOnlyList<BankTransaction> Rows, int Page, int TotalPages, DateTime FirstAvailable, DateTime LastAvailable);

/// <summary>An account with its pending (not yet booked) debits, from which its balances follow.</summary>
public sealed record AccountWithPending(Account Account, long PendingDebitsMinor);

/// <summary>
/// The hot reads of account information as compiled queries: EF Core translates each once per process instead of
/// hashing and looking up its expression tree on every request. No tracking: nothing read here is changed.
/// </summary>
public static class AccountQueries
{
    private static readonly Func<SandboxDbContext, string[], IAsyncEnumerable<Account>> AccountsById
        = EF.CompileAsyncQuery<SandboxDbContext, string[], Account>((db, ids) => db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).OrderBy(a => a.Id));

    private static readonly Func<SandboxDbContext, string, CancellationToken, Task<long>> PendingDebits
        = EF.CompileAsyncQuery((SandboxDbContext db, string id, CancellationToken _) => db.Transactions
            .Where(t => t.AccountId == id && t.Status == TransactionStatus.Pending && !t.IsCredit).Sum(t => t.AmountMinor));

    private static readonly Func<SandboxDbContext, string[], IAsyncEnumerable<PageCounts>> Counts
        = EF.CompileAsyncQuery((SandboxDbContext db, string[] ids) => db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new PageCounts(a.OpeningDate, a.TransactionCount, a.CreditTransactionCount)));

    // One account (the common case) as an equality, so SQLite walks the (AccountId, BookingDateTime, Id) index in
    // order instead of sorting the account's whole history for every page. A null bound or a false direction filter
    // drops out of the SQL (EF Core caches one command per parameter nullability).
    private static readonly Func<SandboxDbContext, string, bool, bool, DateTime?, DateTime?, int, int, IAsyncEnumerable<BankTransaction>> PageOfOne
        = EF.CompileAsyncQuery((SandboxDbContext db, string id, bool oneDirection, bool credits, DateTime? from, DateTime? to, int skip, int take)
            => db.Transactions.AsNoTracking()
                .Where(t => t.AccountId == id && (!oneDirection || t.IsCredit == credits)
                    && (from == null || t.BookingDateTime >= from) && (to == null || t.BookingDateTime <= to))
                .OrderByDescending(t => t.BookingDateTime).ThenByDescending(t => t.Id).Skip(skip).Take(take));

    private static readonly Func<SandboxDbContext, string[], bool, bool, DateTime?, DateTime?, int, int, IAsyncEnumerable<BankTransaction>> PageOfMany
        = EF.CompileAsyncQuery((SandboxDbContext db, string[] ids, bool oneDirection, bool credits, DateTime? from, DateTime? to, int skip, int take)
            => db.Transactions.AsNoTracking()
                .Where(t => ids.Contains(t.AccountId) && (!oneDirection || t.IsCredit == credits)
                    && (from == null || t.BookingDateTime >= from) && (to == null || t.BookingDateTime <= to))
                .OrderByDescending(t => t.BookingDateTime).ThenByDescending(t => t.Id).Skip(skip).Take(take));

    private static readonly Func<SandboxDbContext, string[], bool, bool, DateTime?, DateTime?, CancellationToken, Task<int>> CountInWindow
        = EF.CompileAsyncQuery((SandboxDbContext db, string[] ids, bool oneDirection, bool credits, DateTime? from, DateTime? to, CancellationToken _)
            => db.Transactions.Count(t => ids.Contains(t.AccountId) && (!oneDirection || t.IsCredit == credits)
                && (from == null || t.BookingDateTime >= from) && (to == null || t.BookingDateTime <= to)));

    public static ValueTask<List<Account>> AccountsAsync(SandboxDbContext db, string[] ids, CancellationToken cancellationToken)
        => AccountsById(db, ids).ToListAsync(cancellationToken);

    /// <summary>The accounts with their pending debits, which are summed only when not already known.</summary>
    public static async Task<List<AccountWithPending>> AccountsWithPendingAsync(
        SandboxDbContext db, PendingDebitsCache cache, string[] ids, CancellationToken cancellationToken)
    {
        var accounts = await AccountsAsync(db, ids, cancellationToken);
        var rows = new List<AccountWithPending>(accounts.Count);
        foreach (var account in accounts)
        {
            if (!cache.TryGet(account.Id, out var pending))
            {
                var generation = cache.Generation;
                pending = await PendingDebits(db, account.Id, cancellationToken);
                cache.Add(account.Id, pending, generation);
            }

            rows.Add(new AccountWithPending(account, pending));
        }

        return rows;
    }

    /// <summary>
    /// A page of the accounts' transactions in the window, newest first, limited to the directions the consent allows.
    /// </summary>
    public static async Task<TransactionPage> TransactionPageAsync(
        SandboxDbContext db, AisAccess access, string[] ids, TransactionWindow window, int page, int pageSize, DateTime now,
        CancellationToken cancellationToken)
    {
        var current = Math.Max(page, 1);
        var credits = access.Has(AccountAccessPermission.ReadTransactionsCredits);
        var debits = access.Has(AccountAccessPermission.ReadTransactionsDebits);
        var oneDirection = credits != debits;
        var accounts = await Counts(db, ids).ToListAsync(cancellationToken);

        // Without a date window the accounts' own counters give the total; a window needs a real count.
        var total = window.IsOpen
            ? accounts.Sum(a => credits && debits ? a.TransactionCount : credits ? a.CreditTransactionCount : a.TransactionCount - a.CreditTransactionCount)
            : await CountInWindow(db, ids, oneDirection, credits, window.From, window.To, cancellationToken);
        var totalPages = Math.Max(1, (total + pageSize - 1) / pageSize);

        var skip = (current - 1) * pageSize;
        var rows = ids.Length == 1
            ? await PageOfOne(db, ids[0], oneDirection, credits, window.From, window.To, skip, pageSize).ToListAsync(cancellationToken)
            : await PageOfMany(db, ids, oneDirection, credits, window.From, window.To, skip, pageSize).ToListAsync(cancellationToken);

        var firstAvailable = TransactionWindow.Later(accounts.Count > 0 ? accounts.Min(a => a.OpeningDate) : now, access.Consent.TransactionFromDateTime?.UtcDateTime);
        var lastAvailable = TransactionWindow.Earlier(now, access.Consent.TransactionToDateTime?.UtcDateTime);
        return new TransactionPage(rows, current, totalPages, firstAvailable, lastAvailable);
    }

    private sealed record PageCounts(DateTime OpeningDate, int TransactionCount, int CreditTransactionCount);
}
