using System.Globalization;

namespace OpenBanking.Sandbox.Bank;

/// <summary>Minor units ↔ the OBIE amount string (<c>^\d{1,13}\.\d{1,5}$</c>, never signed).</summary>
public static class Money
{
    public static string Format(long minor) =>
        (Math.Abs(minor) / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>For people: "£25.00", "€3.10", or "12.00 CHF" for a currency without a sign here.</summary>
    public static string Display(long minor, string currency) => currency switch
    {
        "GBP" => "£" + Format(minor),
        "EUR" => "€" + Format(minor),
        "USD" => "$" + Format(minor),
        _ => Format(minor) + " " + currency,
    };

    public static long Minor(decimal major) => (long)Math.Round(major * 100m, MidpointRounding.ToEven);

    /// <summary>The OBIE amount string with the currency's own decimal places: "18955" JPY, "85.89" GBP, "47.394" BHD.</summary>
    public static string Format(long minor, string currency) => Currencies.Exponent(currency) switch
    {
        0 => Math.Abs(minor).ToString(CultureInfo.InvariantCulture),
        3 => (Math.Abs(minor) / 1000m).ToString("0.000", CultureInfo.InvariantCulture),
        _ => Format(minor),
    };

    /// <summary>For people, with the currency's own decimal places: "£85.89", "18955 JPY", "47.394 BHD".</summary>
    public static string DisplayIn(long minor, string currency) => currency switch
    {
        "GBP" or "EUR" or "USD" => Display(minor, currency),
        _ => Format(minor, currency) + " " + currency,
    };
}
