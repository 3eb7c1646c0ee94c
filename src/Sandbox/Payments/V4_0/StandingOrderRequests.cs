using System.Text.Json;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.StandingOrders;

namespace OpenBanking.Sandbox.Payments.V4_0;

/// <summary>
/// OBWriteDomesticStandingOrderConsent5 of v4.0. The schedule is in MandateRelatedInformation: Frequency
/// (OBFrequency6) and FirstPaymentDateTime, with RecurringPaymentDateTime and FinalPaymentDateTime; v4.0 has no
/// NumberOfPayments, so an order ends on FinalPaymentDateTime or runs until cancelled. (The published schema also lists
/// FirstPaymentDateTime as required on the Initiation while defining no such member there and allowing no others — an
/// erratum: it is read from MandateRelatedInformation, where the schema defines it, and accepted on the Initiation too,
/// for partners that follow the required list; given in both places, the two must agree.) The payer's reference is
/// RemittanceInformation's (<see cref="V4Fields.Remittance"/>).
/// </summary>
public static class StandingOrderConsentRequest
{
    private static readonly string[] InitiationFields =
    [
        "RemittanceInformation", "FirstPaymentAmount", "RecurringPaymentAmount", "FinalPaymentAmount", "DebtorAccount", "CreditorAccount",
        "UltimateCreditor", "UltimateDebtor", "RegulatoryReporting", "MandateRelatedInformation", "SupplementaryData", "FirstPaymentDateTime",
    ];

    public static StandingOrderTerms Parse(JsonElement root, DateTimeOffset now)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidFormat, "The body must be a JSON object with Data and Risk."));
        }

        var v = new ObieValidator();
        v.Only(root, "", "Data", "Risk");
        var risk = v.Risk(root);
        if (v.Object(root, "Data", "Data", required: true, "Permission", "ReadRefundAccount", "Initiation", "Authorisation", "SCASupportData") is not { } data)
        {
            v.ThrowIfAny();
            throw new InvalidOperationException("unreachable");
        }

        StandingOrderRules.Permission(v, data);
        var readRefund = v.Enum(data, "ReadRefundAccount", "Data.ReadRefundAccount", required: false, "No", "Yes");
        var authorisation = PaymentConsentRules.Authorisation(v, data);
        var sca = PaymentConsentRules.ScaSupportData(v, data, closed: false);

        const string path = "Data.Initiation";
        var initiation = v.Object(data, "Initiation", path, required: true, InitiationFields);
        StandingOrderFrequency? frequency = null;
        ScheduleDates? dates = null;
        OrderAmounts? amounts = null;
        AccountReference? creditor = null, debtor = null;
        string? reference = null;
        if (initiation is { } i)
        {
            const string mandatePath = path + ".MandateRelatedInformation";
            if (v.Object(i, "MandateRelatedInformation", mandatePath, required: true) is { } mandate)
            {
                v.String(mandate, "MandateIdentification", mandatePath + ".MandateIdentification", required: false, 35);
                v.String(mandate, "Reason", mandatePath + ".Reason", required: false, 256);
                v.Code(mandate, "CategoryPurposeCode", mandatePath + ".CategoryPurposeCode", V4CodeSets.CategoryPurpose, "ExternalCategoryPurpose1Code");
                dates = StandingOrderRules.Dates(v, mandate, mandatePath, numberOfPayments: null, now, (i, path + ".FirstPaymentDateTime"));
                frequency = Frequency(v, mandate, mandatePath + ".Frequency", dates);
                amounts = StandingOrderRules.Amounts(v, i, path, bounded: mandate.TryGetProperty("FinalPaymentDateTime", out _));
            }
            else
            {
                StandingOrderRules.Amounts(v, i, path, bounded: true);
            }

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

            v.Party(i, "UltimateCreditor", path + ".UltimateCreditor");
            v.Party(i, "UltimateDebtor", path + ".UltimateDebtor");
            v.RegulatoryReporting(i, path + ".RegulatoryReporting");
            reference = v.Remittance(i, path + ".RemittanceInformation");
            v.Object(i, "SupplementaryData", path + ".SupplementaryData", required: false);
        }

        v.ThrowIfAny();
        return new StandingOrderTerms(initiation!.Value.Clone(), risk!.Value.Clone(), authorisation?.Clone(), sca?.Clone(), readRefund,
            frequency!, reference, dates!, amounts!, creditor!, debtor);
    }

    /// <summary>OBFrequency6 (Type required; CountPerPeriod or PointInTime) as the bank's frequency.</summary>
    private static StandingOrderFrequency? Frequency(ObieValidator v, JsonElement mandate, string path, ScheduleDates? dates)
    {
        if (v.Object(mandate, "Frequency", path, required: true, "Type", "CountPerPeriod", "PointInTime") is not { } frequency)
        {
            return null;
        }

        var type = v.String(frequency, "Type", path + ".Type", required: true, 4);
        int? count = null;
        if (frequency.TryGetProperty("CountPerPeriod", out var countElement))
        {
            if (countElement.ValueKind == JsonValueKind.Number && countElement.TryGetInt32(out var c))
            {
                count = c;
            }
            else
            {
                v.Add(ObieErrorCodes.FieldInvalid, "CountPerPeriod must be a whole number (int32).", path + ".CountPerPeriod");
            }
        }

        var point = v.String(frequency, "PointInTime", path + ".PointInTime", required: false, 2);
        if (type is null || dates is null)
        {
            return null;
        }

        var (parsed, error, field) = StandingOrderFrequency.FromV4(type, count, point, DateOnly.FromDateTime(dates.First.UtcDateTime));
        if (parsed is null)
        {
            var code = field == "Type" && type is "INDA" or "ADHO" || field == "CountPerPeriod" && count is not null && point is null
                ? ObieErrorCodes.UnsupportedFrequency : ObieErrorCodes.FieldInvalid;
            v.Add(code, error!, $"{path}.{field}");
        }

        return parsed;
    }
}
