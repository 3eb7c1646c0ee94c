namespace OpenBanking.Sandbox.Ledger;

/// <summary>
/// One line of the double-entry ledger, never edited once written (a correction is a reversing posting). The
/// amount is signed minor units from the ledger account's point of view: positive raises its balance (a credit to a
/// customer's account), negative lowers it. Every posting's lines sum to zero per currency, so across the ledger
/// debits equal credits; a customer account's booked balance is the sum of its lines.
/// </summary>
public sealed class LedgerEntry
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    /// <summary>The balanced set of lines this one belongs to.</summary>
    public required string PostingId { get; set; }
    public required string Kind { get; set; }
    /// <summary>A customer account id, or a system account (<see cref="LedgerAccounts"/>).</summary>
    public required string LedgerAccount { get; set; }
    public required string Currency { get; set; }
    public long AmountMinor { get; set; }
    public string? PaymentId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>The bank's own ledger accounts, one per tenant and currency.</summary>
public static class LedgerAccounts
{
    public const string SystemPrefix = "system:";

    /// <summary>The other side of the balances the generator gave the accounts (their history before the ledger).</summary>
    public static string Equity(string currency) => $"system:equity:{currency}";

    /// <summary>Money taken from the payer and not yet settled to the payee.</summary>
    public static string Clearing(string currency) => $"system:clearing:{currency}";

    /// <summary>Money sent out to other banks (external payees).</summary>
    public static string Settlement(string currency) => $"system:settlement:{currency}";

    /// <summary>The bank's open position in a currency from payments abroad: bought at mid in the debit currency, delivered in the transfer currency.</summary>
    public static string FxPosition(string currency) => $"system:fx-position:{currency}";

    /// <summary>The bank's spread on conversions (the customer rate against mid), in the debit currency.</summary>
    public static string FxPnl(string currency) => $"system:pnl-fx:{currency}";

    /// <summary>Fees of payments abroad, in the currency each is taken in.</summary>
    public static string FeesPnl(string currency) => $"system:pnl-fees:{currency}";

    public static bool IsSystem(string ledgerAccount) => ledgerAccount.StartsWith(SystemPrefix, StringComparison.Ordinal);
}

public static class PostingKinds
{
    public const string Opening = "Opening";
    public const string PaymentDebit = "PaymentDebit";
    public const string PaymentSettlement = "PaymentSettlement";
    public const string Reversal = "Reversal";

    /// <summary>A transaction of a custom customer's history (an uploaded or templated one), against money from or to other banks.</summary>
    public const string History = "History";
}

/// <summary>One line of a posting before it is written.</summary>
public readonly record struct PostingLine(string LedgerAccount, long AmountMinor);

/// <summary>A balanced set of lines in one currency; it cannot be built unbalanced.</summary>
public sealed class Posting
{
    private Posting(string id, string kind, string currency, IReadOnlyList<PostingLine> lines)
    {
        Id = id;
        Kind = kind;
        Currency = currency;
        Lines = lines;
    }

    public string Id { get; }
    public string Kind { get; }
    public string Currency { get; }
    public IReadOnlyList<PostingLine> Lines { get; }

    public static Posting Create(string id, string kind, string currency, params PostingLine[] lines)
    {
        if (lines.Length < 2)
        {
            throw new ArgumentException("A posting has at least two lines.", nameof(lines));
        }

        if (lines.Any(l => l.AmountMinor == 0))
        {
            throw new ArgumentException("A posting line moves a non-zero amount.", nameof(lines));
        }

        // Checked: an overflow must fail, never wrap into a balanced-looking sum.
        var sum = 0L;
        foreach (var line in lines)
        {
            sum = checked(sum + line.AmountMinor);
        }

        if (sum != 0)
        {
            throw new ArgumentException($"A posting must balance; these lines sum to {sum}.", nameof(lines));
        }

        return new Posting(id, kind, currency, lines);
    }

    /// <summary>The account's opening balance against equity (no posting for a zero balance).</summary>
    public static Posting? Opening(string accountId, string currency, long balanceMinor)
        => balanceMinor == 0 ? null : Create("open-" + accountId, PostingKinds.Opening, currency,
            new PostingLine(accountId, balanceMinor), new PostingLine(LedgerAccounts.Equity(currency), -balanceMinor));

    /// <summary>
    /// One booked transaction of a custom customer's history: the account moves by the signed amount, other banks
    /// (the settlement account) by the opposite.
    /// </summary>
    public static Posting History(string transactionId, string accountId, string currency, long signedMinor)
        => Create("hist-" + transactionId, PostingKinds.History, currency,
            new PostingLine(accountId, signedMinor), new PostingLine(LedgerAccounts.Settlement(currency), -signedMinor));

    /// <summary>The payer's account is debited into clearing when the payment is accepted.</summary>
    public static Posting PaymentDebit(string paymentId, string debtorAccountId, string currency, long amountMinor)
        => Create(paymentId + ":debit", PostingKinds.PaymentDebit, currency,
            new PostingLine(debtorAccountId, -Positive(amountMinor)), new PostingLine(LedgerAccounts.Clearing(currency), amountMinor));

    /// <summary>Clearing pays out to the payee's account in this bank, or to the settlement account for another bank.</summary>
    public static Posting PaymentSettlement(string paymentId, string? creditorAccountId, string currency, long amountMinor)
        => Create(paymentId + ":settle", PostingKinds.PaymentSettlement, currency,
            new PostingLine(LedgerAccounts.Clearing(currency), -Positive(amountMinor)),
            new PostingLine(creditorAccountId ?? LedgerAccounts.Settlement(currency), amountMinor));

    /// <summary>Undoes a posting with the opposite lines; the original stays as it was.</summary>
    public Posting Reversal() => Create(Id + ":reversal", PostingKinds.Reversal, Currency,
        [.. Lines.Select(l => l with { AmountMinor = -l.AmountMinor })]);

    public IEnumerable<LedgerEntry> Entries(Guid tenantId, string? paymentId, DateTime at) => Lines.Select(l => new LedgerEntry
    {
        TenantId = tenantId,
        PostingId = Id,
        Kind = Kind,
        LedgerAccount = l.LedgerAccount,
        Currency = Currency,
        AmountMinor = l.AmountMinor,
        PaymentId = paymentId,
        CreatedAt = at,
    });

    private static long Positive(long amountMinor)
        => amountMinor > 0 ? amountMinor : throw new ArgumentOutOfRangeException(nameof(amountMinor), "A payment moves a positive amount.");
}

/// <summary>An account may go below zero only as far as its arranged limit.</summary>
public static class Overdraft
{
    public static bool Allows(long balanceMinor, long creditLimitMinor, long debitMinor)
        => debitMinor > 0 && balanceMinor - debitMinor >= -creditLimitMinor;
}
