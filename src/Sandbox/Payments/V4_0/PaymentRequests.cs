using System.Text.Json;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Pipeline;

namespace OpenBanking.Sandbox.Payments.V4_0;

/// <summary>
/// OBWriteDomesticConsent4 of v4.0, validated into the consent's terms: every problem at once, each with its path.
/// The Initiation and Risk are kept exactly as sent; the domain's columns come from them (the ledger's reference from
/// RemittanceInformation, see <see cref="V4Fields.Remittance"/>).
/// </summary>
public static class DomesticConsentRequest
{
    private static readonly string[] DataFields = ["ReadRefundAccount", "Initiation", "Authorisation", "SCASupportData"];

    private static readonly string[] ScheduledDataFields = ["Permission", .. DataFields];

    private static readonly string[] InitiationFields =
    [
        "InstructionIdentification", "EndToEndIdentification", "LocalInstrument", "InstructedAmount", "DebtorAccount", "CreditorAgent",
        "CreditorAccount", "CreditorPostalAddress", "UltimateCreditor", "UltimateDebtor", "RegulatoryReporting", "RemittanceInformation",
        "SupplementaryData",
    ];

    private static readonly string[] ScheduledInitiationFields = ["RequestedExecutionDateTime", .. InitiationFields];

    public static PaymentConsentTerms Parse(JsonElement root) => Parse(root, scheduled: false);

    /// <summary>
    /// OBWriteDomesticScheduledConsent4: the domestic consent with a Permission ("Create") and the Initiation's
    /// RequestedExecutionDateTime; its EndToEndIdentification is optional.
    /// </summary>
    public static PaymentConsentTerms ParseScheduled(JsonElement root) => Parse(root, scheduled: true);

    private static PaymentConsentTerms Parse(JsonElement root, bool scheduled)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidFormat, "The body must be a JSON object with Data and Risk."));
        }

        var v = new ObieValidator();
        v.Only(root, "", "Data", "Risk");
        var risk = v.Risk(root);
        if (v.Object(root, "Data", "Data", required: true,
            scheduled ? ScheduledDataFields : DataFields) is not { } data)
        {
            v.ThrowIfAny();
            throw new InvalidOperationException("unreachable");
        }

        var readRefund = v.Enum(data, "ReadRefundAccount", "Data.ReadRefundAccount", required: false, "No", "Yes");
        var authorisation = PaymentConsentRules.Authorisation(v, data);
        var sca = PaymentConsentRules.ScaSupportData(v, data, closed: false);

        const string path = "Data.Initiation";
        var initiation = v.Object(data, "Initiation", path, required: true, scheduled ? ScheduledInitiationFields : InitiationFields);
        AccountReference? creditor = null, debtor = null;
        (long Minor, string Amount, string Currency)? amount = null;
        string? reference = null;
        DateTimeOffset? requested = null;
        if (scheduled)
        {
            PaymentConsentRules.Permission(v, data);
        }

        if (initiation is { } i)
        {
            PaymentConsentRules.Instruction(v, i, path, endToEndRequired: !scheduled);
            requested = scheduled ? PaymentConsentRules.RequestedExecution(v, i, path) : null;
            amount = v.Amount(i, path + ".InstructedAmount");
            debtor = v.Account(i, "DebtorAccount", path + ".DebtorAccount", required: false, nameRequired: false, "Proxy");
            if (i.TryGetProperty("DebtorAccount", out var debtorAccount) && debtorAccount.ValueKind == JsonValueKind.Object)
            {
                v.Proxy(debtorAccount, path + ".DebtorAccount.Proxy");
            }

            creditor = v.Account(i, "CreditorAccount", path + ".CreditorAccount", required: true, nameRequired: true, "Proxy");
            if (i.TryGetProperty("CreditorAccount", out var creditorAccount) && creditorAccount.ValueKind == JsonValueKind.Object)
            {
                v.Proxy(creditorAccount, path + ".CreditorAccount.Proxy");
            }

            v.Agent(i, "CreditorAgent", path + ".CreditorAgent");
            v.PostalAddress(i, "CreditorPostalAddress", path + ".CreditorPostalAddress");
            v.Party(i, "UltimateCreditor", path + ".UltimateCreditor");
            v.Party(i, "UltimateDebtor", path + ".UltimateDebtor");
            v.RegulatoryReporting(i, path + ".RegulatoryReporting");
            reference = v.Remittance(i, path + ".RemittanceInformation");
            v.Object(i, "SupplementaryData", path + ".SupplementaryData", required: false);
        }

        v.ThrowIfAny();
        return new PaymentConsentTerms(initiation!.Value.Clone(), risk!.Value.Clone(), authorisation?.Clone(), sca?.Clone(), readRefund,
            amount!.Value.Minor, amount.Value.Currency, creditor!, debtor, reference, requested);
    }
}

/// <summary>
/// OBWriteDomestic2 of v4.0: which consent, and the Initiation and Risk to match against it. The Initiation is only
/// required to be an object: whatever differs from the (validated) consented one is a ConsentMismatch with its path.
/// </summary>
public static class DomesticPaymentRequest
{
    public static PaymentInstruction Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidFormat, "The body must be a JSON object with Data and Risk."));
        }

        var v = new ObieValidator();
        v.Only(root, "", "Data", "Risk");
        var risk = v.Risk(root);
        string? consentId = null;
        JsonElement? initiation = null;
        if (v.Object(root, "Data", "Data", required: true, "ConsentId", "Initiation") is { } data)
        {
            consentId = v.String(data, "ConsentId", "Data.ConsentId", required: true, 128);
            initiation = v.Object(data, "Initiation", "Data.Initiation", required: true);
        }

        v.ThrowIfAny();
        return new PaymentInstruction(consentId!, initiation!.Value.Clone(), risk!.Value.Clone());
    }
}
