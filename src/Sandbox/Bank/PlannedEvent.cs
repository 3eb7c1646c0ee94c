namespace OpenBanking.Sandbox.Bank;

/// <summary>
/// One thing planned to happen to an account, booked later in time order (<see cref="Booking"/>); a debit that would
/// take the account past its arranged limit is declined then.
/// </summary>
internal sealed record PlannedEvent(Account Account, DateTime When, PlannedAmount Amount, string Information, TransactionCode Code)
{
    public Counterparty? Counterparty { get; init; }

    public Merchant? Merchant { get; init; }

    /// <summary>A card authorisation not yet booked: recorded as a pending transaction, outside the balance.</summary>
    public bool Pending { get; init; }

    /// <summary>The customer's own account that receives the money (the other leg of a transfer between them).</summary>
    public OwnAccountCredit? CreditTo { get; init; }

    /// <summary>Told when and how much was paid, if the event was booked (a direct debit's last payment).</summary>
    public Action<DateTime, long>? OnBooked { get; init; }
}

/// <summary>How much an event moves: a fixed amount, or one only known at booking time from the balances of that moment.</summary>
internal abstract record PlannedAmount
{
    private PlannedAmount()
    {
    }

    /// <summary>Signed minor units: credits positive, debits negative.</summary>
    public sealed record Fixed(long SignedMinor) : PlannedAmount;

    /// <summary>A month's interest on the day's balance (none on a balance at or below zero).</summary>
    public sealed record Interest(decimal AnnualRatePercent) : PlannedAmount;

    /// <summary>Pays off the card's whole balance, as far as the paying account's limit allows.</summary>
    public sealed record SweepFrom(Account Card) : PlannedAmount;

    /// <summary>A debit sized to leave the account at exactly this (negative) balance.</summary>
    public sealed record OverdrawTo(long BalanceMinor) : PlannedAmount;
}

/// <summary>The OBIE bank transaction code, sub-code and the proprietary (BACS/FPS-style) code of a kind of transaction.</summary>
internal sealed record TransactionCode(string BankCode, string SubCode, string Proprietary, bool CarriesReference)
{
    public static readonly TransactionCode CardPayment = new("CustomerCardTransactions", "PointOfSaleDebit", "DEB", CarriesReference: false);
    public static readonly TransactionCode Salary = new("ReceivedCreditTransfers", "DomesticCreditTransfer", "BGC", CarriesReference: true);
    public static readonly TransactionCode FasterPaymentIn = new("ReceivedCreditTransfers", "DomesticCreditTransfer", "FPI", CarriesReference: true);
    public static readonly TransactionCode FasterPaymentOut = new("IssuedCreditTransfers", "DomesticCreditTransfer", "FPO", CarriesReference: true);
    public static readonly TransactionCode StandingOrder = new("IssuedCreditTransfers", "StandingOrder", "SO", CarriesReference: true);
    public static readonly TransactionCode DirectDebit = new("IssuedDirectDebits", "DirectDebitPayment", "DD", CarriesReference: true);
    public static readonly TransactionCode Interest = new("MiscellaneousCreditOperations", "Interest", "INT", CarriesReference: false);
}

internal sealed record Counterparty(string Name, string? SchemeName = null, string? Identification = null)
{
    public static Counterparty Of(Account account) => new(account.Name, account.SchemeName, account.Identification);
}

internal sealed record Merchant(string Name, string Mcc);

/// <param name="CreditMinor">What arrives, when it differs from what was paid (another currency); otherwise the amount paid.</param>
internal sealed record OwnAccountCredit(Account Account, long? CreditMinor = null);
