using System.Text.Json;
using System.Text.Json.Nodes;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.International;

/// <summary>
/// What differs between the versions of the international payments API (V3_1, V4_0): status names, the parts of the
/// request schemas that changed (Initiation members, addresses, LEIs, Risk, remittance), the payment-details shape and
/// how a reused idempotency key is refused. Everything else is <see cref="InternationalPaymentsApi"/>'s, once for both.
/// </summary>
public interface IInternationalWire
{
    ApiVersion Version { get; }

    string ConsentStatus(PaymentConsentStatus status);

    string PaymentStatus(PaymentStatus status);

    /// <summary>The Initiation's members (additionalProperties: false) in a consent or, when <paramref name="payment"/>, a payment request.</summary>
    string[] InitiationFields(bool payment);

    /// <summary>Validates Risk (required); null when invalid.</summary>
    JsonElement? Risk(ObieValidator v, JsonElement root);

    /// <summary>
    /// Validates the Initiation's members whose schema is the version's own (accounts' extra members, Creditor,
    /// CreditorAgent, ultimate parties, regulatory reporting, remittance, SCA support data); the payer's statement reference.
    /// </summary>
    string? VersionFields(ObieValidator v, JsonElement initiation, string path);

    /// <summary>Fields an account reference may carry beyond SchemeName, Identification, Name and SecondaryIdentification.</summary>
    string[] AccountExtraFields { get; }

    /// <summary>Whether SCASupportData is closed (v3.1.11) or open (v4.0).</summary>
    bool ClosedScaSupportData { get; }

    /// <summary>The payment's StatusReason, if any, added to its Data.</summary>
    void AddStatusReason(JsonObject data, DomesticPayment payment);

    /// <summary>payment-details' Data.</summary>
    JsonNode Details(DomesticPayment payment, IReadOnlyList<PaymentStatusChange> history, string? localInstrument);

    /// <summary>
    /// How a reused idempotency key with another body is refused on the consent POST: v4.0 lists 409 there (and, unlike
    /// domestic payments, not on POST /international-payments, which keeps v3.1.11's 400).
    /// </summary>
    KeyConflict ConsentKeyConflict { get; }
}
