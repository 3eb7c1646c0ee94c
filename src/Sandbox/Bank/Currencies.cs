using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenBanking.Sandbox.Bank;

/// <summary>
/// ISO 4217 minor units: how many decimal places an amount in a currency has (JPY none, GBP two, BHD three), so that
/// every amount is kept as a whole number of its currency's smallest unit.
/// </summary>
public static partial class Currencies
{
    private static readonly HashSet<string> NoDecimals = ["JPY", "KRW", "ISK", "CLP", "VND", "XAF", "XOF", "UGX", "PYG", "RWF"];
    private static readonly HashSet<string> ThreeDecimals = ["BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD"];

    /// <summary>The number of decimal places of the currency's minor unit (2 unless ISO 4217 says 0 or 3).</summary>
    public static int Exponent(string currency) => NoDecimals.Contains(currency) ? 0 : ThreeDecimals.Contains(currency) ? 3 : 2;

    /// <summary>10^exponent: minor units in one major unit.</summary>
    public static long MinorPerMajor(string currency) => Exponent(currency) switch
    {
        0 => 1,
        3 => 1000,
        _ => 100,
    };

    public static bool IsWellFormed(string? currency) => currency is not null && CodePattern().IsMatch(currency);

    /// <summary>A major amount in minor units, rounded half to even at the currency's exponent (the rounding every conversion uses).</summary>
    public static long ToMinor(decimal major, string currency)
        => (long)Math.Round(major * MinorPerMajor(currency), MidpointRounding.ToEven);

    public static decimal ToMajor(long minor, string currency) => (decimal)minor / MinorPerMajor(currency);

    /// <summary>
    /// An OBIE amount string (<c>^\d{1,13}$|^\d{1,13}\.\d{1,5}$</c>) in minor units of the currency: false when it does
    /// not match, is zero, or has a non-zero digit beyond the currency's exponent ("100.5" JPY, "1.001" GBP; "100.00" JPY
    /// and "10.500" GBP are whole minor units and accepted).
    /// </summary>
    public static bool TryParseAmount(string? amount, string currency, out long minor)
    {
        minor = 0;
        if (amount is null || !AmountPattern().IsMatch(amount)
            || !decimal.TryParse(amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var major))
        {
            return false;
        }

        var scaled = major * MinorPerMajor(currency);
        if (scaled != decimal.Truncate(scaled) || scaled <= 0 || scaled > long.MaxValue)
        {
            return false;
        }

        minor = (long)scaled;
        return true;
    }

    [GeneratedRegex(@"^[A-Z]{3}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^\d{1,13}$|^\d{1,13}\.\d{1,5}$")]
    private static partial Regex AmountPattern();
}
