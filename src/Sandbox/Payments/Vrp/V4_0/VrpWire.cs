using System.Text.Json;
using System.Text.Json.Nodes;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.V4_0;

namespace OpenBanking.Sandbox.Payments.Vrp.V4_0;

/// <summary>The domestic VRP API of v4.0 (specs/obie-v4.0/vrp-openapi.yaml, <c>/open-banking/v4.0/pisp</c>): ISO 20022 codes.</summary>
public sealed class VrpWire : IVrpWire
{
    public static readonly VrpWire Instance = new();

    public ApiVersion Version => ApiVersion.V4_0;

    /// <summary>v4.0's consent enum is AWAU/RJCT/AUTH/COND: a revoked consent reads as RJCT (one the partner deleted is not found).</summary>
    public string ConsentStatus(ConsentStatus status) => status switch
    {
        Domain.ConsentStatus.AwaitingAuthorisation => "AWAU",
        Domain.ConsentStatus.Authorised => "AUTH",
        _ => "RJCT",
    };

    public string PaymentStatus(PaymentStatus status) => PaymentCodes.PaymentStatus(status);

    public int FundsConfirmationStatusCode => StatusCodes.Status201Created;

    public string[] ReadRefundAccount { get; } = ["Yes", "No"];

    public string[] AccountExtraFields { get; } = ["Proxy"];

    public KeyConflict KeyConflict => KeyConflict.Conflict;

    public JsonElement? Risk(ObieValidator v, JsonElement root) => v.Risk(root);

    public string? Remittance(ObieValidator v, JsonElement parent, string path) => v.Remittance(parent, path);

    public void AddStatusReason(JsonObject data, DomesticPayment payment)
    {
        if (payment.Status is Payments.PaymentStatus.Rejected or Payments.PaymentStatus.Pending && PaymentCodes.Reason(payment.StatusReason) is { } reason)
        {
            data["StatusReason"] = new JsonArray(new JsonObject
            {
                ["StatusReasonCode"] = reason.StatusReasonCode,
                ["StatusReasonDescription"] = reason.StatusReasonDescription,
            });
        }
    }

    /// <summary>v4.0's OBDomesticVRPDetails: one Data object, its steps in <c>StausDetail</c> (the schema's spelling).</summary>
    public JsonNode Details(DomesticPayment payment, IReadOnlyList<PaymentStatusChange> history, string? localInstrument)
    {
        var steps = new JsonArray();
        foreach (var change in history)
        {
            var step = new JsonObject
            {
                ["Status"] = PaymentCodes.PaymentStatus(change.Status),
                ["StatusUpdateDateTime"] = VrpJson.Time(change.At),
            };
            if (PaymentCodes.HistoryReason(change.Status, payment) is { } code)
            {
                step["StatusReasonCode"] = code;
            }

            step["StatusReasonDescription"] = ColumnText.Truncate(change.Detail, 500);
            steps.Add(step);
        }

        var data = new JsonObject();
        if (localInstrument is not null)
        {
            data["LocalInstrument"] = localInstrument;
        }

        data["PaymentTransactionId"] = payment.Id;
        data["Status"] = PaymentCodes.PaymentStatus(payment.Status);
        data["StatusUpdateDateTime"] = VrpJson.Time(payment.StatusUpdateDateTime);
        data["StausDetail"] = steps;
        return data;
    }
}
