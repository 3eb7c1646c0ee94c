using System.Text.Json;

namespace OpenBanking.Sandbox.Payments;

/// <summary>Compares two JSON values as values: property order does not matter, strings and numbers must be identical.</summary>
public static class JsonValues
{
    /// <summary>The path of the first difference, or null when equal.</summary>
    public static string? FirstDifference(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return path;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var actualNames = actual.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var property in expected.EnumerateObject())
                {
                    if (!actual.TryGetProperty(property.Name, out var other))
                    {
                        return $"{path}.{property.Name}";
                    }

                    actualNames.Remove(property.Name);
                    if (FirstDifference(property.Value, other, $"{path}.{property.Name}") is { } difference)
                    {
                        return difference;
                    }
                }

                return actualNames.Count > 0 ? $"{path}.{actualNames.Order(StringComparer.Ordinal).First()}" : null;
            case JsonValueKind.Array:
                if (expected.GetArrayLength() != actual.GetArrayLength())
                {
                    return path;
                }

                var index = 0;
                foreach (var (a, b) in expected.EnumerateArray().Zip(actual.EnumerateArray()))
                {
                    if (FirstDifference(a, b, $"{path}[{index++}]") is { } difference)
                    {
                        return difference;
                    }
                }

                return null;
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString() ? null : path;
            case JsonValueKind.Number:
                return expected.GetRawText() == actual.GetRawText() ? null : path;
            default:
                return null;
        }
    }
}
