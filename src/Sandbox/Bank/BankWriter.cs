using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Bank;

/// <summary>
/// Writes a generated bank inside the caller's transaction. Transactions (by far the most rows) go through one
/// prepared statement on SQLite — hundreds of thousands of rows a second — instead of EF's change tracker.
/// </summary>
internal static class BankWriter
{
    /// <param name="postHistory">
    /// Post each account's opening balance and then every booked transaction on the ledger (a custom customer's history),
    /// instead of one opening posting of the final balance (the generated bank's history predates the ledger).
    /// </param>
    public static async Task WriteAsync(SandboxDbContext db, GeneratedBank bank, CancellationToken cancellationToken, bool postHistory = false)
    {
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            db.Customers.AddRange(bank.Customers);
            db.Accounts.AddRange(bank.Accounts);
            db.Beneficiaries.AddRange(bank.Beneficiaries);
            db.DirectDebits.AddRange(bank.DirectDebits);
            db.StandingOrders.AddRange(bank.StandingOrders);
            db.ScheduledPayments.AddRange(bank.ScheduledPayments);
            db.Statements.AddRange(bank.Statements);
            db.Offers.AddRange(bank.Offers);

            // The generated history predates the ledger: each account opens with its balance against equity, so the
            // ledger invariant holds from the first moment.
            foreach (var account in bank.Accounts)
            {
                if (Ledger.Posting.Opening(account.Id, account.Currency, postHistory ? account.OpeningBalanceMinor : account.BookedBalanceMinor) is { } opening)
                {
                    db.LedgerEntries.AddRange(opening.Entries(account.TenantId, null, account.OpeningDate));
                }
            }

            if (postHistory)
            {
                foreach (var t in bank.Transactions.Where(t => t.Status == TransactionStatus.Booked))
                {
                    var posting = Ledger.Posting.History(t.TransactionId, t.AccountId, t.Currency, t.IsCredit ? t.AmountMinor : -t.AmountMinor);
                    db.LedgerEntries.AddRange(posting.Entries(t.TenantId, null, t.BookingDateTime));
                }
            }
            if (!db.Database.IsSqlite())
            {
                db.Transactions.AddRange(bank.Transactions);
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }

        if (db.Database.IsSqlite())
        {
            await InsertTransactionsSqliteAsync(db, bank.Transactions, cancellationToken);
        }
    }

    private static async Task InsertTransactionsSqliteAsync(SandboxDbContext db, List<BankTransaction> transactions, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var transaction = (SqliteTransaction?)db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bank data is written inside a transaction.");

        string[] columns =
        [
            "TenantId", "AccountId", "TransactionId", "Reference", "IsCredit", "Status", "BookingDateTime", "ValueDateTime",
            "AmountMinor", "Currency", "Information", "MerchantName", "MerchantCategoryCode", "BankCode", "BankSubCode",
            "ProprietaryCode", "CounterpartyName", "CounterpartySchemeName", "CounterpartyIdentification", "BalanceAfterMinor", "CardPan",
        ];
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO \"Transactions\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select(c => "$" + c))})";
        var parameters = columns.ToDictionary(c => c, c => command.Parameters.Add(new SqliteParameter("$" + c, null)));
        await command.PrepareAsync(cancellationToken);

        foreach (var t in transactions)
        {
            // The formats EF Core's SQLite provider uses, so EF reads and compares these rows like its own.
            parameters["TenantId"].Value = t.TenantId.ToString().ToUpperInvariant();
            parameters["AccountId"].Value = t.AccountId;
            parameters["TransactionId"].Value = t.TransactionId;
            parameters["Reference"].Value = (object?)t.Reference ?? DBNull.Value;
            parameters["IsCredit"].Value = t.IsCredit ? 1 : 0;
            parameters["Status"].Value = t.Status.ToString();
            parameters["BookingDateTime"].Value = t.BookingDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            parameters["ValueDateTime"].Value = t.ValueDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            parameters["AmountMinor"].Value = t.AmountMinor;
            parameters["Currency"].Value = t.Currency;
            parameters["Information"].Value = t.Information;
            parameters["MerchantName"].Value = (object?)t.MerchantName ?? DBNull.Value;
            parameters["MerchantCategoryCode"].Value = (object?)t.MerchantCategoryCode ?? DBNull.Value;
            parameters["BankCode"].Value = t.BankCode;
            parameters["BankSubCode"].Value = t.BankSubCode;
            parameters["ProprietaryCode"].Value = t.ProprietaryCode;
            parameters["CounterpartyName"].Value = (object?)t.CounterpartyName ?? DBNull.Value;
            parameters["CounterpartySchemeName"].Value = (object?)t.CounterpartySchemeName ?? DBNull.Value;
            parameters["CounterpartyIdentification"].Value = (object?)t.CounterpartyIdentification ?? DBNull.Value;
            parameters["BalanceAfterMinor"].Value = (object?)t.BalanceAfterMinor ?? DBNull.Value;
            parameters["CardPan"].Value = (object?)t.CardPan ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
