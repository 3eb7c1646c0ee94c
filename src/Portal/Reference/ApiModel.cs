using System.Text.Json.Nodes;

namespace OpenBanking.Portal.Reference;

/// <summary>One Open Banking API as the reference shows it, read from its OpenAPI document.</summary>
public sealed record ApiDefinition(
    ApiInfo Info,
    string Title,
    string Version,
    string Description,
    string BasePath,
    IReadOnlyList<ApiOperation> Operations)
{
    /// <summary>The release this document belongs to.</summary>
    public ObieVersion ObieVersion { get; init; } = ObieVersion.Default;

    /// <summary>The operations by tag, in the document's order.</summary>
    public IEnumerable<IGrouping<string, ApiOperation>> ByTag() => Operations.GroupBy(o => o.Tag);

    public ApiOperation? Find(string operationId)
        => Operations.FirstOrDefault(o => string.Equals(o.OperationId, operationId, StringComparison.Ordinal));
}

/// <summary>
/// How an operation is authorised: with an app's own client-credentials token, or with a token the customer granted
/// through a consent (the authorization code flow).
/// </summary>
public enum ApiGrant
{
    None,
    ClientCredentials,
    AuthorizationCode,
}

public sealed record ApiOperation(
    string OperationId,
    string Method,
    string Path,
    string FullPath,
    string Tag,
    string Summary,
    string Description,
    IReadOnlyList<ApiParameter> Parameters,
    ApiRequestBody? RequestBody,
    IReadOnlyList<ApiResponse> Responses,
    ApiGrant Grant,
    IReadOnlyList<string> Scopes)
{
    /// <summary>The names of every schema the operation uses, for search.</summary>
    public IReadOnlySet<string> SchemaNames { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>A stable HTML id for anchors and aria-controls.</summary>
    public string AnchorId => "op-" + OperationId;

    public bool Matches(string query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return true;
        }

        return query.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(term =>
            FullPath.Contains(term, StringComparison.OrdinalIgnoreCase)
            || Method.Equals(term, StringComparison.OrdinalIgnoreCase)
            || Summary.Contains(term, StringComparison.OrdinalIgnoreCase)
            || OperationId.Contains(term, StringComparison.OrdinalIgnoreCase)
            || Tag.Contains(term, StringComparison.OrdinalIgnoreCase)
            || SchemaNames.Any(s => s.Contains(term, StringComparison.OrdinalIgnoreCase)));
    }
}

public sealed record ApiParameter(string Name, string In, bool Required, string Description, SchemaNode Schema);

public sealed record ApiRequestBody(bool Required, string Description, IReadOnlyList<string> MediaTypes, SchemaNode Schema, JsonNode? Example);

public sealed record ApiResponse(
    string Status,
    string Description,
    IReadOnlyList<ApiParameter> Headers,
    IReadOnlyList<string> MediaTypes,
    SchemaNode? Schema,
    JsonNode? Example);

/// <summary>A JSON schema with its references resolved, as a tree the page can render.</summary>
public sealed class SchemaNode
{
    /// <summary>The component name when the schema was a <c>$ref</c>, e.g. <c>OBReadConsent1</c>.</summary>
    public string? RefName { get; init; }

    public string? Type { get; init; }

    public string? Format { get; init; }

    public string? Description { get; init; }

    public string? Pattern { get; init; }

    public int? MinLength { get; init; }

    public int? MaxLength { get; init; }

    public decimal? Minimum { get; init; }

    public decimal? Maximum { get; init; }

    public int? MinItems { get; init; }

    public int? MaxItems { get; init; }

    public int? MinProperties { get; init; }

    public bool? AdditionalProperties { get; init; }

    public IReadOnlyList<string> Enum { get; init; } = [];

    /// <summary>Values listed by OBIE's <c>x-namespaced-enum</c>: documented, but not enforced as an enum.</summary>
    public IReadOnlyList<string> NamespacedEnum { get; init; } = [];

    public IReadOnlyList<SchemaProperty> Properties { get; init; } = [];

    /// <summary>
    /// Names the schema lists as required but does not define. Some v4.0 schemas do so while forbidding other
    /// properties (e.g. <c>Frequency</c> of <c>OBStandingOrder6</c>): no body can satisfy them as written.
    /// </summary>
    public IReadOnlyList<string> UndefinedRequired { get; init; } = [];

    public SchemaNode? Items { get; init; }

    /// <summary>The spec's own example, when it gives one.</summary>
    public JsonNode? Example { get; init; }

    /// <summary>Set when a reference points back to a schema being expanded (not expanded again).</summary>
    public bool IsRecursive { get; init; }

    /// <summary>A short label of the type, e.g. <c>string (date-time)</c>, <c>array of OBAccount6</c>.</summary>
    public string TypeLabel => Type switch
    {
        "array" => "array of " + (Items?.RefName ?? Items?.TypeLabel ?? "any"),
        null => RefName ?? "any",
        _ => Format is null ? Type : $"{Type} ({Format})",
    };

    public bool HasChildren => Properties.Count > 0 || Items is { Properties.Count: > 0 } || Items?.Items is not null;

    /// <summary>The constraints worth showing beside the type.</summary>
    public IEnumerable<string> Constraints()
    {
        if (MinLength is { } min && MaxLength is { } max)
        {
            yield return min == max ? $"length {min}" : $"length {min}–{max}";
        }
        else if (MinLength is { } onlyMin)
        {
            yield return $"min length {onlyMin}";
        }
        else if (MaxLength is { } onlyMax)
        {
            yield return $"max length {onlyMax}";
        }

        if (Minimum is { } minimum)
        {
            yield return $"≥ {minimum}";
        }

        if (Maximum is { } maximum)
        {
            yield return $"≤ {maximum}";
        }

        if (MinItems is { } minItems)
        {
            yield return $"min items {minItems}";
        }

        if (MaxItems is { } maxItems)
        {
            yield return $"max items {maxItems}";
        }

        if (Pattern is { } pattern)
        {
            yield return $"pattern {pattern}";
        }
    }
}

public sealed record SchemaProperty(string Name, bool Required, SchemaNode Schema);
