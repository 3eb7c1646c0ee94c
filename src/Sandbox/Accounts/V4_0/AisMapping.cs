using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.OpenBanking;
using static OpenBanking.Sandbox.Accounts.AccountInformationMapping;

namespace OpenBanking.Sandbox.Accounts.V4_0;

/// <summary>
/// The bank's records in the shapes that are v4.0's own (the shared ones: <see cref="AccountInformationMapping"/> with
/// <see cref="AisCodes.V4_0"/>). The bank stores v3.1.11's words; these are their ISO 20022 twins.
/// </summary>
public static class AisMapping
{
    public static ObAccount ToAccount(Account a, bool detail, AisAccess access) => new(
        a.Id, "Enabled", Utc(a.OpeningDate), a.Currency, a.AccountType, AccountTypeCode(a.AccountSubType), a.Description, a.Nickname,
        Utc(a.OpeningDate), detail ? [new ObCashAccount(a.SchemeName, MaskPan(a.SchemeName, a.Identification, access), a.Name)] : null);

    public static ObDirectDebit ToDirectDebit(DirectDebit d) => new(d.AccountId, d.Id, "Active",
        new ObMandateRelatedInformation(d.MandateIdentification, new ObFrequency(FrequencyType(d.Frequency))), d.Name,
        d.PreviousPaymentDateTime is { } at ? Utc(at) : null,
        d.PreviousPaymentAmountMinor is { } amount ? ObAmount.Of(amount, d.Currency) : null);

    /// <summary>A standing order (generated, or made through PIS with its last and final payments and Active/Inactive status).</summary>
    public static ObStandingOrder ToStandingOrder(Payments.StandingOrders.AisStandingOrder o, bool detail)
    {
        var s = o.Row;
        return new(s.AccountId, s.Id, o.NextPaymentAt is { } next ? Utc(next) : null, o.Active ? "Active" : "Inactive",
            ObAmount.Of(o.FirstAmountMinor, s.Currency), o.NextAmountMinor is { } nextAmount ? ObAmount.Of(nextAmount, s.Currency) : null,
            detail ? new ObCashAccount(s.CreditorSchemeName, s.CreditorIdentification, s.CreditorName) : null,
            new ObMandateRelatedInformation(null, Frequency(s.Frequency), Utc(s.FirstPaymentDateTime), o.FinalPaymentAt is { } final ? Utc(final) : null),
            o.LastPaymentAt is { } last ? Utc(last) : null, o.LastAmountMinor is { } lastAmount ? ObAmount.Of(lastAmount, s.Currency) : null,
            o.FinalAmountMinor is { } finalAmount ? ObAmount.Of(finalAmount, s.Currency) : null);
    }

    /// <summary>
    /// A v3.1.11 standing-order frequency (OBIE's pattern codes) as OBFrequency6: the ISO period, and the day within it
    /// as PointInTime when it fits the field's two characters. A code without an ISO period (every n days) is ADHO.
    /// </summary>
    public static ObFrequency Frequency(string code)
    {
        var parts = code.Split(':');
        return parts[0] switch
        {
            "EvryDay" or "EvryWorkgDay" => new("DAIL"),
            "IntrvlWkDay" when parts.Length == 3 => new(parts[1] == "02" ? "FRTN" : "WEEK", Day(parts[2])),
            "WkInMnthDay" => new("MNTH"),
            "IntrvlMnthDay" when parts.Length == 3 => new(parts[1] switch { "03" => "QURT", "06" => "MIAN", "12" => "YEAR", _ => "MNTH" }, Day(parts[2])),
            "QtrDay" => new("QURT"),
            _ => new("ADHO"),
        };

        // "01" … "31" (day of the month or of the week); a day counted from the month's end ("-01") does not fit.
        static string? Day(string day) => day.Length == 2 && char.IsAsciiDigit(day[0]) ? day : null;
    }

    /// <summary>
    /// v3.1.11's account sub-type (OBExternalAccountSubType1Code) as v4.0's ISO cash-account type: the product family
    /// each names. E-money is a wallet (WALT); a prepaid card is a card (CARD), as ISO has no prepaid code; anything
    /// else is OTHR.
    /// </summary>
    public static string AccountTypeCode(string accountSubType) => accountSubType switch
    {
        "CurrentAccount" => "CACC",
        "Savings" => "SVGS",
        "CreditCard" => "CARD",
        "ChargeCard" => "CHAR",
        "PrePaidCard" => "CARD",
        "EMoney" => "WALT",
        "Loan" => "LOAN",
        "Mortgage" => "MORT",
        _ => "OTHR",
    };

    /// <summary>A direct debit's frequency (the bank's words) as OBFrequency6Code; one the bank cannot name is ad hoc (ADHO).</summary>
    public static string FrequencyType(string frequency) => frequency switch
    {
        "Daily" => "DAIL",
        "Weekly" => "WEEK",
        "Fortnightly" => "FRTN",
        "Monthly" => "MNTH",
        "Quarterly" => "QURT",
        "HalfYearly" => "MIAN",
        "Annual" or "Yearly" => "YEAR",
        _ => "ADHO",
    };
}
