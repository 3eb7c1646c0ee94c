using System.Globalization;
using System.Text.Json;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Fx;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Pipeline;

namespace OpenBanking.Sandbox.Payments.International;

/// <summary>ExchangeRateInformation as the partner sent it.</summary>
public sealed record ExchangeRateRequest(string RateType, string UnitCurrency, decimal? ExchangeRate, string? ContractIdentification);

/// <summary>A validated OBWriteInternationalConsent5: the Initiation and Risk as sent, and what the bank reads from them.</summary>
public sealed record InternationalConsentRequest(
    JsonElement Initiation,
    JsonElement Risk,
    JsonElement? Authorisation,
    JsonElement? ScaSupportData,
    string? ReadRefundAccount,
    long InstructedMinor,
    string InstructedCurrency,
    string CurrencyOfTransfer,
    string ChargeBearer,
    string? LocalInstrument,
    string? InstructionPriority,
    string? DestinationCountryCode,
    string CreditorName,
    AccountReference Creditor,
    string? AgentSchemeName,
    string? AgentIdentification,
    IReadOnlyList<string> AddressCountries,
    AccountReference? Debtor,
    string? Reference,
    ExchangeRateRequest? ExchangeRate);

/// <summary>
/// The request bodies of the international payments API, validated for either version (what differs is the version's
/// <see cref="IInternationalWire"/>): every problem at once, each with its path, in the version's codes.
/// </summary>
public static class InternationalRequests
{
    public const string Path = "Data.Initiation";
    public const string EriPath = Path + ".ExchangeRateInformation";

    /// <summary>The namespaced local instruments of both versions' lists.</summary>
    public static readonly string[] KnownLocalInstruments =
    [
        "UK.OBIE.BACS", "UK.OBIE.BalanceTransfer", "UK.OBIE.CHAPS", "UK.OBIE.Euro1", "UK.OBIE.FPS", "UK.OBIE.Link", "UK.OBIE.MoneyTransfer",
        "UK.OBIE.Paym", "UK.OBIE.SEPACreditTransfer", "UK.OBIE.SEPAInstantCreditTransfer", "UK.OBIE.SWIFT", "UK.OBIE.Target2",
    ];

    /// <summary>The instruments this bank pays abroad through; the SEPA ones and TARGET2 for euro only.</summary>
    public static readonly string[] SupportedLocalInstruments = ["UK.OBIE.SWIFT", "UK.OBIE.SEPACreditTransfer", "UK.OBIE.SEPAInstantCreditTransfer", "UK.OBIE.Target2"];

    private static readonly string[] EuroOnly = ["UK.OBIE.SEPACreditTransfer", "UK.OBIE.SEPAInstantCreditTransfer", "UK.OBIE.Target2"];

    private static readonly string[] CreditorSchemes = ["UK.OBIE.IBAN", "UK.OBIE.SortCodeAccountNumber", "UK.OBIE.BBAN"];

    private static readonly string[] RefusedSchemes = ["UK.OBIE.PAN", "UK.OBIE.Paym", "UK.OBIE.Wallet"];

    public static InternationalConsentRequest ParseConsent(JsonElement root, IInternationalWire wire, IFxDesk desk)
    {
        RequireObject(root);
        var v = new ObieValidator();
        v.Only(root, "", "Data", "Risk");
        var risk = wire.Risk(v, root);
        if (v.Object(root, "Data", "Data", required: true, "ReadRefundAccount", "Initiation", "Authorisation", "SCASupportData") is not { } data)
        {
            v.ThrowIfAny();
            throw new InvalidOperationException("unreachable");
        }

        var readRefund = v.Enum(data, "ReadRefundAccount", "Data.ReadRefundAccount", required: false, "No", "Yes");
        var authorisation = PaymentConsentRules.Authorisation(v, data);
        var sca = PaymentConsentRules.ScaSupportData(v, data, closed: wire.ClosedScaSupportData);
        if (v.Object(data, "Initiation", Path, required: true, wire.InitiationFields(payment: false)) is not { } i)
        {
            v.ThrowIfAny();
            throw new InvalidOperationException("unreachable");
        }

        v.String(i, "InstructionIdentification", Path + ".InstructionIdentification", required: true, 35);
        v.String(i, "EndToEndIdentification", Path + ".EndToEndIdentification", required: true, 35);
        v.String(i, "Purpose", Path + ".Purpose", required: false, 4);
        v.String(i, "ExtendedPurpose", Path + ".ExtendedPurpose", required: false, 140);
        var priority = v.Enum(i, "InstructionPriority", Path + ".InstructionPriority", required: false, "Normal", "Urgent");
        var bearer = v.Enum(i, "ChargeBearer", Path + ".ChargeBearer", required: false, InternationalPricing.Bearers) ?? "Shared";

        var transfer = Currency(v, i, "CurrencyOfTransfer", Path + ".CurrencyOfTransfer", required: true, desk);
        var instrument = LocalInstrument(v, i, transfer);
        var destination = v.String(i, "DestinationCountryCode", Path + ".DestinationCountryCode", required: false, 2, 2);
        if (destination is not null && !destination.All(char.IsAsciiLetterUpper))
        {
            // The YAML's pattern is unanchored ([A-Z]{2,2}); an ISO 3166 alpha-2 code is what it means.
            v.Add(ObieErrorCodes.FieldInvalid, "DestinationCountryCode is an ISO 3166 code of two capital letters, e.g. DE.", Path + ".DestinationCountryCode");
            destination = null;
        }

        var amount = Amount(v, i, desk);
        var eri = ExchangeRate(v, i, desk);
        var debtor = v.Account(i, "DebtorAccount", Path + ".DebtorAccount", required: false, nameRequired: false, wire.AccountExtraFields);
        var creditor = CreditorAccount(v, i, wire);
        var reference = wire.VersionFields(v, i, Path);
        var countries = new List<string>();
        string? creditorName = null, agentScheme = null, agentId = null;
        if (i.TryGetProperty("Creditor", out var c) && c.ValueKind == JsonValueKind.Object)
        {
            creditorName = c.TryGetProperty("Name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            Country(c, countries);
        }

        if (i.TryGetProperty("CreditorAgent", out var agent) && agent.ValueKind == JsonValueKind.Object)
        {
            agentScheme = agent.TryGetProperty("SchemeName", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            agentId = agent.TryGetProperty("Identification", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            var named = agent.TryGetProperty("Name", out _) && agent.TryGetProperty("PostalAddress", out _);
            if (!(agentScheme is not null && agentId is not null) && !named)
            {
                // The prose: "CreditorAgent must at least have either of the pairs provided".
                v.Add(ObieErrorCodes.FieldExpected, "CreditorAgent needs SchemeName and Identification, or Name and PostalAddress.", Path + ".CreditorAgent");
            }

            Country(agent, countries);
        }

        v.Object(i, "SupplementaryData", Path + ".SupplementaryData", required: false);
        v.ThrowIfAny();
        return new InternationalConsentRequest(i.Clone(), risk!.Value.Clone(), authorisation?.Clone(), sca?.Clone(), readRefund, amount!.Value.Minor,
            amount.Value.Currency, transfer!, bearer, instrument, priority, destination, creditorName ?? creditor!.Name!, creditor!, agentScheme, agentId,
            countries, debtor, reference, eri);
    }

    /// <summary>OBWriteInternational3: which consent, and the Initiation and Risk (compared with the consent's as values).</summary>
    public static PaymentInstruction ParsePayment(JsonElement root, IInternationalWire wire)
    {
        RequireObject(root);
        var v = new ObieValidator();
        v.Only(root, "", "Data", "Risk");
        var risk = wire.Risk(v, root);
        string? consentId = null;
        JsonElement? initiation = null;
        if (v.Object(root, "Data", "Data", required: true, "ConsentId", "Initiation") is { } data)
        {
            consentId = v.String(data, "ConsentId", "Data.ConsentId", required: true, 128);
            initiation = v.Object(data, "Initiation", Path, required: true, wire.InitiationFields(payment: true));
        }

        v.ThrowIfAny();
        return new PaymentInstruction(consentId!, initiation!.Value.Clone(), risk!.Value.Clone());
    }

    private static string? Currency(ObieValidator v, JsonElement parent, string name, string path, bool required, IFxDesk desk)
    {
        var currency = v.String(parent, name, path, required, 3, 3);
        if (currency is null)
        {
            return null;
        }

        if (!Currencies.IsWellFormed(currency))
        {
            v.Add(ObieErrorCodes.FieldInvalid, $"{name} must be an ISO 4217 code of three capital letters.", path);
            return null;
        }

        if (!desk.Trades(currency))
        {
            v.Add(ObieErrorCodes.UnsupportedCurrency, $"The bank's FX desk does not trade {currency}; it trades {string.Join(", ", desk.Currencies)}.", path);
            return null;
        }

        return currency;
    }

    private static (long Minor, string Currency)? Amount(ObieValidator v, JsonElement initiation, IFxDesk desk)
    {
        const string path = Path + ".InstructedAmount";
        if (v.Object(initiation, "InstructedAmount", path, required: true, "Amount", "Currency") is not { } instructed)
        {
            return null;
        }

        var text = v.String(instructed, "Amount", path + ".Amount", required: true, 19);
        var currency = Currency(v, instructed, "Currency", path + ".Currency", required: true, desk);
        if (text is null || currency is null)
        {
            return null;
        }

        if (!Currencies.TryParseAmount(text, currency, out var minor))
        {
            var exponent = Currencies.Exponent(currency);
            v.Add(ObieErrorCodes.FieldInvalid,
                $"Amount must be a positive amount with at most {exponent} decimal{(exponent == 1 ? string.Empty : "s")} for {currency} (ISO 4217), e.g. \"{Money.Format(10 * Currencies.MinorPerMajor(currency), currency)}\".",
                path + ".Amount");
            return null;
        }

        return (minor, currency);
    }

    /// <summary>ExchangeRateInformation and the rate type's rules (Agreed needs both, Actual and Indicative neither).</summary>
    private static ExchangeRateRequest? ExchangeRate(ObieValidator v, JsonElement initiation, IFxDesk desk)
    {
        if (v.Object(initiation, "ExchangeRateInformation", EriPath, required: false, "UnitCurrency", "ExchangeRate", "RateType", "ContractIdentification") is not { } eri)
        {
            return null;
        }

        var unit = Currency(v, eri, "UnitCurrency", EriPath + ".UnitCurrency", required: true, desk);
        var type = v.Enum(eri, "RateType", EriPath + ".RateType", required: true, "Actual", "Agreed", "Indicative");
        var contract = v.String(eri, "ContractIdentification", EriPath + ".ContractIdentification", required: false, 256);
        decimal? rate = null;
        if (eri.TryGetProperty("ExchangeRate", out var r))
        {
            if (r.ValueKind != JsonValueKind.Number || !r.TryGetDecimal(out var value))
            {
                v.Add(ObieErrorCodes.FieldInvalid, "ExchangeRate must be a JSON number, e.g. 1.164313.", EriPath + ".ExchangeRate");
            }
            else if (value <= 0)
            {
                v.Add(ObieErrorCodes.FieldInvalid, "ExchangeRate must be greater than zero.", EriPath + ".ExchangeRate");
            }
            else
            {
                rate = value;
            }
        }

        if (type == "Agreed")
        {
            if (!eri.TryGetProperty("ExchangeRate", out _))
            {
                v.Add(ObieErrorCodes.FieldExpected, "ExchangeRate must be specified with the Agreed RateType (the contract's rate).", EriPath + ".ExchangeRate");
            }

            if (!eri.TryGetProperty("ContractIdentification", out _))
            {
                v.Add(ObieErrorCodes.FieldExpected, "ContractIdentification must be specified with the Agreed RateType (book one at /sandbox/v1/fx-contracts).",
                    EriPath + ".ContractIdentification");
            }
        }
        else if (type is not null)
        {
            foreach (var field in new[] { "ExchangeRate", "ContractIdentification" }.Where(f => eri.TryGetProperty(f, out _)))
            {
                v.Add(ObieErrorCodes.FieldUnexpected, $"{field} must not be specified with the {type} RateType: the bank quotes the rate.", $"{EriPath}.{field}");
            }
        }

        return unit is null || type is null ? null : new ExchangeRateRequest(type, unit, rate, contract);
    }

    private static string? LocalInstrument(ObieValidator v, JsonElement initiation, string? transfer)
    {
        const string path = Path + ".LocalInstrument";
        if (v.String(initiation, "LocalInstrument", path, required: false, 50) is not { } instrument)
        {
            return null;
        }

        if (!SupportedLocalInstruments.Contains(instrument, StringComparer.Ordinal))
        {
            v.Add(ObieErrorCodes.UnsupportedLocalInstrument,
                $"{instrument} is not offered for payments abroad; use {string.Join(", ", SupportedLocalInstruments)}.", path);
            return null;
        }

        if (transfer is not null && transfer != "EUR" && EuroOnly.Contains(instrument, StringComparer.Ordinal))
        {
            v.Add(ObieErrorCodes.UnsupportedLocalInstrument, $"{instrument} carries euro only; use UK.OBIE.SWIFT for {transfer}.", path);
            return null;
        }

        return instrument;
    }

    private static AccountReference? CreditorAccount(ObieValidator v, JsonElement initiation, IInternationalWire wire)
    {
        const string path = Path + ".CreditorAccount";
        if (v.Object(initiation, "CreditorAccount", path, required: true, ["SchemeName", "Identification", "Name", "SecondaryIdentification", .. wire.AccountExtraFields]) is not { } account)
        {
            return null;
        }

        var scheme = v.String(account, "SchemeName", path + ".SchemeName", required: true, 40);
        var identification = v.String(account, "Identification", path + ".Identification", required: true, 256);
        var name = v.String(account, "Name", path + ".Name", required: true, 350);
        var secondary = v.String(account, "SecondaryIdentification", path + ".SecondaryIdentification", required: false, 34);
        if (scheme is not null && !CreditorSchemes.Contains(scheme, StringComparer.Ordinal))
        {
            v.Add(ObieErrorCodes.UnsupportedScheme, RefusedSchemes.Contains(scheme, StringComparer.Ordinal)
                ? $"{scheme} is not a scheme payments abroad are sent to; use {string.Join(", ", CreditorSchemes)}."
                : $"Unknown scheme {scheme}; use {string.Join(", ", CreditorSchemes)}.", path + ".SchemeName");
            return null;
        }

        return scheme is null || identification is null || name is null ? null : new AccountReference(scheme, identification, name, secondary);
    }

    private static void Country(JsonElement party, List<string> countries)
    {
        if (party.TryGetProperty("PostalAddress", out var address) && address.ValueKind == JsonValueKind.Object
            && address.TryGetProperty("Country", out var country) && country.ValueKind == JsonValueKind.String && country.GetString() is { Length: 2 } code)
        {
            countries.Add(code);
        }
    }

    private static void RequireObject(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidFormat, "The body must be a JSON object with Data and Risk."));
        }
    }

    /// <summary>A rate as the wire shows it: a JSON number with up to six decimal places.</summary>
    public static decimal Rate(decimal rate) => Math.Round(rate, 6, MidpointRounding.ToEven);

    public static string RateText(decimal rate) => Rate(rate).ToString("0.######", CultureInfo.InvariantCulture);
}
