using System.Globalization;
using System.Text.RegularExpressions;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Partners;

/// <summary>
/// The Portal's "Book contract" form: the Sandbox's own rules checked before the round trip, so a person sees every
/// problem at once (the Sandbox checks them again and names any left by field).
/// </summary>
public sealed partial class FxBookingForm
{
    /// <summary>The currencies the sandbox bank's FX desk trades, in the order the Portal lists them.</summary>
    public static readonly IReadOnlyList<string> Currencies = ["GBP", "EUR", "USD", "CHF", "JPY", "PLN", "SEK", "INR", "AED", "BHD"];

    /// <summary>How long a contract may hold, as offered in the form (ISO 8601 durations the Sandbox takes).</summary>
    public static readonly IReadOnlyList<(string Duration, string Label)> Validities =
        [("PT1H", "1 hour"), ("P1D", "1 day"), ("P7D", "7 days"), ("P30D", "30 days")];

    public const decimal MaximumAmount = 10_000_000m;

    public string? UnitCurrency { get; set; } = "GBP";
    public string? CurrencyOfTransfer { get; set; } = "EUR";
    public string Side { get; set; } = "Buy";
    public string? Amount { get; set; }
    public string? AmountCurrency { get; set; } = "EUR";
    public string ValidFor { get; set; } = "P1D";

    /// <summary>Decimal places of the currency's minor unit (ISO 4217): JPY none, BHD three, the desk's others two.</summary>
    public static int Exponent(string currency) => currency switch
    {
        "JPY" => 0,
        "BHD" => 3,
        _ => 2,
    };

    /// <summary>Every problem, by the field the Sandbox names it with ("" for none in particular).</summary>
    public Dictionary<string, string> Errors()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (UnitCurrency is null || !Currencies.Contains(UnitCurrency))
        {
            errors["UnitCurrency"] = "Choose the currency the customer pays with.";
        }

        if (CurrencyOfTransfer is null || !Currencies.Contains(CurrencyOfTransfer))
        {
            errors["CurrencyOfTransfer"] = "Choose the currency the customer sends.";
        }
        else if (CurrencyOfTransfer == UnitCurrency)
        {
            errors["CurrencyOfTransfer"] = $"Choose a currency other than {UnitCurrency}: a contract converts one currency into another.";
        }

        if (Side is not ("Buy" or "Sell"))
        {
            errors["Side"] = "Choose Buy or Sell.";
        }

        if (AmountCurrency is null || (AmountCurrency != UnitCurrency && AmountCurrency != CurrencyOfTransfer))
        {
            errors["Amount.Currency"] = "Choose the amount's currency: one of the pair.";
        }

        var exponent = Exponent(AmountCurrency ?? "GBP");
        var text = Amount?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors["Amount.Amount"] = "Enter the amount the contract is for.";
        }
        else if (!AmountPattern().IsMatch(text)
            || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            errors["Amount.Amount"] = "Enter an amount greater than zero in digits, such as 1000.00 (no commas or currency signs).";
        }
        else if (decimal.Round(value, exponent) != value)
        {
            errors["Amount.Amount"] = exponent == 0
                ? $"{AmountCurrency} has no decimal places: enter a whole number, such as 10000."
                : $"{AmountCurrency} has {exponent} decimal places: enter at most {exponent} digits after the point.";
        }
        else if (value > MaximumAmount)
        {
            errors["Amount.Amount"] = $"Enter at most {MaximumAmount.ToString("#,0", CultureInfo.InvariantCulture)}.";
        }

        if (!Validities.Any(v => v.Duration == ValidFor))
        {
            errors["ValidFor"] = "Choose how long the contract holds.";
        }

        return errors;
    }

    public FxBooking ToBooking() => new(UnitCurrency!, CurrencyOfTransfer!, Side, new FxAmount(Amount!.Trim(), AmountCurrency!), ValidFor);

    [GeneratedRegex(@"^\d{1,13}(\.\d{1,5})?$")]
    private static partial Regex AmountPattern();
}
