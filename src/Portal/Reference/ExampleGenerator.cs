using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OpenBanking.Portal.Reference;

/// <summary>
/// Builds example JSON from a schema: the spec's own example where it has one, otherwise a value that satisfies the
/// schema (enums, formats, patterns, lengths, bounds), with realistic Open Banking values for well-known field names.
/// </summary>
public static class ExampleGenerator
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private const int MaxDepth = 40;

    // Values for common OBIE field names; each is used only when it satisfies the field's schema.
    private static readonly Dictionary<string, string> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Currency"] = "GBP",
        ["UnitCurrency"] = "GBP",
        ["SourceCurrency"] = "GBP",
        ["TargetCurrency"] = "EUR",
        ["CurrencyOfTransfer"] = "GBP",
        ["Amount"] = "10.50",
        ["SchemeName"] = "UK.OBIE.SortCodeAccountNumber",
        ["Identification"] = "11280001234567",
        ["SecondaryIdentification"] = "0002",
        ["Name"] = "Jane Smith",
        ["Reference"] = "Invoice 1234",
        ["InstructionIdentification"] = "ACME412",
        ["EndToEndIdentification"] = "FRESCO.21302.GFX.20",
        ["LocalInstrument"] = "UK.OBIE.FPS",
        ["Country"] = "GB",
        ["CountrySubDivision"] = "Greater London",
        ["CountryCode"] = "GB",
        ["TownName"] = "London",
        ["PostCode"] = "EC2V 7HH",
        ["StreetName"] = "Threadneedle Street",
        ["BuildingNumber"] = "1",
        ["MerchantCategoryCode"] = "5411",
        ["MerchantCustomerIdentification"] = "053598653254",
        ["Frequency"] = "EvryDay",
        ["ConsentId"] = "58923",
        ["AccountId"] = "22289",
        ["Permissions"] = "ReadAccountsDetail",
        ["NumberOfPayments"] = "10",
        ["Unstructured"] = "Internal ops code 5120101",
        ["RemittanceInformation"] = "Invoice 1234",
        ["ContractIdentification"] = "FX-1234",
        ["ExchangeRate"] = "1.10",
        ["Rate"] = "1.10",
        ["Self"] = "https://api.example.com/open-banking/resource/1",
        ["LEI"] = "549300KJTIIGC8Y1R112",
    };

    // Candidates for the patterns the OBIE documents use; the first that matches the pattern and lengths wins.
    private static readonly string[] PatternCandidates =
    [
        "GBP", "GB", "10.50", "1.10", "EvryDay", "ABCD", "1234567890", "+44-7700900123",
        "Sun, 10 Sep 2017 19:43:31 UTC", "A1", "Example value",
        // OB_CodeMnemonic's pattern is escaped twice in the AIS document ("^\\\\w{0,4}$"): it asks for a backslash.
        @"\w",
    ];

    /// <summary>An example of the schema; <paramref name="requiredOnly"/> leaves out optional properties (for request bodies one edits).</summary>
    public static JsonNode? Generate(SchemaNode schema, bool requiredOnly = false)
        => Generate(schema, null, requiredOnly, 0);

    public static string ToJson(JsonNode? node) => node?.ToJsonString(Indented) ?? "null";

    private static JsonNode? Generate(SchemaNode schema, string? name, bool requiredOnly, int depth)
    {
        // The spec's own example, unless it breaks the schema's own pattern (some v4.0 examples do, e.g. LEI and phone numbers).
        if (schema.Example is not null
            && !(schema.Pattern is not null && schema.Example is JsonValue example && example.TryGetValue<string>(out var text) && !Matches(schema.Pattern, text)))
        {
            return schema.Example.DeepClone();
        }

        if (schema.Enum.Count > 0)
        {
            return JsonValue.Create(schema.Enum[0]);
        }

        return schema.Type switch
        {
            "object" => GenerateObject(schema, requiredOnly, depth),
            "array" => GenerateArray(schema, name, requiredOnly, depth),
            "integer" => JsonValue.Create(IntegerValue(schema, name)),
            "number" => JsonValue.Create(schema.Minimum is { } min && min > 10.5m ? min : schema.Maximum is { } max && max < 10.5m ? max : 10.5m),
            "boolean" => JsonValue.Create(true),
            "string" => JsonValue.Create(StringValue(schema, name)),
            _ when schema.Properties.Count > 0 => GenerateObject(schema, requiredOnly, depth),
            _ => JsonValue.Create(StringValue(schema, name)),
        };
    }

    private static long IntegerValue(SchemaNode schema, string? name)
    {
        long value = ByName.TryGetValue(name ?? string.Empty, out var known) && long.TryParse(known, out var parsed) ? parsed : 1;
        if (schema.Minimum is { } min && value < min)
        {
            value = (long)Math.Ceiling(min);
        }

        if (schema.Maximum is { } max && value > max)
        {
            value = (long)Math.Floor(max);
        }

        return value;
    }

    private static JsonObject GenerateObject(SchemaNode schema, bool requiredOnly, int depth)
    {
        var result = new JsonObject();
        if (depth > MaxDepth)
        {
            return result;
        }

        var included = 0;
        foreach (var property in schema.Properties)
        {
            var wanted = property.Required || !requiredOnly || included < (schema.MinProperties ?? 0);
            if (!wanted || (property.Schema.IsRecursive && !property.Required))
            {
                continue;
            }

            result[property.Name] = Generate(property.Schema, property.Name, requiredOnly, depth + 1);
            included++;
        }

        return result;
    }

    private static JsonArray GenerateArray(SchemaNode schema, string? name, bool requiredOnly, int depth)
    {
        var result = new JsonArray();
        if (schema.Items is null || depth > MaxDepth)
        {
            return result;
        }

        var count = Math.Max(1, schema.MinItems ?? 0);
        for (var i = 0; i < count; i++)
        {
            // Arrays of enums (e.g. Permissions) take distinct values.
            result.Add(schema.Items.Enum.Count > i
                ? JsonValue.Create(schema.Items.Enum[i])
                : Generate(schema.Items, name, requiredOnly, depth + 1));
        }

        return result;
    }

    private static string StringValue(SchemaNode schema, string? name)
    {
        switch (schema.Format)
        {
            case "date-time":
                return "2025-01-15T10:30:00+00:00";
            case "date":
                return "2025-01-15";
            case "uri":
                return "https://api.example.com/open-banking/resource/1";
        }

        var candidates = new List<string>();
        if (name is not null && ByName.TryGetValue(name, out var known))
        {
            candidates.Add(known);
        }

        if (schema.Pattern is not null)
        {
            candidates.AddRange(PatternCandidates);
        }

        candidates.Add(name is null ? "string" : "Example " + name);
        foreach (var candidate in candidates)
        {
            var value = FitLength(candidate, schema);
            if (schema.Pattern is null || Matches(schema.Pattern, value))
            {
                return value;
            }
        }

        return FitLength(candidates[0], schema);
    }

    private static string FitLength(string value, SchemaNode schema)
    {
        if (schema.MaxLength is { } max && value.Length > max)
        {
            value = value[..max];
        }

        if (schema.MinLength is { } min && value.Length < min)
        {
            value = value.PadRight(min, 'x');
        }

        return value;
    }

    private static bool Matches(string pattern, string value)
    {
        // Linear time whatever the pattern: a backtracking match with a timeout gave a different answer (an
        // unhandled timeout) when the machine was busy, so the same schema could yield a different example.
        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            // Look-arounds and back-references need the backtracking engine; the specs' patterns are short.
            try
            {
                return Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromSeconds(5));
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }
        catch (ArgumentException)
        {
            return true; // A pattern .NET cannot read constrains nothing we can check.
        }
    }
}
