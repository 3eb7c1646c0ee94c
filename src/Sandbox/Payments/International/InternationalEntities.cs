using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Payments.International;

/// <summary>
/// A partner's request to pay once from a customer's account to a payee abroad (OBWriteInternationalConsent5), in
/// the one consent lifecycle. The Initiation and Risk are kept as the JSON the partner sent (every response echoes
/// them; the payment must equal them); what the bank decides or enforces is kept as columns: the currencies, the rate
/// quoted (and until when), the contract, the charges.
/// </summary>
public sealed class InternationalPaymentConsent : IConsent
{
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    public required string ClientId { get; set; }
    public PaymentConsentStatus Status { get; set; }
    public ApiVersion ApiVersion { get; set; }
    public DateTimeOffset CreationDateTime { get; set; }
    public DateTimeOffset StatusUpdateDateTime { get; set; }
    public required string InitiationJson { get; set; }
    public required string RiskJson { get; set; }
    public string? AuthorisationJson { get; set; }
    public string? ScaSupportDataJson { get; set; }
    public string? ReadRefundAccount { get; set; }

    /// <summary>Initiation.InstructedAmount, in minor units of <see cref="InstructedCurrency"/> (ISO 4217 exponent).</summary>
    public long InstructedAmountMinor { get; set; }
    public required string InstructedCurrency { get; set; }
    /// <summary>The currency the payee's bank is sent (Initiation.CurrencyOfTransfer).</summary>
    public required string CurrencyOfTransfer { get; set; }
    /// <summary>The payer's account currency: from UnitCurrency, a named DebtorAccount or the instructed currency; else set when the customer picks the account.</summary>
    public string? DebtorCurrency { get; set; }
    /// <summary>BorneByDebtor, BorneByCreditor, Shared or FollowingServiceLevel, as resolved (Shared when the partner sent none).</summary>
    public required string ChargeBearer { get; set; }
    public string? LocalInstrument { get; set; }
    /// <summary>Normal or Urgent.</summary>
    public string? InstructionPriority { get; set; }
    public string? DestinationCountryCode { get; set; }
    /// <summary>Creditor.Name when given, else CreditorAccount.Name: the name screened and shown.</summary>
    public required string CreditorName { get; set; }
    public required string CreditorSchemeName { get; set; }
    public required string CreditorIdentification { get; set; }
    public string? CreditorAgentSchemeName { get; set; }
    public string? CreditorAgentIdentification { get; set; }
    public string? Reference { get; set; }
    public string? DebtorSchemeName { get; set; }
    public string? DebtorIdentification { get; set; }
    public string? CustomerId { get; set; }
    public string? DebtorAccountId { get; set; }

    /// <summary>Actual, Agreed or Indicative as requested; null when the request had no ExchangeRateInformation.</summary>
    public string? RateType { get; set; }
    /// <summary>The ExchangeRate the partner sent (Agreed only): units of CurrencyOfTransfer per one unit of the debtor currency.</summary>
    public decimal? AgreedRate { get; set; }
    /// <summary>The FX contract named by an Agreed request.</summary>
    public string? ContractId { get; set; }
    /// <summary>The customer rate quoted in the consent response (the bank's spread applied) and the mid rate behind it.</summary>
    public decimal? QuotedRate { get; set; }
    public decimal? QuotedMidRate { get; set; }
    public DateTimeOffset? QuotedAt { get; set; }
    /// <summary>An Actual quote holds until then on the tenant's clock; a payment after it is refused.</summary>
    public DateTimeOffset? QuoteExpiresAt { get; set; }
    /// <summary>The Charges[] of the consent response, as computed when the debit currency became known.</summary>
    public string? ChargesJson { get; set; }

    public int Version { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    public ConsentKind Kind => ConsentKind.InternationalPayment;

    ConsentStatus IConsent.Status
    {
        get => (ConsentStatus)Status;
        set => Status = Enum.IsDefined((PaymentConsentStatus)value)
            ? (PaymentConsentStatus)value
            : throw new InvalidOperationException($"An international payment consent is never {value}.");
    }

    /// <summary>A payment consent has no expiry of its own (the quote's expiry is the rate's, not the consent's).</summary>
    DateTimeOffset? IConsent.ExpirationDateTime => null;

    OutboxResource IStatusTracked.Resource => OutboxResource.InternationalPaymentConsent;

    string IStatusTracked.StatusName => ((ConsentStatus)Status).ToString();

    void IStatusTracked.StampStatusUpdate(DateTimeOffset now) => StatusUpdateDateTime = Timestamps.WholeSeconds(now);

    public static string NewId() => ConsentKinds.NewId(ConsentKind.InternationalPayment);
}

/// <summary>
/// What an international payment carries beyond its <see cref="DomesticPayment"/> row (Kind = International, same id;
/// that row's AmountMinor and Currency are the total taken from the payer, in the account's currency, so risk,
/// velocity and funds checks read one currency): the conversion and the charges.
/// </summary>
public sealed class InternationalTransfer
{
    public required string PaymentId { get; set; }
    public Guid TenantId { get; set; }
    public required string ConsentId { get; set; }
    /// <summary>The payer's account currency.</summary>
    public required string DebitCurrency { get; set; }
    /// <summary>The principal taken from the payer (before the payer's fees), in the debit currency.</summary>
    public long PrincipalMinor { get; set; }
    /// <summary>The fees the payer bears, in the debit currency.</summary>
    public long DebtorFeeMinor { get; set; }
    public required string TransferCurrency { get; set; }
    /// <summary>The principal converted into the transfer currency (before fees deducted from it).</summary>
    public long TransferMinor { get; set; }
    /// <summary>The fees deducted from what is sent, in the transfer currency.</summary>
    public long DeductedFeeMinor { get; set; }
    /// <summary>What reaches the payee's bank: TransferMinor − DeductedFeeMinor.</summary>
    public long SentMinor { get; set; }
    /// <summary>Null for a payment without conversion (the debit currency is the transfer currency).</summary>
    public string? RateType { get; set; }
    public decimal? ExchangeRate { get; set; }
    public decimal? MidRate { get; set; }
    /// <summary>When the rate applied was taken (the quote, the contract, or the debit for an Indicative rate).</summary>
    public DateTimeOffset? RateAt { get; set; }
    public string? ContractId { get; set; }
    public required string ChargeBearer { get; set; }
    /// <summary>Charges[] of the payment response.</summary>
    public required string ChargesJson { get; set; }
    public string? DestinationCountryCode { get; set; }
    /// <summary>What cross-border screening found (shown to the bank's reviewer and the partner in words).</summary>
    public string? ScreeningJson { get; set; }

    public static string NewPaymentId() => "ip-" + Guid.CreateVersion7().ToString("N");
}
