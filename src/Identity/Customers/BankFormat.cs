using System.Globalization;

namespace OpenBanking.Identity.Customers;

/// <summary>
/// How the bank's customer pages write money, account types and times: as a UK bank statement does ("£10,290.41",
/// "−£493.10 overdrawn", "Current account"), never as the API's wire values ("-493.10 GBP", "CurrentAccount").
/// </summary>
public static class BankFormat
{
    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    private static readonly Dictionary<string, string> Symbols = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GBP"] = "£",
        ["EUR"] = "€",
        ["USD"] = "$",
    };

    // OBIE OBExternalAccountSubType1Code, in words.
    private static readonly Dictionary<string, string> SubTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CurrentAccount"] = "Current account",
        ["Savings"] = "Savings account",
        ["CreditCard"] = "Credit card",
        ["ChargeCard"] = "Charge card",
        ["EMoney"] = "E-money account",
        ["Loan"] = "Loan",
        ["Mortgage"] = "Mortgage",
        ["PrePaidCard"] = "Prepaid card",
    };

    // ISO 4217 minor units that are not two decimals (the Sandbox's Currencies table): yen has none, dinars three.
    private static readonly HashSet<string> NoDecimals = new(StringComparer.OrdinalIgnoreCase) { "JPY", "KRW", "ISK", "CLP", "VND", "XAF", "XOF", "UGX", "PYG", "RWF" };
    private static readonly HashSet<string> ThreeDecimals = new(StringComparer.OrdinalIgnoreCase) { "BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD" };

    /// <summary>
    /// "£1,234.56"; a negative amount with a real minus sign ("−£5.00"); unknown currencies as "1,234.56 CHF"; the
    /// currency's own decimal places ("18,955 JPY", "47.394 BHD").
    /// </summary>
    public static string Money(decimal amount, string currency)
    {
        var format = NoDecimals.Contains(currency) ? "#,##0" : ThreeDecimals.Contains(currency) ? "#,##0.000" : "#,##0.00";
        var digits = Math.Abs(amount).ToString(format, EnGb);
        var sign = amount < 0 ? "\u2212" : string.Empty;
        return Symbols.TryGetValue(currency, out var symbol) ? $"{sign}{symbol}{digits}" : $"{sign}{digits} {currency.ToUpperInvariant()}";
    }

    /// <summary>An amount as the API writes it ("10.00"), as money; the text itself if it is not a number.</summary>
    public static string Money(string amount, string currency)
        => decimal.TryParse(amount, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? Money(value, currency) : $"{amount} {currency}";

    /// <summary>
    /// An account's balance as the Sandbox sends it ("-493.10 GBP"), in words: "£10,290.41", "−£493.10 overdrawn", or for
    /// a card "£493.10 to pay".
    /// </summary>
    public static string Balance(string balance, string accountSubType)
    {
        var parts = balance.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !decimal.TryParse(parts[0], NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
        {
            return balance;
        }

        var currency = parts[1];
        if (amount >= 0)
        {
            return Money(amount, currency);
        }

        return accountSubType.EndsWith("Card", StringComparison.OrdinalIgnoreCase)
            ? $"{Money(-amount, currency)} to pay"
            : $"{Money(amount, currency)} overdrawn";
    }

    /// <summary>"Current account" for "CurrentAccount"; an unknown code split into words.</summary>
    public static string AccountType(string accountSubType)
        => SubTypes.TryGetValue(accountSubType, out var words) ? words : accountSubType;

    public static string Date(DateTimeOffset value) => value.ToString("d MMMM yyyy", EnGb);

    /// <summary>UK time, as the customer's clock shows it.</summary>
    public static string DateTime(DateTimeOffset value)
    {
        var local = TimeZoneInfo.ConvertTime(value, London);
        return local.ToString("d MMMM yyyy 'at' HH:mm", EnGb);
    }

    private static readonly TimeZoneInfo London =
        TimeZoneInfo.TryFindSystemTimeZoneById("Europe/London", out var zone) ? zone : TimeZoneInfo.Utc;
}
