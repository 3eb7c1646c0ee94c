using System.Text.Json;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.StandingOrders;

namespace OpenBanking.Sandbox.Payments.V3_1;

/// <summary>OBWriteDomesticStandingOrderConsent5 of v3.1.11, validated into the consent's terms (every problem at once).</summary>
public static class StandingOrderConsentRequest
{
    private static readonly string[] InitiationFields =
    [
        "Frequency", "Reference", "NumberOfPayments", "FirstPaymentDateTime", "RecurringPaymentDateTime", "FinalPaymentDateTime",
        "FirstPaymentAmount", "RecurringPaymentAmount", "FinalPaymentAmount", "DebtorAccount", "CreditorAccount", "SupplementaryData",
    ];

    public static StandingOrderTerms Parse(JsonElement root, DateTimeOffset now)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidFormat, "The body must be a JSON object with Data and Risk."));
        }

        var v = new ObieValidator();
        v.Only(root, "", "Data", "Risk");
        var risk = DomesticConsentRequest.ParseRisk(root, v);
        if (v.Object(root, "Data", "Data", required: true, "Permission", "ReadRefundAccount", "Initiation", "Authorisation", "SCASupportData") is not { } data)
        {
            v.ThrowIfAny();
            throw new InvalidOperationException("unreachable");
        }

        StandingOrderRules.Permission(v, data);
        var readRefund = v.Enum(data, "ReadRefundAccount", "Data.ReadRefundAccount", required: false, "No", "Yes");
        var authorisation = PaymentConsentRules.Authorisation(v, data);
        var sca = PaymentConsentRules.ScaSupportData(v, data, closed: true);

        const string path = "Data.Initiation";
        var initiation = v.Object(data, "Initiation", path, required: true, InitiationFields);
        StandingOrderFrequency? frequency = null;
        ScheduleDates? dates = null;
        OrderAmounts? amounts = null;
        AccountReference? creditor = null, debtor = null;
        string? reference = null;
        if (initiation is { } i)
        {
            var code = v.String(i, "Frequency", path + ".Frequency", required: true, 35);
            frequency = StandingOrderFrequency.ParseV3(code);
            if (code is not null && frequency is null)
            {
                v.Add(ObieErrorCodes.UnsupportedFrequency,
                    "Frequency must be one of EvryDay, EvryWorkgDay, IntrvlDay:NN, IntrvlWkDay:0W:0D, WkInMnthDay:0W:0D, IntrvlMnthDay:MM:DD (DD -01 to -05 counts from the month's end) or QtrDay:ENGLISH|SCOTTISH|RECEIVED.",
                    path + ".Frequency");
            }

            reference = v.String(i, "Reference", path + ".Reference", required: false, 35);
            var number = StandingOrderRules.NumberOfPayments(v, i, path + ".NumberOfPayments");
            dates = StandingOrderRules.Dates(v, i, path, number, now);
            amounts = StandingOrderRules.Amounts(v, i, path, bounded: number is not null || i.TryGetProperty("FinalPaymentDateTime", out _));
            debtor = v.Account(i, "DebtorAccount", path + ".DebtorAccount", required: false, nameRequired: false);
            creditor = v.Account(i, "CreditorAccount", path + ".CreditorAccount", required: true, nameRequired: true);
            v.Object(i, "SupplementaryData", path + ".SupplementaryData", required: false);
        }

        v.ThrowIfAny();
        return new StandingOrderTerms(initiation!.Value.Clone(), risk!.Value.Clone(), authorisation?.Clone(), sca?.Clone(), readRefund,
            frequency!, reference, dates!, amounts!, creditor!, debtor);
    }
}
