using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpenBanking.Gateway.Lint;

/// <summary>
/// One vendored OBIE OpenAPI 3.0 document (specs/), read from YAML into a <see cref="JsonObject"/> and its
/// <c>components/schemas</c> turned into JSON Schema 2020-12 <c>$defs</c>, with the published errata corrected, so
/// JsonSchema.Net validates bodies against it (formats included). The gateway's spec lint and the test suites' contract
/// checks (tests/TestKit/OpenApiContract.cs compiles this same file) share it: one reader, one set of errata.
/// </summary>
internal sealed partial class ObieSpecDocument
{
    private readonly JsonObject _definitions;
    private readonly Dictionary<string, (JsonSchema Schema, JsonObject Root)> _schemas = [];
    private readonly string _baseUri = $"https://specs.openbanking.invalid/{Guid.NewGuid():N}/";

    private ObieSpecDocument(JsonObject document)
    {
        Document = document;
        // OpenAPI 3.0 keeps schemas under components/schemas; JSON Schema wants them as $defs of the schema in use.
        _definitions = (JsonObject)RewriteReferences(document["components"]?["schemas"]?.DeepClone() ?? new JsonObject());
        CorrectAccountSchemeNames(_definitions);
        CorrectUnsatisfiableRequirements(_definitions);
    }

    /// <summary>The document as published (references still <c>#/components/…</c>).</summary>
    public JsonObject Document { get; }

    public static ObieSpecDocument Read(string path)
    {
        using var reader = File.OpenText(path);
        return new ObieSpecDocument((JsonObject)ReadYaml(reader)!);
    }

    /// <summary>A <c>#/components/{kind}/{name}</c> reference resolved in the document (parameters, responses…), or the node itself.</summary>
    public JsonNode? Resolve(JsonNode? node)
    {
        for (var hops = 0; hops < 5 && node is JsonObject obj && obj["$ref"] is JsonValue reference; hops++)
        {
            var parts = reference.GetValue<string>().TrimStart('#', '/').Split('/');
            JsonNode? target = Document;
            foreach (var part in parts)
            {
                target = target?[part];
            }

            node = target;
        }

        return node;
    }

    /// <summary>The schema named <paramref name="schemaName"/> (a <c>components/schemas</c> entry), built once, and the JSON it was built from.</summary>
    public (JsonSchema Schema, JsonObject Root) Schema(string schemaName)
    {
        lock (_schemas)
        {
            if (!_schemas.TryGetValue(schemaName, out var built))
            {
                var root = new JsonObject
                {
                    ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
                    ["$defs"] = _definitions.DeepClone(),
                    ["$ref"] = "#/$defs/" + schemaName,
                };
                // Built once: the validator registers each schema under its base URI for the whole process.
                built = (JsonSchema.FromText(root.ToJsonString(), new BuildOptions(), new Uri(_baseUri + Uri.EscapeDataString(schemaName))), root);
                _schemas[schemaName] = built;
            }

            return built;
        }
    }

    /// <summary>Evaluates <paramref name="body"/> against the schema named <paramref name="schemaName"/>, every failure listed.</summary>
    public EvaluationResults Evaluate(string schemaName, JsonElement body)
        => Schema(schemaName).Schema.Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });

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
