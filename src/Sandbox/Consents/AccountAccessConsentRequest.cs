using System.Globalization;
using System.Text.Json;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Consents;

/// <summary>
/// A validated OBReadConsent1 body (the same schema in v3.1.11 and v4.0). <see cref="Parse"/> reports every problem
/// at once, each with the failing field's path, so a partner fixes a request in one round trip.
/// </summary>
public sealed record AccountAccessConsentRequest(
    IReadOnlyList<string> Permissions,
    DateTimeOffset? ExpirationDateTime,
    DateTimeOffset? TransactionFromDateTime,
    DateTimeOffset? TransactionToDateTime)
{
    private static readonly string[] DataFields = ["Permissions", "ExpirationDateTime", "TransactionFromDateTime", "TransactionToDateTime"];

    public static AccountAccessConsentRequest Parse(JsonElement root, DateTimeOffset now)
    {
        var errors = new List<ObError>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidFormat, "The body must be a JSON object with Data and Risk."));
        }

        foreach (var property in root.EnumerateObject().Where(p => p.Name is not ("Data" or "Risk")))
        {
            errors.Add(new ObError(ObieErrorCodes.FieldUnexpected, $"'{property.Name}' is not part of OBReadConsent1.", property.Name));
        }

        if (!root.TryGetProperty("Risk", out var risk))
        {
            errors.Add(new ObError(ObieErrorCodes.FieldMissing, "Risk is required (an empty object for account access).", "Risk"));
        }
        else if (risk.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ObError(ObieErrorCodes.FieldInvalid, "Risk must be an empty object.", "Risk"));
        }
        else
        {
            // OBRisk2 has no properties and allows none.
            errors.AddRange(risk.EnumerateObject().Select(p =>
                new ObError(ObieErrorCodes.FieldUnexpected, $"'{p.Name}' is not allowed in Risk for account access.", "Risk." + p.Name)));
        }

        if (!root.TryGetProperty("Data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ObError(ObieErrorCodes.FieldMissing, "Data is required.", "Data"));
            throw ObieException.BadRequest([.. errors]);
        }

        errors.AddRange(data.EnumerateObject().Where(p => !DataFields.Contains(p.Name)).Select(p =>
            new ObError(ObieErrorCodes.FieldUnexpected, $"'{p.Name}' is not part of OBReadConsent1 Data.", "Data." + p.Name)));

        var permissions = ParsePermissions(data, errors);
        var expiration = ParseDate(data, "ExpirationDateTime", errors);
        var from = ParseDate(data, "TransactionFromDateTime", errors);
        var to = ParseDate(data, "TransactionToDateTime", errors);

        if (expiration is { } expires && expires <= now)
        {
            errors.Add(new ObError(ObieErrorCodes.FieldInvalidDate, "ExpirationDateTime must be in the future.", "Data.ExpirationDateTime"));
        }

        if (from is { } start && to is { } end && start > end)
        {
            errors.Add(new ObError(ObieErrorCodes.FieldInvalidDate,
                "TransactionFromDateTime must not be later than TransactionToDateTime.", "Data.TransactionFromDateTime"));
        }

        if (errors.Count > 0)
        {
            throw ObieException.BadRequest([.. errors]);
        }

        return new AccountAccessConsentRequest(permissions, expiration, from, to);
    }

    private static List<string> ParsePermissions(JsonElement data, List<ObError> errors)
    {
        const string path = "Data.Permissions";
        var permissions = new List<string>();
        if (!data.TryGetProperty("Permissions", out var element))
        {
            errors.Add(new ObError(ObieErrorCodes.FieldMissing, "Permissions is required.", path));
            return permissions;
        }

        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            errors.Add(new ObError(ObieErrorCodes.FieldInvalid, "Permissions must be a non-empty array of permission codes.", path));
            return permissions;
        }

        var unknown = new List<string>();
        foreach (var item in element.EnumerateArray())
        {
            var value = item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText();
            if (AccountAccessPermissions.All.Contains(value))
            {
                permissions.Add(value);
            }
            else
            {
                unknown.Add(value);
            }
        }

        if (unknown.Count > 0)
        {
            errors.Add(new ObError(ObieErrorCodes.FieldInvalid, $"Unknown permission(s): {string.Join(", ", unknown)}.", path));
            return permissions;
        }

        errors.AddRange(AccountAccessPermissions.CombinationProblems(permissions)
            .Select(problem => new ObError(ObieErrorCodes.FieldInvalid, problem, path)));
        return permissions;
    }

    private static DateTimeOffset? ParseDate(JsonElement data, string field, List<ObError> errors)
    {
        if (!data.TryGetProperty(field, out var element))
        {
            return null;
        }

        // Any valid ISO 8601 date-time is accepted; one without a zone is read as UTC.
        if (element.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            && element.GetString()!.Contains('T', StringComparison.Ordinal))
        {
            return value;
        }

        errors.Add(new ObError(ObieErrorCodes.FieldInvalidDate, $"{field} must be an ISO 8601 date-time, e.g. 2026-12-31T23:59:59+00:00.", "Data." + field));
        return null;
    }
}
