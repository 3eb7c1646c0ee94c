using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenBanking.Sandbox.OpenBanking;

/// <summary>
/// Collects every problem of a request body, each with the OBIE code and the failing field's path, so a partner
/// fixes a request in one round trip. Throws one 400 with all of them at <see cref="ThrowIfAny"/>.
/// </summary>
public sealed partial class ObieValidator
{
    public List<ObError> Errors { get; } = [];

    public void Add(string code, string message, string path) => Errors.Add(new ObError(code, message, path));

    public void ThrowIfAny()
    {
        if (Errors.Count > 0)
        {
            throw ObieException.BadRequest([.. Errors]);
        }
    }

    /// <summary>The property as an object, or null (with an error when it is required, or present but not an object).</summary>
    public JsonElement? Object(JsonElement parent, string name, string path, bool required, params string[] allowed)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            if (required)
            {
                Add(ObieErrorCodes.FieldMissing, $"{name} is required.", path);
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Add(ObieErrorCodes.FieldInvalid, $"{name} must be an object.", path);
            return null;
        }

        if (allowed.Length > 0)
        {
            Only(value, path, allowed);
        }

        return value;
    }

    /// <summary>additionalProperties: false.</summary>
    public void Only(JsonElement value, string path, params string[] allowed)
    {
        foreach (var property in value.EnumerateObject().Where(p => !allowed.Contains(p.Name, StringComparer.Ordinal)))
        {
            Add(ObieErrorCodes.FieldUnexpected, $"'{property.Name}' is not allowed here.", $"{path}.{property.Name}");
        }
    }

    public string? String(JsonElement parent, string name, string path, bool required, int maxLength, int minLength = 1)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            if (required)
            {
                Add(ObieErrorCodes.FieldMissing, $"{name} is required.", path);
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Add(ObieErrorCodes.FieldInvalid, $"{name} must be a string.", path);
            return null;
        }

        var text = value.GetString()!;
        if (text.Length < minLength || text.Length > maxLength)
        {
            Add(ObieErrorCodes.FieldInvalid, $"{name} must be {minLength} to {maxLength} characters long.", path);
            return null;
        }

        return text;
    }

    public string? Enum(JsonElement parent, string name, string path, bool required, params string[] values)
    {
        var text = String(parent, name, path, required, 128);
        if (text is not null && !values.Contains(text, StringComparer.Ordinal))
        {
            Add(ObieErrorCodes.FieldInvalid, $"{name} must be one of: {string.Join(", ", values)}.", path);
            return null;
        }

        return text;
    }

    public DateTimeOffset? DateTime(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() is { } text && text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        Add(ObieErrorCodes.FieldInvalidDate, $"{name} must be an ISO 8601 date-time, e.g. 2026-12-31T23:59:59+00:00.", path);
        return null;
    }

    /// <summary>
    /// An OBIE amount and currency: the amount a string of up to 13 digits and 5 decimals, positive, and with no more
    /// decimals than the currency has; the currency one this bank holds accounts in.
    /// </summary>
    /// <param name="name">The amount's member: InstructedAmount, or a standing order's First/Recurring/FinalPaymentAmount.</param>
    public (long Minor, string Amount, string Currency)? Amount(JsonElement parent, string path, string name = "InstructedAmount", bool required = true)
    {
        var amountElement = Object(parent, name, path, required, "Amount", "Currency");
        if (amountElement is not { } instructed)
        {
            return null;
        }

        var amount = String(instructed, "Amount", path + ".Amount", required: true, 19);
        var currency = String(instructed, "Currency", path + ".Currency", required: true, 3, 3);
        long? minor = null;
        if (amount is not null)
        {
            if (!AmountPattern().IsMatch(amount))
            {
                Add(ObieErrorCodes.FieldInvalid, "Amount must be a string of digits with up to 5 decimals, e.g. \"10.50\".", path + ".Amount");
            }
            else
            {
                var value = decimal.Parse(amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                var scaled = value * 100m;
                if (value <= 0m)
                {
                    Add(ObieErrorCodes.FieldInvalid, "Amount must be greater than zero.", path + ".Amount");
                }
                else if (scaled != decimal.Truncate(scaled))
                {
                    Add(ObieErrorCodes.FieldInvalid, "Amount has more decimals than the currency's minor unit (2).", path + ".Amount");
                }
                else
                {
                    minor = (long)scaled;
                }
            }
        }

        if (currency is not null)
        {
            if (!CurrencyPattern().IsMatch(currency))
            {
                Add(ObieErrorCodes.FieldInvalid, "Currency must be an ISO 4217 code of three capital letters.", path + ".Currency");
                currency = null;
            }
            else if (!SupportedCurrencies.Contains(currency))
            {
                Add(ObieErrorCodes.UnsupportedCurrency, $"This bank holds accounts in {string.Join(", ", SupportedCurrencies)} only.", path + ".Currency");
                currency = null;
            }
        }

        return minor is { } m && currency is not null ? (m, amount!, currency) : null;
    }

    public static readonly string[] SupportedCurrencies = ["GBP", "EUR", "USD"];

    /// <summary>
    /// An account reference (OBCashAccount): the schemes this bank's accounts use, in their formats. A version's schema
    /// may allow more fields (<paramref name="extraFields"/>, e.g. v4.0's Proxy); the caller checks those.
    /// </summary>
    public AccountReference? Account(JsonElement parent, string name, string path, bool required, bool nameRequired, params string[] extraFields)
    {
        if (Object(parent, name, path, required, ["SchemeName", "Identification", "Name", "SecondaryIdentification", .. extraFields]) is not { } account)
        {
            return null;
        }

        var scheme = String(account, "SchemeName", path + ".SchemeName", required: true, 40);
        var identification = String(account, "Identification", path + ".Identification", required: true, 256);
        var accountName = String(account, "Name", path + ".Name", required: nameRequired, 350);
        var secondary = String(account, "SecondaryIdentification", path + ".SecondaryIdentification", required: false, 34);
        if (scheme is null || identification is null)
        {
            return null;
        }

        switch (scheme)
        {
            case AccountSchemes.SortCodeAccountNumber when !SortCodeAccountNumberPattern().IsMatch(identification):
                Add(ObieErrorCodes.FieldInvalid, "A sort code and account number is 14 digits (6 + 8).", path + ".Identification");
                return null;
            case AccountSchemes.Iban when !IsIban(identification):
                Add(ObieErrorCodes.FieldInvalid, "Identification is not a valid IBAN.", path + ".Identification");
                return null;
            case AccountSchemes.SortCodeAccountNumber or AccountSchemes.Iban:
                break;
            case "UK.OBIE.BBAN" or "UK.OBIE.PAN" or "UK.OBIE.Paym" or "UK.OBIE.Wallet":
                Add(ObieErrorCodes.UnsupportedScheme, $"{scheme} is not supported here; use {AccountSchemes.SortCodeAccountNumber} or {AccountSchemes.Iban}.", path + ".SchemeName");
                return null;
            default:
                Add(ObieErrorCodes.UnsupportedScheme, $"Unknown scheme {scheme}; use {AccountSchemes.SortCodeAccountNumber} or {AccountSchemes.Iban}.", path + ".SchemeName");
                return null;
        }

        return accountName is null && nameRequired ? null : new AccountReference(scheme, identification, accountName, secondary);
    }

    public static bool IsIban(string value)
    {
        if (!IbanPattern().IsMatch(value))
        {
            return false;
        }

        // ISO 13616: move the first four characters to the end, letters to numbers, the whole mod 97 is 1.
        var rearranged = value[4..] + value[..4];
        var remainder = 0;
        foreach (var c in rearranged)
        {
            var digits = char.IsDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = digits >= 10 ? (remainder * 100 + digits) % 97 : (remainder * 10 + digits) % 97;
        }

        return remainder == 1;
    }

    [GeneratedRegex(@"^\d{1,13}$|^\d{1,13}\.\d{1,5}$")]
    private static partial Regex AmountPattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    [GeneratedRegex("^[0-9]{14}$")]
    private static partial Regex SortCodeAccountNumberPattern();

    [GeneratedRegex("^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")]
    private static partial Regex IbanPattern();
}

public static class AccountSchemes
{
    public const string SortCodeAccountNumber = "UK.OBIE.SortCodeAccountNumber";
    public const string Iban = "UK.OBIE.IBAN";
}

/// <summary>An account as a request names it.</summary>
public sealed record AccountReference(string SchemeName, string Identification, string? Name, string? SecondaryIdentification);
