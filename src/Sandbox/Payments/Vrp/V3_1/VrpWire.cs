using System.Text.Json;
using System.Text.Json.Nodes;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.Vrp.V3_1;

/// <summary>The domestic VRP API of v3.1.11 (specs/obie-v3.1.11/vrp-openapi.yaml, <c>/open-banking/v3.1/pisp</c>).</summary>
public sealed class VrpWire : IVrpWire
{
    public static readonly VrpWire Instance = new();

    // OBRisk1 of the v3.1.11 VRP YAML, with its typo ContractPresentInidicator (accepted as the schema spells it).
    private static readonly string[] RiskFields =
    [
        "PaymentContextCode", "MerchantCategoryCode", "MerchantCustomerIdentification", "ContractPresentInidicator",
        "BeneficiaryPrepopulatedIndicator", "PaymentPurposeCode", "BeneficiaryAccountType", "DeliveryAddress",
    ];

    public ApiVersion Version => ApiVersion.V3_1_11;

    /// <summary>
    /// v3.1.11's consent enum has no Revoked: a consent the customer revoked reads as Rejected (one the partner
    /// deleted is not found at all).
    /// </summary>
    public string ConsentStatus(ConsentStatus status) => status switch
    {
        Domain.ConsentStatus.AwaitingAuthorisation => "AwaitingAuthorisation",
        Domain.ConsentStatus.Authorised => "Authorised",
        _ => "Rejected",
    };

    public string PaymentStatus(PaymentStatus status) => status.ToString();

    public int FundsConfirmationStatusCode => StatusCodes.Status200OK;

    public string[] ReadRefundAccount { get; } = ["Yes", "No"];

    public string[] AccountExtraFields { get; } = [];

    public KeyConflict KeyConflict => KeyConflict.BadRequest;

    public JsonElement? Risk(ObieValidator v, JsonElement root)
    {
        if (v.Object(root, "Risk", "Risk", required: true, RiskFields) is not { } risk)
        {
            return null;
        }

        v.String(risk, "MerchantCategoryCode", "Risk.MerchantCategoryCode", required: false, 4, 3);
        v.String(risk, "MerchantCustomerIdentification", "Risk.MerchantCustomerIdentification", required: false, 70);
        return risk;
    }

    public string? Remittance(ObieValidator v, JsonElement parent, string path)
    {
        if (v.Object(parent, "RemittanceInformation", path, required: false, "Unstructured", "Reference") is not { } remittance)
        {
            return null;
        }

        var unstructured = v.String(remittance, "Unstructured", path + ".Unstructured", required: false, 140);
        return v.String(remittance, "Reference", path + ".Reference", required: false, 35) ?? unstructured;
    }

    public void AddStatusReason(JsonObject data, DomesticPayment payment)
    {
        if (payment.Status == Payments.PaymentStatus.Rejected && payment.StatusReason is { } reason)
        {
            data["StatusReason"] = "UK.OBIE.OtherReason";
            data["StatusReasonDescription"] = reason;
        }
    }

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

            detail["Status"] = change.Status.ToString();
            if (change.Status switch
                {
                    Payments.PaymentStatus.Rejected => "ProprietaryRejection",
                    Payments.PaymentStatus.Pending when payment.StatusReason == PaymentStatusReasons.HeldForReview => "Suspended",
                    Payments.PaymentStatus.Pending or Payments.PaymentStatus.AcceptedSettlementInProcess => "PendingSettlement",
                    _ => null,
                } is { } reason)
            {
                detail["StatusReason"] = reason;
            }

            detail["StatusReasonDescription"] = ColumnText.Truncate(change.Detail, 128);
            entries.Add(new JsonObject
            {
                ["PaymentTransactionId"] = payment.Id,
                ["Status"] = change.Status.ToString(),
                ["StatusUpdateDateTime"] = VrpJson.Time(change.At),
                ["StatusDetail"] = detail,
            });
        }

        return new JsonObject { ["PaymentStatus"] = entries };
    }
}
