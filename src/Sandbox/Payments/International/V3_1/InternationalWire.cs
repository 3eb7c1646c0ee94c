using System.Text.Json;
using System.Text.Json.Nodes;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Vrp;

namespace OpenBanking.Sandbox.Payments.International.V3_1;

/// <summary>International payments of v3.1.11 (specs/obie-v3.1.11/payment-initiation-openapi.yaml, <c>/open-banking/v3.1/pisp</c>).</summary>
public sealed class InternationalWire : IInternationalWire
{
    public static readonly InternationalWire Instance = new();

    private static readonly string[] Fields =
    [
        "InstructionIdentification", "EndToEndIdentification", "LocalInstrument", "InstructionPriority", "Purpose", "ExtendedPurpose",
        "ChargeBearer", "CurrencyOfTransfer", "DestinationCountryCode", "InstructedAmount", "ExchangeRateInformation", "DebtorAccount",
        "Creditor", "CreditorAgent", "CreditorAccount", "RemittanceInformation", "SupplementaryData",
    ];

    private static readonly string[] AddressFields =
    [
        "AddressType", "Department", "SubDepartment", "StreetName", "BuildingNumber", "PostCode", "TownName", "CountrySubDivision",
        "Country", "AddressLine",
    ];

    private static readonly string[] AddressTypes = ["Business", "Correspondence", "DeliveryTo", "MailTo", "POBox", "Postal", "Residential", "Statement"];

    public ApiVersion Version => ApiVersion.V3_1_11;

    public string ConsentStatus(PaymentConsentStatus status) => status.ToString();

    public string PaymentStatus(PaymentStatus status) => status.ToString();

    public string[] InitiationFields(bool payment) => Fields;

    public string[] AccountExtraFields { get; } = [];

    public bool ClosedScaSupportData => true;

    public KeyConflict ConsentKeyConflict => KeyConflict.BadRequest;

    public JsonElement? Risk(ObieValidator v, JsonElement root) => Payments.V3_1.DomesticConsentRequest.ParseRisk(root, v);

    public string? VersionFields(ObieValidator v, JsonElement initiation, string path)
    {
        if (v.Object(initiation, "Creditor", path + ".Creditor", required: false, "Name", "PostalAddress") is { } creditor)
        {
            v.String(creditor, "Name", path + ".Creditor.Name", required: false, 140);
            PostalAddress(v, creditor, path + ".Creditor.PostalAddress");
        }

        if (v.Object(initiation, "CreditorAgent", path + ".CreditorAgent", required: false, "SchemeName", "Identification", "Name", "PostalAddress") is { } agent)
        {
            v.String(agent, "Identification", path + ".CreditorAgent.Identification", required: false, 35);
            v.String(agent, "Name", path + ".CreditorAgent.Name", required: false, 140);
            PostalAddress(v, agent, path + ".CreditorAgent.PostalAddress");
        }

        if (v.Object(initiation, "RemittanceInformation", path + ".RemittanceInformation", required: false, "Unstructured", "Reference") is not { } remittance)
        {
            return null;
        }

        var unstructured = v.String(remittance, "Unstructured", path + ".RemittanceInformation.Unstructured", required: false, 140);
        return v.String(remittance, "Reference", path + ".RemittanceInformation.Reference", required: false, 35) ?? (unstructured is null ? null : ColumnText.Truncate(unstructured, 35));
    }

    /// <summary>OBPostalAddress6 (additionalProperties: false).</summary>
    private static void PostalAddress(ObieValidator v, JsonElement parent, string path)
    {
        if (v.Object(parent, "PostalAddress", path, required: false, AddressFields) is not { } address)
        {
            return;
        }

        v.Enum(address, "AddressType", path + ".AddressType", required: false, AddressTypes);
        foreach (var (field, max) in new[]
                 {
                     ("Department", 70), ("SubDepartment", 70), ("StreetName", 70), ("BuildingNumber", 16), ("PostCode", 16), ("TownName", 35),
                     ("CountrySubDivision", 35),
                 })
        {
            v.String(address, field, $"{path}.{field}", required: false, max);
        }

        if (v.String(address, "Country", path + ".Country", required: false, 2, 2) is { } country && !country.All(char.IsAsciiLetterUpper))
        {
            v.Add(ObieErrorCodes.FieldInvalid, "Country is an ISO 3166 code of two capital letters, e.g. DE.", path + ".Country");
        }

        if (address.TryGetProperty("AddressLine", out var lines))
        {
            if (lines.ValueKind != JsonValueKind.Array || lines.GetArrayLength() > 7
                || lines.EnumerateArray().Any(l => l.ValueKind != JsonValueKind.String || l.GetString()!.Length is < 1 or > 70))
            {
                v.Add(ObieErrorCodes.FieldInvalid, "AddressLine is up to 7 lines of 1 to 70 characters.", path + ".AddressLine");
            }
        }
    }

    public void AddStatusReason(JsonObject data, DomesticPayment payment)
    {
    }

    public JsonNode Details(DomesticPayment payment, IReadOnlyList<PaymentStatusChange> history, string? localInstrument)
        => Vrp.V3_1.VrpWire.Instance.Details(payment, history, localInstrument);
}
