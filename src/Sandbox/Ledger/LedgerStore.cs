using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Ledger;

/// <summary>
/// Moves money on the ledger inside the caller's database transaction: the posting's lines, the cached balance and
/// counters of each customer account, and the account's transaction (what the AIS API shows), all or nothing.
/// A debit is one guarded UPDATE (balance minus amount stays within the arranged limit), so two concurrent payments
/// can never both spend the same money and no update is lost — on SQLite and SQL Server alike.
/// </summary>
public sealed class LedgerStore(SandboxDbContext db)
{
    /// <summary>Debits the account if the limit allows; the booked balance after it, or null when funds are insufficient.</summary>
    public async Task<long?> TryDebitAsync(string accountId, long amountMinor, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountMinor);
        var after = await UpdateAsync(Debit, accountId, amountMinor, ct);
        return after.Count == 0 ? null : after[0];
    }

    /// <summary>Credits the account (no limit applies to money coming in); the booked balance after it.</summary>
    public async Task<long> CreditAsync(string accountId, long amountMinor, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountMinor);
        var after = await UpdateAsync(Credit, accountId, amountMinor, ct);
        return after.Count == 1 ? after[0] : throw new InvalidOperationException($"Account {accountId} is gone.");
    }

    // One statement each way, returning the new balance (RETURNING on SQLite, OUTPUT on SQL Server): the guard in the
    // WHERE clause is evaluated against the row as it is under the write lock, so it holds under any concurrency.
    private const string Debit = "Debit";
    private const string Credit = "Credit";

    private Task<List<long>> UpdateAsync(string direction, string accountId, long amountMinor, CancellationToken ct)
    {
        var sqlite = db.Database.IsSqlite();
        var set = direction == Debit
            ? "\"BookedBalanceMinor\" = \"BookedBalanceMinor\" - {1}, \"TransactionCount\" = \"TransactionCount\" + 1, \"Version\" = \"Version\" + 1"
            : "\"BookedBalanceMinor\" = \"BookedBalanceMinor\" + {1}, \"TransactionCount\" = \"TransactionCount\" + 1, \"CreditTransactionCount\" = \"CreditTransactionCount\" + 1, \"Version\" = \"Version\" + 1";
        var where = direction == Debit
            ? "\"Id\" = {0} AND \"BookedBalanceMinor\" - {1} >= -\"CreditLimitMinor\""
            : "\"Id\" = {0}";
        var sql = sqlite
            ? $"UPDATE \"Accounts\" SET {set} WHERE {where} RETURNING \"BookedBalanceMinor\" AS \"Value\""
            : $"UPDATE \"Accounts\" SET {set} OUTPUT INSERTED.\"BookedBalanceMinor\" AS \"Value\" WHERE {where}";
        return db.Database.SqlQueryRaw<long>(sql, accountId, amountMinor).ToListAsync(ct);
    }

    /// <summary>Adds a posting's lines (saved with the caller's next SaveChanges).</summary>
    public void Add(Posting posting, Guid tenantId, string? paymentId, DateTime at)
        => db.LedgerEntries.AddRange(posting.Entries(tenantId, paymentId, at));
}

/// <summary>What the ledger invariant check found; empty <see cref="Problems"/> means it holds.</summary>
public sealed record LedgerCheck(int Entries, int Accounts, IReadOnlyDictionary<string, long> SumByCurrency, IReadOnlyList<string> Problems)
{
    public bool Holds => Problems.Count == 0;

    /// <summary>
    /// Per currency the entries sum to zero (debits equal credits); each customer account's cached balance equals the
    /// sum of its entries; no account is below its arranged limit. For one tenant, or every tenant when null.
    /// </summary>
    public static async Task<LedgerCheck> RunAsync(SandboxDbContext db, Guid? tenantId, CancellationToken ct)
    {
        var entries = db.LedgerEntries.AsNoTracking().Where(e => tenantId == null || e.TenantId == tenantId);
        var byCurrency = await entries.GroupBy(e => e.Currency)
            .Select(g => new { Currency = g.Key, Sum = g.Sum(e => e.AmountMinor) })
            .ToDictionaryAsync(x => x.Currency, x => x.Sum, ct);
        var byAccount = await entries.GroupBy(e => e.LedgerAccount)
            .Select(g => new { Account = g.Key, Sum = g.Sum(e => e.AmountMinor), Count = g.Count() })
            .ToDictionaryAsync(x => x.Account, x => (x.Sum, x.Count), ct);
        var accounts = await db.Accounts.AsNoTracking().Where(a => tenantId == null || a.TenantId == tenantId)
            .Select(a => new { a.Id, a.BookedBalanceMinor, a.CreditLimitMinor }).ToListAsync(ct);

        var problems = new List<string>();
        problems.AddRange(byCurrency.Where(c => c.Value != 0).Select(c => $"{c.Key}: entries sum to {c.Value}, not 0."));
        foreach (var account in accounts)
        {
            var sum = byAccount.TryGetValue(account.Id, out var s) ? s.Sum : 0;
            if (sum != account.BookedBalanceMinor)
            {
                problems.Add($"{account.Id}: balance {account.BookedBalanceMinor} but entries sum to {sum}.");
            }

            if (account.BookedBalanceMinor < -account.CreditLimitMinor)
            {
                problems.Add($"{account.Id}: balance {account.BookedBalanceMinor} beyond its limit {account.CreditLimitMinor}.");
            }
        }

        var known = accounts.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(byAccount.Keys.Where(k => !LedgerAccounts.IsSystem(k) && !known.Contains(k)).Select(k => $"{k}: entries for an unknown account."));
        return new LedgerCheck(byAccount.Values.Sum(v => v.Count), accounts.Count, byCurrency, problems);
    }
}

/// <summary>The account transaction a payment shows in the AIS API.</summary>
internal static class PaymentTransactions
{
    public static BankTransaction For(Account account, string transactionId, bool credit, long amountMinor, long balanceAfter,
        DateTime at, string? reference, string information, string? counterpartyName, string? counterpartyScheme, string? counterpartyIdentification) => new()
    {
        TenantId = account.TenantId,
        AccountId = account.Id,
        TransactionId = transactionId,
        Reference = reference,
        IsCredit = credit,
        Status = TransactionStatus.Booked,
        BookingDateTime = at,
        ValueDateTime = at,
        AmountMinor = amountMinor,
        Currency = account.Currency,
        Information = information,
        BankCode = "PMNT",
        BankSubCode = credit ? "RCDT-DMCT" : "ICDT-DMCT",
        ProprietaryCode = credit ? "FPI" : "FPO",
        CounterpartyName = counterpartyName,
        CounterpartySchemeName = counterpartyScheme,
        CounterpartyIdentification = counterpartyIdentification,
        BalanceAfterMinor = balanceAfter,
    };
}
