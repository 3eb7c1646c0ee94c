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
}
