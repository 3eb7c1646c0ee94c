using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.Vrp;

/// <summary>Writing the VRP responses: times as the other payment responses show them, stored JSON echoed as sent.</summary>
public static class VrpJson
{
    public static string Time(DateTimeOffset value) => Timestamps.WholeSeconds(value).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    public static string Time(DateTime utc) => Time(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));

    public static JsonNode Parse(string json) => JsonNode.Parse(json)!;

    public static JsonObject Amount(long minor, string currency)
        => new() { ["Amount"] = (minor / 100m).ToString("0.00", CultureInfo.InvariantCulture), ["Currency"] = currency };
}

/// <summary>A validated OBDomesticVRPRequest: the consent, the PSU data, and Initiation, Instruction and Risk as sent.</summary>
public sealed record VrpPaymentRequest(
    string ConsentId, string PsuAuthenticationMethod, string? PsuInteractionType, string VrpType, JsonElement Initiation, JsonElement Risk,
    JsonElement Instruction, long AmountMinor, string Currency, AccountReference Creditor, string? Reference, string? LocalInstrument);

/// <summary>The request bodies of the VRP API, validated for either version (what differs is the version's <see cref="IVrpWire"/>).</summary>
public static partial class VrpRequests
{
    private static readonly string[] ControlFields =
    [
        "ValidFromDateTime", "ValidToDateTime", "MaximumIndividualAmount", "PeriodicLimits", "VRPType", "PSUAuthenticationMethods",
        "PSUInteractionTypes", "SupplementaryData",
    ];

    /// <summary>OBDomesticVRPConsentRequest, into a consent awaiting authorisation.</summary>
    public static DomesticVrpConsent ParseConsent(JsonElement root, IVrpWire wire, DateTimeOffset now)
    {
        RequireObject(root);
        var v = new ObieValidator();
        v.Only(root, "", "Data", "Risk");
        var risk = wire.Risk(v, root);
        var data = v.Object(root, "Data", "Data", required: true, "ReadRefundAccount", "ControlParameters", "Initiation");
        if (data is not { } d)
        {
            v.ThrowIfAny();
            throw new InvalidOperationException();
        }

        var refund = v.Enum(d, "ReadRefundAccount", "Data.ReadRefundAccount", required: false, wire.ReadRefundAccount);
        var controls = v.Object(d, "ControlParameters", "Data.ControlParameters", required: true, ControlFields);
        var initiation = Initiation(v, d, wire);
        string? currency = null;
        long maximum = 0;
        if (controls is { } c)
        {
            const string path = "Data.ControlParameters";
            var from = v.DateTime(c, "ValidFromDateTime", path + ".ValidFromDateTime");
            var to = v.DateTime(c, "ValidToDateTime", path + ".ValidToDateTime");
            if (from is { } f && to is { } t && t <= f)
            {
                v.Add(ObieErrorCodes.FieldInvalidDate, "ValidToDateTime must be after ValidFromDateTime.", path + ".ValidToDateTime");
            }

            if (to is { } end && end <= now)
            {
                v.Add(ObieErrorCodes.FieldInvalidDate, "ValidToDateTime is in the past.", path + ".ValidToDateTime");
            }

            if (v.Amount(c, path + ".MaximumIndividualAmount", "MaximumIndividualAmount") is { } max)
            {
                (maximum, currency) = (max.Minor, max.Currency);
            }

            Codes(v, c, "VRPType", path, VrpControls.Types, required: true);
            Codes(v, c, "PSUAuthenticationMethods", path, VrpControls.Methods, required: true);
            Codes(v, c, "PSUInteractionTypes", path, VrpControls.Interactions, required: false);
            Limits(v, c, path + ".PeriodicLimits", currency);
        }

        v.ThrowIfAny();
        var creditor = initiation!.Value.TryGetProperty("CreditorAccount", out var ca) ? ca : (JsonElement?)null;
        var debtor = initiation.Value.TryGetProperty("DebtorAccount", out var da) ? da : (JsonElement?)null;
        return new DomesticVrpConsent
        {
            Id = DomesticVrpConsent.NewId(),
            ClientId = string.Empty,
            ControlParametersJson = controls!.Value.GetRawText(),
            InitiationJson = initiation.Value.GetRawText(),
            RiskJson = risk!.Value.GetRawText(),
            ReadRefundAccount = refund,
            Currency = currency!,
            MaximumIndividualAmountMinor = maximum,
            ValidFromDateTime = Optional(controls.Value, "ValidFromDateTime"),
            ValidToDateTime = Optional(controls.Value, "ValidToDateTime"),
            CreditorSchemeName = creditor?.GetProperty("SchemeName").GetString(),
            CreditorIdentification = creditor?.GetProperty("Identification").GetString(),
            CreditorName = creditor is { } cr && cr.TryGetProperty("Name", out var name) ? name.GetString() : null,
            DebtorSchemeName = debtor?.GetProperty("SchemeName").GetString(),
            DebtorIdentification = debtor?.GetProperty("Identification").GetString(),
        };
    }

    /// <summary>OBDomesticVRPRequest.</summary>
    public static VrpPaymentRequest ParsePayment(JsonElement root, IVrpWire wire)
    {
        RequireObject(root);
        var v = new ObieValidator();
        v.Only(root, "", "Data", "Risk");
        var risk = wire.Risk(v, root);
        var data = v.Object(root, "Data", "Data", required: true,
            "ConsentId", "PSUAuthenticationMethod", "PSUInteractionType", "VRPType", "Initiation", "Instruction");
        if (data is not { } d)
        {
            v.ThrowIfAny();
            throw new InvalidOperationException();
        }

        var consentId = v.String(d, "ConsentId", "Data.ConsentId", required: true, 128);
        var method = v.Enum(d, "PSUAuthenticationMethod", "Data.PSUAuthenticationMethod", required: true, VrpControls.Methods);
        var interaction = v.Enum(d, "PSUInteractionType", "Data.PSUInteractionType", required: false, VrpControls.Interactions);
        var type = v.Enum(d, "VRPType", "Data.VRPType", required: true, VrpControls.Types);
        var initiation = Initiation(v, d, wire);
        const string path = "Data.Instruction";
        var instruction = v.Object(d, "Instruction", path, required: true,
            "InstructionIdentification", "EndToEndIdentification", "RemittanceInformation", "LocalInstrument", "InstructedAmount",
            "CreditorPostalAddress", "CreditorAccount", "UltimateCreditor", "SupplementaryData");
        (long Minor, string Amount, string Currency)? amount = null;
        AccountReference? creditor = null;
        string? reference = null;
        string? instrument = null;
        if (instruction is { } i)
        {
            v.String(i, "InstructionIdentification", path + ".InstructionIdentification", required: true, 35);
            v.String(i, "EndToEndIdentification", path + ".EndToEndIdentification", required: true, 35);
            instrument = v.Enum(i, "LocalInstrument", path + ".LocalInstrument", required: false, PaymentConsentTerms.SupportedLocalInstruments);
            amount = v.Amount(i, path + ".InstructedAmount");
            creditor = v.Account(i, "CreditorAccount", path + ".CreditorAccount", required: true, nameRequired: true, wire.AccountExtraFields);
            reference = wire.Remittance(v, i, path + ".RemittanceInformation");
        }

        v.ThrowIfAny();
        return new VrpPaymentRequest(consentId!, method!, interaction, type!, initiation!.Value, risk!.Value, instruction!.Value,
            amount!.Value.Minor, amount.Value.Currency, creditor!, reference, instrument);
    }

    /// <summary>OBVRPFundsConfirmationRequest: the consent (as in the path) and the amount asked about.</summary>
    public static (string? Reference, long Minor, string Amount, string Currency) ParseFunds(JsonElement root, string consentId)
    {
        RequireObject(root);
        var v = new ObieValidator();
        v.Only(root, "", "Data");
        if (v.Object(root, "Data", "Data", required: true, "ConsentId", "Reference", "InstructedAmount") is not { } d)
        {
            v.ThrowIfAny();
            throw new InvalidOperationException();
        }

        var id = v.String(d, "ConsentId", "Data.ConsentId", required: true, 128);
        if (id is not null && id != consentId)
        {
            v.Add(ObieErrorCodes.ResourceConsentMismatch, "Data.ConsentId must be the consent of the path.", "Data.ConsentId");
        }

        var reference = v.String(d, "Reference", "Data.Reference", required: false, 35);
        var amount = v.Amount(d, "Data.InstructedAmount");
        v.ThrowIfAny();
        return (reference, amount!.Value.Minor, amount.Value.Amount, amount.Value.Currency);
    }

    private static JsonElement? Initiation(ObieValidator v, JsonElement data, IVrpWire wire)
    {
        const string path = "Data.Initiation";
        if (v.Object(data, "Initiation", path, required: true) is not { } initiation)
        {
            return null;
        }

        v.Account(initiation, "DebtorAccount", path + ".DebtorAccount", required: false, nameRequired: false, wire.AccountExtraFields);
        v.Account(initiation, "CreditorAccount", path + ".CreditorAccount", required: false, nameRequired: true, wire.AccountExtraFields);
        wire.Remittance(v, initiation, path + ".RemittanceInformation");
        return initiation;
    }

    private static void Codes(ObieValidator v, JsonElement controls, string name, string path, string[] allowed, bool required)
    {
        if (!controls.TryGetProperty(name, out var value))
        {
            if (required)
            {
                v.Add(ObieErrorCodes.FieldMissing, $"{name} is required.", $"{path}.{name}");
            }

            return;
        }

        if (value.ValueKind != JsonValueKind.Array || (required && value.GetArrayLength() == 0))
        {
            v.Add(ObieErrorCodes.FieldInvalid, $"{name} must be an array{(required ? " of at least one" : string.Empty)}.", $"{path}.{name}");
            return;
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !allowed.Contains(item.GetString(), StringComparer.Ordinal))
            {
                v.Add(ObieErrorCodes.FieldInvalid, $"{name} items must be one of: {string.Join(", ", allowed)}.", $"{path}.{name}[{index}]");
            }

            index++;
        }
    }

    private static void Limits(ObieValidator v, JsonElement controls, string path, string? currency)
    {
        if (!controls.TryGetProperty("PeriodicLimits", out var limits))
        {
            v.Add(ObieErrorCodes.FieldMissing, "PeriodicLimits is required.", path);
            return;
        }

        if (limits.ValueKind != JsonValueKind.Array || limits.GetArrayLength() == 0)
        {
            v.Add(ObieErrorCodes.FieldInvalid, "PeriodicLimits must be an array of at least one limit.", path);
            return;
        }

        var index = 0;
        foreach (var limit in limits.EnumerateArray())
        {
            var itemPath = $"{path}[{index++}]";
            if (limit.ValueKind != JsonValueKind.Object)
            {
                v.Add(ObieErrorCodes.FieldInvalid, "A periodic limit must be an object.", itemPath);
                continue;
            }

            v.Only(limit, itemPath, "PeriodType", "PeriodAlignment", "Amount", "Currency");
            v.Enum(limit, "PeriodType", itemPath + ".PeriodType", required: true, VrpControls.PeriodTypes);
            v.Enum(limit, "PeriodAlignment", itemPath + ".PeriodAlignment", required: true, VrpControls.Alignments);
            if (v.String(limit, "Amount", itemPath + ".Amount", required: true, 19) is { } amount
                && (!AmountPattern().IsMatch(amount) || VrpControls.Minor(amount) <= 0 || decimal.Parse(amount, CultureInfo.InvariantCulture) * 100m % 1m != 0m))
            {
                v.Add(ObieErrorCodes.FieldInvalid, "Amount must be a positive amount with at most 2 decimals, e.g. \"500.00\".", itemPath + ".Amount");
            }

            // One currency per consent: a limit in another currency could never be reached by its payments.
            if (v.String(limit, "Currency", itemPath + ".Currency", required: true, 3, 3) is { } limitCurrency && currency is not null && limitCurrency != currency)
            {
                v.Add(ObieErrorCodes.FieldInvalid, $"Every limit must be in the MaximumIndividualAmount's currency ({currency}).", itemPath + ".Currency");
            }
        }
    }

    private static DateTimeOffset? Optional(JsonElement controls, string name)
        => controls.TryGetProperty(name, out var value)
            ? DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;

    private static void RequireObject(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidFormat, "The body must be a JSON object."));
        }
    }

    [GeneratedRegex(@"^\d{1,13}$|^\d{1,13}\.\d{1,5}$")]
    private static partial Regex AmountPattern();
}
