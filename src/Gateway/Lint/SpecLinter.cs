using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace OpenBanking.Gateway.Lint;

/// <summary>What the lint needs of one logged call: the operation it addressed, what was sent and what came back.</summary>
public sealed record LintInput(
    string Method, string? RouteTemplate, int StatusCode, bool? InteractionIdSent,
    IReadOnlyList<KeyValuePair<string, string>> RequestHeaders, string? RequestBody, bool RequestBodyTruncated, long RequestBytes,
    string? ResponseBody, bool ResponseBodyTruncated);

/// <summary>One finding (see the Portal's <c>CallProblem</c>).</summary>
public sealed record LintProblem(string Direction, string Rule, string? Path, string Message, string Severity = LintProblem.Error)
{
    public const string Error = "error";
    public const string Warning = "warning";
    public const string Request = "request";
    public const string Response = "response";
}

/// <summary>
/// Checks one call against the OBIE operation it addressed: the request's required headers (and their length and pattern),
/// the request body against its schema, the response body against the schema of its status — formats, enums, lengths,
/// patterns, required and forbidden members. Messages name the JSON path in dotted form and the offending value, except
/// header values (the token, signatures), which are never repeated. Pure: no I/O, so it can be tested and benchmarked alone.
/// </summary>
internal sealed partial class SpecLinter(SpecCatalog catalog)
{
    /// <summary>A call's problems are capped: past this many the rest are the same mistake repeated.</summary>
    public const int MaxProblems = 50;

    private const int MaxValueLength = 60;

    /// <summary>Null when the call is outside the bank APIs' operations (nothing to lint against).</summary>
    public IReadOnlyList<LintProblem>? Lint(LintInput call)
    {
        var operation = catalog.Find(call.Method, call.RouteTemplate);
        if (operation is null)
        {
            return call.RouteTemplate?.StartsWith(OpenBanking.ObieResponses.BasePath + "/", StringComparison.Ordinal) == true
                ? [new LintProblem(LintProblem.Request, "operation.unknown", null,
                    $"`{call.Method} {call.RouteTemplate}` is not an operation of the specification.", LintProblem.Warning)]
                : null;
        }

        var problems = new List<LintProblem>();
        Headers(operation, call, problems);
        RequestBody(operation, call, problems);
        ResponseBody(operation, call, problems);
        return problems.DistinctBy(p => (p.Direction, p.Rule, p.Path)).Take(MaxProblems).ToList();
    }

    private static void Headers(SpecOperation operation, LintInput call, List<LintProblem> problems)
    {
        var name = operation.OperationId ?? $"{operation.Method} {operation.RouteTemplate}";
        foreach (var parameter in (operation.Operation["parameters"] as JsonArray ?? []).Select(operation.Document.Resolve).OfType<JsonObject>())
        {
            if (parameter["in"]?.GetValue<string>() != "header" || parameter["name"]?.GetValue<string>() is not { } header)
            {
                continue;
            }

            var required = parameter["required"] is JsonValue r && r.GetValueKind() == JsonValueKind.True;
            if (header.Equals(OpenBanking.ObieResponses.InteractionIdHeader, StringComparison.OrdinalIgnoreCase))
            {
                // The gateway fills one in when none was sent, so what the client sent is a flag of the call.
                if (call.InteractionIdSent == false)
                {
                    problems.Add(new LintProblem(LintProblem.Request, "header.missing", header,
                        $"`{header}` was not sent: the gateway made one up; send your own (a UUID) on every call, so the bank and you trace the same call.",
                        required ? LintProblem.Error : LintProblem.Warning));
                }

                continue;
            }

            var values = call.RequestHeaders.Where(h => h.Key.Equals(header, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
            if (values.Count == 0)
            {
                if (required)
                {
                    problems.Add(new LintProblem(LintProblem.Request, "header.missing", header, $"`{header}` is required by {name} and was not sent."));
                }

                continue;
            }

            // Values are not repeated: they are tokens, signatures and keys.
            if (header.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || parameter["schema"] is not JsonObject schema)
            {
                continue;
            }

            var value = values[0];
            if (schema["maxLength"] is JsonValue max && value.Length > max.GetValue<long>())
            {
                problems.Add(new LintProblem(LintProblem.Request, "header.maxLength", header,
                    $"`{header}` is longer than {max.GetValue<long>()} characters (sent {value.Length})."));
            }

            if (schema["pattern"] is JsonValue pattern && !Matches(pattern.GetValue<string>(), value))
            {
                problems.Add(new LintProblem(LintProblem.Request, "header.pattern", header,
                    $"`{header}` does not match `{pattern.GetValue<string>()}`."));
            }
        }
    }

    private static void RequestBody(SpecOperation operation, LintInput call, List<LintProblem> problems)
    {
        if (operation.Document.Resolve(operation.Operation["requestBody"]) is not JsonObject requestBody)
        {
            return;
        }

        var schemaName = SchemaName(requestBody);
        var required = requestBody["required"] is JsonValue r && r.GetValueKind() == JsonValueKind.True;
        if (call.RequestBodyTruncated)
        {
            problems.Add(new LintProblem(LintProblem.Request, "body.truncated", null,
                "The request body is larger than the 16 KiB the call log keeps: only its headers were checked.", LintProblem.Warning));
            return;
        }

        if (string.IsNullOrWhiteSpace(call.RequestBody))
        {
            if (required && call.RequestBytes == 0)
            {
                problems.Add(new LintProblem(LintProblem.Request, "body.missing", null, $"{operation.OperationId} needs a JSON body ({schemaName})."));
            }

            return;
        }

        if (schemaName is not null)
        {
            Validate(operation.Document, schemaName, call.RequestBody, LintProblem.Request, problems);
        }
    }

    private static void ResponseBody(SpecOperation operation, LintInput call, List<LintProblem> problems)
    {
        if (call.ResponseBodyTruncated || string.IsNullOrWhiteSpace(call.ResponseBody) || call.ResponseBody[0] != '{')
        {
            return;
        }

        var responses = operation.Operation["responses"] as JsonObject;
        var response = operation.Document.Resolve(responses?[call.StatusCode.ToString(CultureInfo.InvariantCulture)] ?? responses?["default"]);
        if (response is JsonObject documented && SchemaName(documented) is { } schemaName)
        {
            Validate(operation.Document, schemaName, call.ResponseBody, LintProblem.Response, problems);
        }
    }

    private static string? SchemaName(JsonObject bodyOrResponse)
    {
        if (bodyOrResponse["content"] is not JsonObject content)
        {
            return null;
        }

        var schema = (content["application/json; charset=utf-8"] ?? content["application/json"])?["schema"];
        return schema?["$ref"]?.GetValue<string>().Split('/')[^1];
    }

    private static void Validate(ObieSpecDocument document, string schemaName, string body, string direction, List<LintProblem> problems)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            problems.Add(new LintProblem(direction, "body.invalid-json", null, $"The body is not valid JSON: {Limit(exception.Message, 200)}"));
            return;
        }

        using (json)
        {
            var (schema, root) = document.Schema(schemaName);
            var results = schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
            if (results.IsValid)
            {
                return;
            }

            foreach (var detail in results.Details ?? [])
            {
                if (detail.Errors is not { Count: > 0 } errors)
                {
                    continue;
                }

                var evaluationPath = detail.EvaluationPath.ToString();
                // The failed branches of a oneOf/anyOf only repeat that no branch fitted: the keyword's own error says so once.
                if (evaluationPath.Contains("/oneOf/", StringComparison.Ordinal) || evaluationPath.Contains("/anyOf/", StringComparison.Ordinal))
                {
                    continue;
                }

                var instancePointer = detail.InstanceLocation.ToString();
                var instance = Walk(json.RootElement, instancePointer);
                var schemaNode = Walk(root, detail.SchemaLocation.Fragment);
                foreach (var (keyword, message) in errors)
                {
                    Describe(direction, keyword, message, instancePointer, instance, schemaNode, evaluationPath, problems);
                }
            }
        }
    }

    private static void Describe(
        string direction, string keyword, string libraryMessage, string pointer, JsonElement? instance, JsonNode? schema, string evaluationPath,
        List<LintProblem> problems)
    {
        var path = Dotted(pointer);
        var at = path is null ? "The body" : $"`{path}`";
        switch (keyword)
        {
            case "pattern":
                problems.Add(new(direction, "schema.pattern", path, $"{at} does not match `{schema?["pattern"]}`{Sent(instance)}"));
                break;
            case "enum":
                var allowed = (schema?["enum"] as JsonArray ?? []).Select(v => v?.ToString()).ToList();
                problems.Add(new(direction, "schema.enum", path,
                    $"{at} is not one of {string.Join(", ", allowed.Take(12))}{(allowed.Count > 12 ? ", …" : "")}{Sent(instance)}"));
                break;
            case "maxLength":
                problems.Add(new(direction, "schema.maxLength", path,
                    $"{at} is longer than {schema?["maxLength"]} characters (sent {instance?.GetString()?.Length ?? 0})."));
                break;
            case "minLength":
                problems.Add(new(direction, "schema.minLength", path, $"{at} is shorter than {schema?["minLength"]} characters{Sent(instance)}"));
                break;
            case "format":
                problems.Add(new(direction, "schema.format", path, $"{at} is not a valid {schema?["format"]}{Sent(instance)}"));
                break;
            case "type":
                problems.Add(new(direction, "schema.type", path,
                    $"{at} should be {Describe(schema?["type"])} (sent {Kind(instance)})."));
                break;
            case "required":
                var names = (schema?["required"] as JsonArray ?? []).Select(n => n!.GetValue<string>());
                foreach (var name in names.Where(n => instance is { ValueKind: JsonValueKind.Object } obj && !obj.TryGetProperty(n, out _)))
                {
                    var member = path is null ? name : path + "." + name;
                    problems.Add(new(direction, "schema.required", member, $"`{member}` is required and was not sent."));
                }

                break;
            case "additionalProperties":
            case "unevaluatedProperties":
            case "falseSchema" or "":
                // Reported at the member the schema does not allow (its evaluation path ends in additionalProperties).
                if (keyword is "additionalProperties" or "unevaluatedProperties" && schema?["properties"] is JsonObject properties
                    && instance is { ValueKind: JsonValueKind.Object } parent)
                {
                    foreach (var extra in parent.EnumerateObject().Where(p => !properties.ContainsKey(p.Name)))
                    {
                        var member = path is null ? extra.Name : path + "." + extra.Name;
                        problems.Add(new(direction, "schema.additional", member, $"`{member}` is not a member the specification allows here."));
                    }
                }
                else if (evaluationPath.EndsWith("/additionalProperties", StringComparison.Ordinal) && path is not null)
                {
                    problems.Add(new(direction, "schema.additional", path, $"`{path}` is not a member the specification allows here."));
                }

                break;
            case "oneOf" or "anyOf":
                problems.Add(new(direction, "schema." + keyword, path, $"{at} matches none of the shapes the specification allows."));
                break;
            case "$ref" or "allOf" or "properties" or "items" or "prefixItems" or "dependentSchemas":
                // Containers: their members' own errors say what is wrong.
                break;
            default:
                problems.Add(new(direction, "schema." + keyword, path, $"{at}: {Limit(libraryMessage, 200)}"));
                break;
        }
    }

    /// <summary><c>/Data/Initiation/CreditorAccount/0/Name</c> → <c>Data.Initiation.CreditorAccount[0].Name</c>; the root → null.</summary>
    internal static string? Dotted(string pointer)
    {
        var segments = Segments(pointer);
        if (segments.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var segment in segments)
        {
            if (segment.Length > 0 && segment.All(char.IsAsciiDigit) && text.Length > 0)
            {
                text.Append('[').Append(segment).Append(']');
            }
            else
            {
                if (text.Length > 0)
                {
                    text.Append('.');
                }

                text.Append(segment);
            }
        }

        return text.ToString();
    }

    private static List<string> Segments(string? pointer)
    {
        if (string.IsNullOrEmpty(pointer))
        {
            return [];
        }

        pointer = Uri.UnescapeDataString(pointer.TrimStart('#'));
        return pointer.Split('/').Skip(1).Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static JsonElement? Walk(JsonElement root, string pointer)
    {
        var current = root;
        foreach (var segment in Segments(pointer))
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var member))
            {
                current = member;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, CultureInfo.InvariantCulture, out var index) && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    private static JsonNode? Walk(JsonNode root, string fragment)
    {
        JsonNode? current = root;
        foreach (var segment in Segments(fragment))
        {
            current = current switch
            {
                JsonObject obj => obj[segment],
                JsonArray array when int.TryParse(segment, CultureInfo.InvariantCulture, out var index) && index < array.Count => array[index],
                _ => null,
            };
        }

        return current;
    }

    private static string Sent(JsonElement? instance) => instance switch
    {
        { ValueKind: JsonValueKind.String } s => $" (sent \"{Limit(s.GetString(), MaxValueLength)}\").",
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } v => $" (sent {Limit(v.GetRawText(), MaxValueLength)}).",
        _ => ".",
    };

    private static string Kind(JsonElement? instance) => instance?.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Describe(JsonNode? type) => type switch
    {
        JsonValue v when v.GetValue<string>() is "object" or "array" or "integer" => "an " + v.GetValue<string>(),
        JsonValue v => "a " + v.GetValue<string>(),
        JsonArray a => string.Join(" or ", a.Select(t => t?.ToString())),
        _ => "another type",
    };

    private static bool Matches(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(50));
        }
        catch (Exception exception) when (exception is ArgumentException or RegexMatchTimeoutException)
        {
            return true;
        }
    }

    private static string? Limit(string? value, int length)
        => value is null ? null : value.Length <= length ? value : value[..length] + "…";
}
