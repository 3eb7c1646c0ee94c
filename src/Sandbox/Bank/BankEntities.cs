namespace OpenBanking.Sandbox.Bank;

// The sandbox bank's data. Every row belongs to one tenant (a partner organisation's private bank). Amounts are
// integer minor units (pence, cents); time stamps are UTC DateTime so that SQLite can index and compare them.

/// <summary>A test customer of a tenant's bank; signs in during the consent journey.</summary>
public sealed class Customer
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    /// <summary>The documented username (alice, bob, …), the same in every tenant.</summary>
    public required string Username { get; set; }
    public required string Persona { get; set; }
    public required string Name { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? AddressLine { get; set; }
    public string? TownName { get; set; }
    public string? PostCode { get; set; }
    public string Country { get; set; } = "GB";
    public bool IsBusiness { get; set; }
    /// <summary>PBKDF2 hash of the customer's password (the documented "sandbox").</summary>
    public required string PasswordHash { get; set; }
    /// <summary>
    /// The last TOTP time step accepted for this customer: a code of that step or an earlier one is refused (replay).
    /// In the database, so every Sandbox instance sees it. The secret itself is derived (TotpSecrets), not stored.
    /// </summary>
    public long? LastTotpStep { get; set; }
}

public sealed class Account
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    public required string CustomerId { get; set; }
    public required string AccountType { get; set; }
    public required string AccountSubType { get; set; }
    public required string Currency { get; set; }
    public required string Description { get; set; }
    public string? Nickname { get; set; }
    public required string Name { get; set; }
    /// <summary>UK.OBIE.SortCodeAccountNumber, UK.OBIE.IBAN or UK.OBIE.PAN.</summary>
    public required string SchemeName { get; set; }
    public required string Identification { get; set; }
    public required string ProductName { get; set; }
    public DateTime OpeningDate { get; set; }
    /// <summary>Arranged overdraft or card credit limit: how far below zero the booked balance may go.</summary>
    public long CreditLimitMinor { get; set; }
    public long OpeningBalanceMinor { get; set; }
    /// <summary>The booked balance now; equals the opening balance plus every booked transaction.</summary>
    public long BookedBalanceMinor { get; set; }
    /// <summary>
    /// How many transactions (booked and pending) the account has, and how many are credits: kept with the rows so
    /// that paging an account's history never counts 100,000 rows. Whatever adds a transaction updates them.
    /// </summary>
    public int TransactionCount { get; set; }

    public int CreditTransactionCount { get; set; }

    /// <summary>Optimistic concurrency (SQLite has no rowversion): bumped by every balance change.</summary>
    public int Version { get; set; }
}

/// <summary>Whether a transaction is on the account for good or may still change. Stored as its name (a value converter).</summary>
public enum TransactionStatus
{
    Booked,
    Pending,
}

public sealed class BankTransaction
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public required string AccountId { get; set; }
    public required string TransactionId { get; set; }
    public string? Reference { get; set; }
    public bool IsCredit { get; set; }
    public required TransactionStatus Status { get; set; }
    public DateTime BookingDateTime { get; set; }
    public DateTime ValueDateTime { get; set; }
    public long AmountMinor { get; set; }
    public required string Currency { get; set; }
    public required string Information { get; set; }
    public string? MerchantName { get; set; }
    public string? MerchantCategoryCode { get; set; }
    /// <summary>ISO 20022 bank transaction code and sub-code, e.g. PMNT / ICDT-STDO.</summary>
    public required string BankCode { get; set; }
    public required string BankSubCode { get; set; }
    public required string ProprietaryCode { get; set; }
    public string? CounterpartyName { get; set; }
    public string? CounterpartySchemeName { get; set; }
    public string? CounterpartyIdentification { get; set; }
    /// <summary>Booked balance after this transaction (null while pending).</summary>
    public long? BalanceAfterMinor { get; set; }
    public string? CardPan { get; set; }

    // A payment abroad (issue 18): the conversion (AIS CurrencyExchange) and the fees included in AmountMinor (ChargeAmount).
    public string? FxSourceCurrency { get; set; }
    public string? FxTargetCurrency { get; set; }
    public string? FxUnitCurrency { get; set; }
    public decimal? FxRate { get; set; }
    public string? FxContractId { get; set; }
    public DateTimeOffset? FxQuotationDate { get; set; }
    /// <summary>Initiation.InstructedAmount as the partner sent it.</summary>
    public string? FxInstructedAmount { get; set; }
    public string? FxInstructedCurrency { get; set; }
    public long? ChargeMinor { get; set; }
    public string? ChargeCurrency { get; set; }
}

public sealed class Beneficiary
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    public required string AccountId { get; set; }
    public required string Reference { get; set; }
    public required string Name { get; set; }
    public required string SchemeName { get; set; }
    public required string Identification { get; set; }
}

public sealed class DirectDebit
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    public required string AccountId { get; set; }
    public required string MandateIdentification { get; set; }
    public required string Name { get; set; }
    public DateTime? PreviousPaymentDateTime { get; set; }
    public long? PreviousPaymentAmountMinor { get; set; }
    public required string Currency { get; set; }
    public required string Frequency { get; set; }
}

public sealed class StandingOrder
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    public required string AccountId { get; set; }
    /// <summary>OBIE frequency code, e.g. IntrvlMnthDay:01:01.</summary>
    public required string Frequency { get; set; }
    public required string Reference { get; set; }
    public DateTime FirstPaymentDateTime { get; set; }
    public DateTime NextPaymentDateTime { get; set; }
    public DateTime? LastPaymentDateTime { get; set; }
    public long AmountMinor { get; set; }
    public required string Currency { get; set; }
    public required string CreditorName { get; set; }
    public required string CreditorSchemeName { get; set; }
    public required string CreditorIdentification { get; set; }
}

public sealed class ScheduledPayment
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    public required string AccountId { get; set; }
    public required string Reference { get; set; }
    public DateTime ExecutionDateTime { get; set; }
    public long AmountMinor { get; set; }
    public required string Currency { get; set; }
    public required string CreditorName { get; set; }
    public required string CreditorSchemeName { get; set; }
    public required string CreditorIdentification { get; set; }
}

public sealed class Statement
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    public required string AccountId { get; set; }
    public DateTime StartDateTime { get; set; }
    public DateTime EndDateTime { get; set; }
    public DateTime CreationDateTime { get; set; }
    public long OpeningBalanceMinor { get; set; }
    public long ClosingBalanceMinor { get; set; }
    public long TotalCreditsMinor { get; set; }
    public long TotalDebitsMinor { get; set; }
}

public sealed class Offer
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    public required string AccountId { get; set; }
    /// <summary>BalanceTransfer, LimitIncrease, MoneyTransfer, Other, PromotionalRate.</summary>
    public required string OfferType { get; set; }
    public required string Description { get; set; }
    public long? AmountMinor { get; set; }
    public string? Rate { get; set; }
    public DateTime StartDateTime { get; set; }
    public DateTime EndDateTime { get; set; }
}
