using System.Text.Json;
using System.Text.Json.Nodes;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.V4_0;
using OpenBanking.Sandbox.Payments.Vrp;

namespace OpenBanking.Sandbox.Payments.International.V4_0;

/// <summary>International payments of v4.0 (specs/obie-v4.0/payment-initiation-openapi.yaml, <c>/open-banking/v4.0/pisp</c>): ISO 20022 codes.</summary>
public sealed class InternationalWire : IInternationalWire
{
    public static readonly InternationalWire Instance = new();

    // The v4.0 consent's Initiation has no Purpose (the payment's and both responses' do): with additionalProperties
    // false a consent with Purpose is refused, so no v4.0 payment can carry one either (it must equal its consent).
    private static readonly string[] ConsentFields =
    [
        "InstructionIdentification", "EndToEndIdentification", "LocalInstrument", "InstructionPriority", "ExtendedPurpose",
        "ChargeBearer", "CurrencyOfTransfer", "DestinationCountryCode", "InstructedAmount", "ExchangeRateInformation", "DebtorAccount",
        "Creditor", "CreditorAgent", "CreditorAccount", "UltimateCreditor", "UltimateDebtor", "RegulatoryReporting", "RemittanceInformation",
        "SupplementaryData",
    ];

    private static readonly string[] PaymentFields = ["Purpose", .. ConsentFields];

    public ApiVersion Version => ApiVersion.V4_0;

    public string ConsentStatus(PaymentConsentStatus status) => PaymentCodes.ConsentStatus(status);

    public string PaymentStatus(PaymentStatus status) => PaymentCodes.PaymentStatus(status);

    public string[] InitiationFields(bool payment) => payment ? PaymentFields : ConsentFields;

    public string[] AccountExtraFields { get; } = ["Proxy"];

    public bool ClosedScaSupportData => false;

    public KeyConflict ConsentKeyConflict => KeyConflict.Conflict;

    public JsonElement? Risk(ObieValidator v, JsonElement root) => v.Risk(root);

    public string? VersionFields(ObieValidator v, JsonElement initiation, string path)
    {
        foreach (var account in new[] { "DebtorAccount", "CreditorAccount" })
        {
            if (initiation.TryGetProperty(account, out var value) && value.ValueKind == JsonValueKind.Object)
            {
                v.Proxy(value, $"{path}.{account}.Proxy");
            }
        }

        if (v.Object(initiation, "Creditor", path + ".Creditor", required: false, "Name", "LEI", "PostalAddress") is { } creditor)
        {
            v.String(creditor, "Name", path + ".Creditor.Name", required: false, 140);
            v.Lei(creditor, path + ".Creditor.LEI");
            v.PostalAddress(creditor, "PostalAddress", path + ".Creditor.PostalAddress");
        }

        v.Agent(initiation, "CreditorAgent", path + ".CreditorAgent");
        v.Party(initiation, "UltimateCreditor", path + ".UltimateCreditor");
        v.Party(initiation, "UltimateDebtor", path + ".UltimateDebtor");
        v.RegulatoryReporting(initiation, path + ".RegulatoryReporting");
        return v.Remittance(initiation, path + ".RemittanceInformation");
    }

    public void AddStatusReason(JsonObject data, DomesticPayment payment)
    {
        if (PaymentCodes.Reasons(payment) is { } reasons)
        {
            data["StatusReason"] = new JsonArray([.. reasons.Select(r => (JsonNode)new JsonObject
            {
                ["StatusReasonCode"] = r.StatusReasonCode,
                ["StatusReasonDescription"] = r.StatusReasonDescription,
            })]);
        }
    }

    /// <summary>v4.0's OBWritePaymentDetailsResponse1: Data is an array of {PaymentStatus}.</summary>
    public JsonNode Details(DomesticPayment payment, IReadOnlyList<PaymentStatusChange> history, string? localInstrument)
    {
        var entries = new JsonArray();
        foreach (var change in history)
        {
            var detail = new JsonObject();
            if (localInstrument is not null)
            {
                detail["LocalInstrument"] = localInstrument;
            }

            detail["Status"] = PaymentCodes.PaymentStatus(change.Status);
            if (PaymentCodes.HistoryReason(change.Status, payment) is { } reason)
            {
                detail["StatusReason"] = reason;
            }

            detail["StatusReasonDescription"] = ColumnText.Truncate(change.Detail, 256);
            entries.Add(new JsonObject
            {
                ["PaymentStatus"] = new JsonObject
                {
                    ["PaymentTransactionId"] = payment.Id,
                    ["Status"] = PaymentCodes.PaymentStatus(change.Status),
                    ["StatusUpdateDateTime"] = VrpJson.Time(change.At),
                    ["StatusDetail"] = detail,
                },
            });
        }

        return entries;
    }
}
