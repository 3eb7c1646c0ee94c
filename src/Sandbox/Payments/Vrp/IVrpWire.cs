using System.Text.Json;
using System.Text.Json.Nodes;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.Vrp;

/// <summary>
/// What differs between the versions of the VRP API (V3_1, V4_0): status names, the parts of the request schemas
/// that changed (Risk, remittance, account fields), and the payment-details shape. Everything else is
/// <see cref="VrpApi"/>'s, once for both.
/// </summary>
public interface IVrpWire
{
    ApiVersion Version { get; }

    string ConsentStatus(ConsentStatus status);

    string PaymentStatus(PaymentStatus status);

    /// <summary>The status of a funds-confirmation answer (200 in v3.1.11, 201 in v4.0).</summary>
    int FundsConfirmationStatusCode { get; }

    /// <summary>ReadRefundAccount's values.</summary>
    string[] ReadRefundAccount { get; }

    /// <summary>Fields an account reference may carry beyond SchemeName, Identification, Name and SecondaryIdentification.</summary>
    string[] AccountExtraFields { get; }

    /// <summary>Validates Risk (required); null when invalid.</summary>
    JsonElement? Risk(ObieValidator v, JsonElement root);

    /// <summary>Validates RemittanceInformation where present; the payer's statement reference.</summary>
    string? Remittance(ObieValidator v, JsonElement parent, string path);

    /// <summary>The payment's StatusReason fields, if any, added to its Data.</summary>
    void AddStatusReason(JsonObject data, DomesticPayment payment);

    /// <summary>payment-details' Data.</summary>
    JsonNode Details(DomesticPayment payment, IReadOnlyList<PaymentStatusChange> history, string? localInstrument);

    /// <summary>How a reused idempotency key with another body is refused (as the version's domestic payments do).</summary>
    KeyConflict KeyConflict { get; }
}
