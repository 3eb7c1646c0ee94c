using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Accounts;

// Response shapes of the Account and Transaction API that v3.1.11 and v4.0 share: the same members, only some of their
// codes differ (AisCodes). Each version's own shapes (accounts, direct debits, standing orders) live in its folder. Null members are
// left out of the JSON (the serializer ignores nulls), which is how Basic permissions hide Detail fields.

public sealed record ObCashAccount(string SchemeName, string Identification, string? Name = null, string? SecondaryIdentification = null);

public sealed record ObCreditLine(bool Included, string Type, ObAmount Amount);

public sealed record ObBalance(
    string AccountId, string CreditDebitIndicator, string Type, DateTimeOffset DateTime, ObAmount Amount,
    IReadOnlyList<ObCreditLine>? CreditLine);

public sealed record ObBankTransactionCode(string Code, string SubCode);

public sealed record ObProprietaryCode(string Code, string? Issuer);

public sealed record ObTransactionBalance(string CreditDebitIndicator, string Type, ObAmount Amount);

public sealed record ObMerchantDetails(string? MerchantName, string? MerchantCategoryCode);

public sealed record ObCardInstrument(string CardSchemeName, string? AuthorisationType, string? Identification);

public sealed record ObTransaction(
    string AccountId, string TransactionId, string? TransactionReference, string CreditDebitIndicator, string Status,
    string TransactionMutability, DateTimeOffset BookingDateTime, DateTimeOffset ValueDateTime,
    string? TransactionInformation, ObAmount Amount, ObBankTransactionCode BankTransactionCode,
    ObProprietaryCode ProprietaryBankTransactionCode, ObTransactionBalance? Balance, ObMerchantDetails? MerchantDetails,
    ObCashAccount? CreditorAccount, ObCashAccount? DebtorAccount, ObCardInstrument? CardInstrument,
    ObAmount? ChargeAmount = null, ObCurrencyExchange? CurrencyExchange = null);

/// <summary>
/// OBCurrencyExchange5 (the same in both versions; Basic): a payment abroad's conversion — ExchangeRate is units of
/// TargetCurrency per one UnitCurrency (= SourceCurrency, the account's), InstructedAmount as the partner sent it.
/// </summary>
public sealed record ObCurrencyExchange(
    string SourceCurrency, string? TargetCurrency, string? UnitCurrency, decimal ExchangeRate, string? ContractIdentification,
    DateTimeOffset? QuotationDate, ObAmount? InstructedAmount);

public sealed record ObBeneficiary(string AccountId, string BeneficiaryId, string BeneficiaryType, string? Reference, ObCashAccount? CreditorAccount);

public sealed record ObScheduledPayment(
    string AccountId, string ScheduledPaymentId, DateTimeOffset ScheduledPaymentDateTime, string ScheduledType,
    string? Reference, ObAmount InstructedAmount, ObCashAccount? CreditorAccount);

public sealed record ObStatementAmount(string CreditDebitIndicator, string Type, ObAmount Amount);

public sealed record ObStatement(
    string AccountId, string StatementId, string StatementReference, string Type, DateTimeOffset StartDateTime,
    DateTimeOffset EndDateTime, DateTimeOffset CreationDateTime, IReadOnlyList<string> StatementDescription,
    IReadOnlyList<ObStatementAmount>? StatementAmount);

public sealed record ObProduct(string AccountId, string ProductId, string ProductName, string ProductType);

/// <summary>v3.1.11's OBPostalAddress6 and v4.0's OBPostalAddress7 agree on every member the bank fills; only the address type's code differs.</summary>
public sealed record ObPostalAddress(string AddressType, IReadOnlyList<string>? AddressLine, string? PostCode, string? TownName, string Country);

public sealed record ObParty(
    string PartyId, string PartyType, string Name, string? FullLegalName, string? AccountRole, string? EmailAddress,
    string? Mobile, IReadOnlyList<ObPostalAddress> Address);

public sealed record ObOffer(
    string AccountId, string OfferId, string OfferType, string Description, DateTimeOffset StartDateTime,
    DateTimeOffset EndDateTime, string? Rate, ObAmount? Amount);

// The Data block of each resource: one member, named as the specification names the resource.

public sealed record BalanceData(IReadOnlyList<ObBalance> Balance);

public sealed record TransactionData(IReadOnlyList<ObTransaction> Transaction);

public sealed record BeneficiaryData(IReadOnlyList<ObBeneficiary> Beneficiary);

public sealed record ScheduledPaymentData(IReadOnlyList<ObScheduledPayment> ScheduledPayment);

public sealed record StatementData(IReadOnlyList<ObStatement> Statement);

public sealed record ProductData(IReadOnlyList<ObProduct> Product);

public sealed record OfferData(IReadOnlyList<ObOffer> Offer);

/// <summary>One party: <c>/party</c> and <c>/accounts/{id}/party</c>.</summary>
public sealed record PartyData(ObParty Party);

/// <summary>Several parties: <c>/accounts/{id}/parties</c>.</summary>
public sealed record PartiesData(IReadOnlyList<ObParty> Party);

/// <summary>The envelope of every account-information response: <c>Data</c>, <c>Links</c>, <c>Meta</c>.</summary>
public sealed record AisResponse<TData>(TData Data, Links Links, Meta Meta);
