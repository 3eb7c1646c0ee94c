using System.Text.Json;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Pipeline;

namespace OpenBanking.Sandbox.Payments.V3_1;

/// <summary>OBWriteDomesticConsent4 of v3.1.11, validated into the consent's terms (Initiation and Risk kept exactly as sent).</summary>
public static class DomesticConsentRequest
{
    private static readonly string[] DataFields = ["ReadRefundAccount", "Initiation", "Authorisation", "SCASupportData"];

    private static readonly string[] ScheduledDataFields = ["Permission", .. DataFields];

    private static readonly string[] InitiationFields =
    [
        "InstructionIdentification", "EndToEndIdentification", "LocalInstrument", "InstructedAmount", "DebtorAccount",
        "CreditorAccount", "CreditorPostalAddress", "RemittanceInformation", "SupplementaryData",
    ];

    private static readonly string[] ScheduledInitiationFields = ["RequestedExecutionDateTime", .. InitiationFields];

    private static readonly string[] RiskFields =
    [
        "PaymentContextCode", "MerchantCategoryCode", "MerchantCustomerIdentification", "ContractPresentIndicator",
        "BeneficiaryPrepopulatedIndicator", "PaymentPurposeCode", "BeneficiaryAccountType", "DeliveryAddress",
    ];

    private static readonly string[] PaymentContextCodes =
    [
        "BillingGoodsAndServicesInAdvance", "BillingGoodsAndServicesInArrears", "PispPayee", "EcommerceMerchantInitiatedPayment",
        "FaceToFacePointOfSale", "TransferToSelf", "TransferToThirdParty", "BillPayment", "EcommerceGoods", "EcommerceServices",
        "Other", "PartyToParty",
    ];

    public static PaymentConsentTerms Parse(JsonElement root) => Parse(root, scheduled: false);

    /// <summary>
    /// OBWriteDomesticScheduledConsent4: the domestic consent with a Permission ("Create") and the Initiation's
    /// RequestedExecutionDateTime; its EndToEndIdentification is optional.
    /// </summary>
    public static PaymentConsentTerms ParseScheduled(JsonElement root) => Parse(root, scheduled: true);

    private static PaymentConsentTerms Parse(JsonElement root, bool scheduled)
    {
        var v = new ObieValidator();
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidFormat, "The body must be a JSON object with Data and Risk."));
        }

        v.Only(root, "", "Data", "Risk");
        var risk = ParseRisk(root, v);
        var data = v.Object(root, "Data", "Data", required: true,
            scheduled ? ScheduledDataFields : DataFields);
        if (data is not { } d)
        {
            v.ThrowIfAny();
            throw new InvalidOperationException("unreachable");
        }

        var readRefund = v.Enum(d, "ReadRefundAccount", "Data.ReadRefundAccount", required: false, "Yes", "No");
        var authorisation = PaymentConsentRules.Authorisation(v, d);
        var sca = PaymentConsentRules.ScaSupportData(v, d, closed: true);

        const string path = "Data.Initiation";
        var initiation = v.Object(d, "Initiation", path, required: true, scheduled ? ScheduledInitiationFields : InitiationFields);
        AccountReference? creditor = null, debtor = null;
        (long Minor, string Amount, string Currency)? amount = null;
        string? reference = null;
        DateTimeOffset? requested = null;
        if (scheduled)
        {
            PaymentConsentRules.Permission(v, d);
        }

        if (initiation is { } i)
        {
            PaymentConsentRules.Instruction(v, i, path, endToEndRequired: !scheduled);
            requested = scheduled ? PaymentConsentRules.RequestedExecution(v, i, path) : null;
            amount = v.Amount(i, path + ".InstructedAmount");
            debtor = v.Account(i, "DebtorAccount", path + ".DebtorAccount", required: false, nameRequired: false);
            creditor = v.Account(i, "CreditorAccount", path + ".CreditorAccount", required: true, nameRequired: true);
            if (v.Object(i, "RemittanceInformation", path + ".RemittanceInformation", required: false, "Unstructured", "Reference") is { } remittance)
            {
                v.String(remittance, "Unstructured", path + ".RemittanceInformation.Unstructured", required: false, 140);
                reference = v.String(remittance, "Reference", path + ".RemittanceInformation.Reference", required: false, 35);
            }

            if (v.Object(i, "CreditorPostalAddress", path + ".CreditorPostalAddress", required: false) is { } address
                && v.String(address, "Country", path + ".CreditorPostalAddress.Country", required: false, 2, 2) is { } country
                && !country.All(char.IsAsciiLetterUpper))
            {
                v.Add(ObieErrorCodes.FieldInvalid, "Country is an ISO 3166 code of two capital letters.", path + ".CreditorPostalAddress.Country");
            }

            v.Object(i, "SupplementaryData", path + ".SupplementaryData", required: false);
        }

        v.ThrowIfAny();
        return new PaymentConsentTerms(initiation!.Value.Clone(), risk!.Value.Clone(), authorisation?.Clone(), sca?.Clone(), readRefund,
            amount!.Value.Minor, amount.Value.Currency, creditor!, debtor, reference, requested);
    }

    internal static JsonElement? ParseRisk(JsonElement root, ObieValidator v)
    {
        var risk = v.Object(root, "Risk", "Risk", required: true, RiskFields);
        if (risk is { } r)
        {
            v.Enum(r, "PaymentContextCode", "Risk.PaymentContextCode", required: false, PaymentContextCodes);
            v.String(r, "MerchantCategoryCode", "Risk.MerchantCategoryCode", required: false, 4, 3);
            v.String(r, "MerchantCustomerIdentification", "Risk.MerchantCustomerIdentification", required: false, 70);
            v.String(r, "PaymentPurposeCode", "Risk.PaymentPurposeCode", required: false, 4, 3);
            if (v.Object(r, "DeliveryAddress", "Risk.DeliveryAddress", required: false) is { } delivery)
            {
                v.String(delivery, "TownName", "Risk.DeliveryAddress.TownName", required: true, 35);
                v.String(delivery, "Country", "Risk.DeliveryAddress.Country", required: true, 2, 2);
            }
        }

        return risk;
    }
}

/// <summary>A validated OBWriteDomestic2 body: which consent, and the Initiation and Risk to match against it.</summary>
public sealed record DomesticPaymentRequest(string ConsentId, JsonElement Initiation, JsonElement Risk)
{
    public static DomesticPaymentRequest Parse(JsonElement root)
    {
        var v = new ObieValidator();
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidFormat, "The body must be a JSON object with Data and Risk."));
        }

        v.Only(root, "", "Data", "Risk");
        var risk = DomesticConsentRequest.ParseRisk(root, v);
        string? consentId = null;
        JsonElement? initiation = null;
        if (v.Object(root, "Data", "Data", required: true, "ConsentId", "Initiation") is { } data)
        {
            consentId = v.String(data, "ConsentId", "Data.ConsentId", required: true, 128);
            initiation = v.Object(data, "Initiation", "Data.Initiation", required: true);
        }

        v.ThrowIfAny();
        return new DomesticPaymentRequest(consentId!, initiation!.Value.Clone(), risk!.Value.Clone());
    }

    public PaymentInstruction ToInstruction() => new(ConsentId, Initiation, Risk);
}
