using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpenBanking.TestKit;

/// <summary>
/// The official OBIE OpenAPI document (shared/specs) as the contract: finds the schema an operation's response
/// must follow and validates a real response body against it with a JSON Schema validator, formats included.
/// </summary>
public sealed partial class OpenApiContract
{
    private static readonly Dictionary<string, OpenApiContract> Cache = [];
    private readonly JsonObject _document;
    private readonly JsonObject _definitions;
    private readonly Dictionary<string, JsonSchema> _schemas = [];

    private OpenApiContract(JsonObject document)
    {
        _document = document;
        // OpenAPI 3.0 keeps schemas under components/schemas; JSON Schema wants them as $defs of the schema in use.
        _definitions = (JsonObject)RewriteReferences(document["components"]!["schemas"]!.DeepClone());
        CorrectAccountSchemeNames(_definitions);
        CorrectUnsatisfiableRequirements(_definitions);
    }

    /// <summary>
    /// Another erratum of the v4.0 account-information YAML: OBStandingOrder6 (the standing-order response) moved
    /// Frequency into MandateRelatedInformation but still lists it as required, while allowing no other properties, so
    /// no standing order could pass. A required name that a closed schema does not define is dropped; a schema without
    /// that contradiction (every v3.1.11 one) is untouched.
    /// </summary>
    /// <remarks>
    /// Nested schemas too: the v4.0 payment YAML's standing-order Initiation (request and responses) requires
    /// FirstPaymentDateTime, which moved into MandateRelatedInformation, while allowing no other members.
    /// </remarks>
    private static void CorrectUnsatisfiableRequirements(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject schema:
                if (schema["additionalProperties"] is JsonValue closed && closed.GetValueKind() == JsonValueKind.False
                    && schema["properties"] is JsonObject properties && schema["required"] is JsonArray required)
                {
                    foreach (var name in required.ToList().Where(r => !properties.ContainsKey(r!.GetValue<string>())))
                    {
                        required.Remove(name);
                    }
                }

                foreach (var (_, child) in schema.ToList())
                {
                    CorrectUnsatisfiableRequirements(child);
                }

                break;
            case JsonArray array:
                foreach (var item in array.ToList())
                {
                    CorrectUnsatisfiableRequirements(item);
                }

                break;
        }
    }

    /// <summary>
    /// An erratum of the published v4.0 account-information YAML: it defines <c>OBInternalAccountIdentification4Code</c>
    /// as the balance-type list (CLAV, ITAV, …) while the SchemeName of its accounts, beneficiaries and counterparties
    /// refers to it, so no real account (UK.OBIE.SortCodeAccountNumber, …) could pass. Those SchemeName fields are held
    /// to the definition the v4.0 payment and VRP YAMLs of the same release give (a namespaced string); the balance Type
    /// fields keep the list. The vendored file stays as published (specs/SHA256SUMS).
    /// </summary>
    private static void CorrectAccountSchemeNames(JsonObject definitions)
    {
        const string reference = "#/$defs/OBInternalAccountIdentification4Code";
        if (definitions["OBInternalAccountIdentification4Code"]?["enum"] is not JsonArray codes
            || !codes.Any(c => c?.GetValue<string>() == "CLAV"))
        {
            return;
        }

        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (obj["SchemeName"] is JsonObject scheme && scheme["$ref"]?.GetValue<string>() == reference)
                    {
                        obj["SchemeName"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = 40 };
                    }

                    foreach (var (_, value) in obj.ToList())
                    {
                        Walk(value);
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array.ToList())
                    {
                        Walk(item);
                    }

                    break;
            }
        }

        Walk(definitions);
    }

    /// <summary>Loads (once per run) a file of the repository's specs/ folder, e.g. <c>obie-v3.1.11/account-info-openapi.yaml</c>.</summary>
    public static OpenApiContract Load(string relativePath)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(relativePath, out var contract))
            {
                var path = Path.Combine(SpecsDirectory(), relativePath);
                using (var reader = File.OpenText(path))
                {
                    contract = new OpenApiContract((JsonObject)ReadYaml(reader)!);
                }

                Cache[relativePath] = contract;
            }

            return contract;
        }
    }

    /// <summary>The name of the schema of an operation's response, e.g. <c>OBReadAccount6</c>.</summary>
    public string ResponseSchemaName(string pathTemplate, string method, int status)
    {
        var operation = _document["paths"]![pathTemplate]?[method.ToLowerInvariant()]
            ?? throw new ArgumentException($"The specification has no {method} {pathTemplate}.");
        var response = operation["responses"]![status.ToString(CultureInfo.InvariantCulture)]
            ?? throw new ArgumentException($"{method} {pathTemplate} documents no {status} response.");
        if (response["$ref"] is { } reference)
        {
            response = _document["components"]!["responses"]![reference.GetValue<string>().Split('/')[^1]]!;
        }

        var content = (JsonObject)response["content"]!;
        var schema = (content["application/json; charset=utf-8"] ?? content["application/json"] ?? content.First().Value)!["schema"]!;
        return schema["$ref"]!.GetValue<string>().Split('/')[^1];
    }

    /// <summary>Every way <paramref name="body"/> breaks the schema named <paramref name="schemaName"/> (empty when valid).</summary>
    public IReadOnlyList<string> Validate(string schemaName, JsonElement body)
    {
        JsonSchema schema;
        lock (_schemas)
        {
            if (!_schemas.TryGetValue(schemaName, out schema!))
            {
                var root = new JsonObject
                {
                    ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
                    ["$defs"] = _definitions.DeepClone(),
                    ["$ref"] = "#/$defs/" + schemaName,
                };
                // Built once: the validator registers each schema under its base URI for the whole process.
                schema = JsonSchema.FromText(root.ToJsonString(), new BuildOptions(), new Uri($"https://contract.test/{Guid.NewGuid():N}/{schemaName}"));
                _schemas[schemaName] = schema;
            }
        }

        var results = schema.Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (results.IsValid)
        {
            return [];
        }

        return (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .DefaultIfEmpty("invalid (no detail)")
            .ToList();
    }

    /// <summary>Asserts that a response body follows the operation's documented response schema.</summary>
    public void AssertResponse(string pathTemplate, string method, int status, JsonElement body)
    {
        var schemaName = ResponseSchemaName(pathTemplate, method, status);
        var errors = Validate(schemaName, body);
        Assert.True(errors.Count == 0, $"{method} {pathTemplate} → {schemaName}:\n{string.Join("\n", errors.Take(20))}");
    }

    /// <summary>The repository's vendored copy of the OBIE specifications (specs/ beside OpenBanking.sln).</summary>
    public static string SpecsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OpenBanking.sln")))
            {
                return Path.Combine(directory.FullName, "specs");
            }
        }

        throw new DirectoryNotFoundException("OpenBanking.sln (and specs/ beside it) not found above " + AppContext.BaseDirectory);
    }

    private static JsonNode RewriteReferences(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (key == "$ref" && value is JsonValue reference)
                    {
                        obj[key] = reference.GetValue<string>().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
                    }
                    else if (value is not null)
                    {
                        RewriteReferences(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        RewriteReferences(item);
                    }
                }

                break;
        }

        return node;
    }

    /// <summary>
    /// YAML to JSON, keeping the types of plain scalars (numbers, booleans, null) that JSON Schema relies on. Read from
    /// the parser's events: the v4.0 documents repeat a key in places (identical values), which the representation
    /// model refuses; the last one wins, as in a JSON reader.
    /// </summary>
    private static JsonNode? ReadYaml(TextReader text)
    {
        var parser = new YamlDotNet.Core.Parser(text);
        parser.Consume<YamlDotNet.Core.Events.StreamStart>();
        parser.Consume<YamlDotNet.Core.Events.DocumentStart>();
        return ReadNode(parser);
    }

    private static JsonNode? ReadNode(YamlDotNet.Core.IParser parser)
    {
        if (parser.TryConsume<YamlDotNet.Core.Events.Scalar>(out var scalar))
        {
            return Scalar(new YamlScalarNode(scalar.Value) { Style = scalar.Style });
        }

        if (parser.TryConsume<YamlDotNet.Core.Events.SequenceStart>(out _))
        {
            var array = new JsonArray();
            while (!parser.TryConsume<YamlDotNet.Core.Events.SequenceEnd>(out _))
            {
                array.Add(ReadNode(parser));
            }

            return array;
        }

        parser.Consume<YamlDotNet.Core.Events.MappingStart>();
        var mapping = new JsonObject();
        while (!parser.TryConsume<YamlDotNet.Core.Events.MappingEnd>(out _))
        {
            var key = parser.Consume<YamlDotNet.Core.Events.Scalar>().Value;
            mapping[key] = ReadNode(parser);
        }

        return mapping;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        if (value is "true" or "false")
        {
            return JsonValue.Create(value == "true");
        }

        if (value is "null" or "~" or "")
        {
            return null;
        }

        if (IntegerPattern().IsMatch(value))
        {
            return JsonValue.Create(long.Parse(value, CultureInfo.InvariantCulture));
        }

        if (NumberPattern().IsMatch(value))
        {
            return JsonValue.Create(double.Parse(value, CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(value);
    }

    [GeneratedRegex(@"^-?\d+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^-?\d+\.\d+([eE][-+]?\d+)?$")]
    private static partial Regex NumberPattern();
}
