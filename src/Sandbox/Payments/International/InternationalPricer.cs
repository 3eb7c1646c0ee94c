using System.Text.Json;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Fx;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Screening;

namespace OpenBanking.Sandbox.Payments.International;

/// <summary>A rate a payment converts at: the customer rate, the mid behind it, and when it was taken.</summary>
public sealed record AppliedRate(decimal Rate, decimal MidRate, DateTimeOffset At);

/// <summary>
/// An international consent's amounts at a moment: the rate its RateType gives (Actual: the quote; Agreed: the
/// contract's; Indicative or none: the desk's rate now) and the charges of the tenant's tariff for its bearer.
/// </summary>
public sealed class InternationalPricer(IFxDesk desk, IFxContracts contracts, IChargeTariff tariff, IConfiguration configuration)
{
    /// <summary>How long an Actual quote holds on the tenant's clock (<c>Fx:ActualQuoteValidity</c>, 60 s unless configured).</summary>
    public TimeSpan ActualValidity => configuration.GetValue<TimeSpan?>("Fx:ActualQuoteValidity") ?? TimeSpan.FromSeconds(60);

    public IFxDesk Desk => desk;

    public IFxContracts Contracts => contracts;

    public IChargeTariff Tariff => tariff;

    /// <summary>The rate of a payment from <paramref name="debitCurrency"/> made now; null when nothing is converted.</summary>
    public async Task<AppliedRate?> RateAsync(InternationalPaymentConsent consent, string debitCurrency, DateTimeOffset now, CancellationToken ct)
    {
        if (debitCurrency == consent.CurrencyOfTransfer)
        {
            return null;
        }

        if (consent.RateType is "Actual" or "Agreed" && consent is { QuotedRate: { } rate, QuotedMidRate: { } mid, QuotedAt: { } at } && consent.DebtorCurrency == debitCurrency)
        {
            return new AppliedRate(rate, mid, at);
        }

        var quote = await desk.QuoteAsync(consent.TenantId, debitCurrency, consent.CurrencyOfTransfer, now, ct);
        return new AppliedRate(quote.Rate, quote.MidRate, now);
    }

    public async Task<(InternationalPrice Price, AppliedRate? Rate)> PriceAsync(
        InternationalPaymentConsent consent, string debitCurrency, DateTimeOffset now, CancellationToken ct)
    {
        var rate = await RateAsync(consent, debitCurrency, now, ct);
        var fees = await tariff.FeesAsync(consent.TenantId, debitCurrency, consent.CurrencyOfTransfer, consent.LocalInstrument,
            consent.InstructionPriority == "Urgent", ct);
        return (InternationalPricing.Price(consent.InstructedAmountMinor, consent.InstructedCurrency, debitCurrency, consent.CurrencyOfTransfer,
            rate?.Rate, rate?.MidRate, fees, consent.ChargeBearer), rate);
    }

    /// <summary>Why an Agreed consent's contract cannot be used now (gone or expired), or null.</summary>
    public async Task<ObError?> ContractProblemAsync(InternationalPaymentConsent consent, DateTimeOffset now, CancellationToken ct)
    {
        if (consent.ContractId is not { } id)
        {
            return null;
        }

        var contract = await contracts.FindAsync(consent.TenantId, id, ct);
        return contract is null || contract.ExpiresAt <= now.UtcDateTime
            ? new ObError(ObieErrorCodes.FieldInvalid, $"The FX contract {id} has expired; book a new one and create a new consent.",
                InternationalRequests.EriPath + ".ContractIdentification")
            : null;
    }

    /// <summary>The payee as screening sees it, from the consent (the address countries from its Initiation).</summary>
    public static CreditorDetails Creditor(InternationalPaymentConsent consent)
    {
        var countries = new List<string>();
        using var initiation = JsonDocument.Parse(consent.InitiationJson);
        foreach (var party in new[] { "Creditor", "CreditorAgent" })
        {
            if (initiation.RootElement.TryGetProperty(party, out var p) && p.ValueKind == JsonValueKind.Object
                && p.TryGetProperty("PostalAddress", out var address) && address.ValueKind == JsonValueKind.Object
                && address.TryGetProperty("Country", out var country) && country.ValueKind == JsonValueKind.String)
            {
                countries.Add(country.GetString()!);
            }
        }

        return new CreditorDetails(consent.CreditorName, consent.CreditorSchemeName, consent.CreditorIdentification, consent.CreditorAgentSchemeName,
            consent.CreditorAgentIdentification, consent.DestinationCountryCode, countries, consent.CurrencyOfTransfer, consent.LocalInstrument);
    }

    /// <summary>
    /// The documented scenario an international payment triggers: the payee names, or the InstructedAmount's value
    /// 9.91 to 9.95 (whatever its currency's decimals: 9.910 BHD counts; a JPY amount cannot, use a name).
    /// </summary>
    public static Scenario Scenario(InternationalPaymentConsent consent)
    {
        var major = Currencies.ToMajor(consent.InstructedAmountMinor, consent.InstructedCurrency) * 100m;
        return Scenarios.Match(major == decimal.Truncate(major) ? (long)major : -1, consent.CreditorName);
    }
}
