using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpenBanking.Portal.Reference;

/// <summary>
/// Reads an OBIE OpenAPI 3.0 document into the reference's model, resolving every <c>$ref</c> (schemas, parameters,
/// responses). The OBIE documents use a small, regular subset of OpenAPI (no oneOf/allOf, local references only), so
/// a direct reading over YamlDotNet is simpler and more predictable than a general OpenAPI object model.
/// </summary>
public static partial class OpenApiReader
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    public static ApiDefinition Read(ApiInfo api, string path)
    {
        using var reader = File.OpenText(path);
        return Read(api, (JsonObject)ReadYaml(reader)!);
    }

    /// <summary>
    /// The first YAML document as JSON, keeping the types of plain scalars. Read from the parser's events rather than
    /// through <see cref="YamlStream"/>, because the v4.0 documents repeat a key in places (a header's
    /// <c>pattern</c> twice, identical): the representation model refuses them, a JSON reader keeps the last one.
    /// </summary>
    public static JsonNode? ReadYaml(TextReader text)
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

    public static ApiDefinition Read(ApiInfo api, JsonObject document)
    {
        var resolver = new Resolver(document);
        var basePath = document["servers"]?[0]?["url"]?.GetValue<string>().TrimEnd('/') ?? string.Empty;
        var operations = new List<ApiOperation>();
        foreach (var (path, item) in (JsonObject)document["paths"]!)
        {
            var pathObject = (JsonObject)item!;
            var shared = pathObject["parameters"] as JsonArray;
            foreach (var method in Methods)
            {
                if (pathObject[method] is JsonObject operation)
                {
                    var read = ReadOperation(resolver, basePath, path, method, operation, shared);
                    operations.Add(api.CustomerOperations.Contains(read.OperationId) ? read with { Grant = ApiGrant.AuthorizationCode } : read);
                }
            }
        }

        var info = document["info"];
        return new ApiDefinition(
            api,
            info?["title"]?.GetValue<string>() ?? api.Name,
            info?["version"]?.GetValue<string>() ?? string.Empty,
            info?["description"]?.GetValue<string>() ?? string.Empty,
            basePath,
            operations);
    }

    private static ApiOperation ReadOperation(Resolver resolver, string basePath, string path, string method, JsonObject operation, JsonArray? shared)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var parameters = (shared ?? []).Concat(operation["parameters"] as JsonArray ?? [])
            .Select(p => ReadParameter(resolver, (JsonObject)p!, names))
            .GroupBy(p => (p.In, p.Name)).Select(g => g.Last())
            .ToList();

        ApiRequestBody? body = null;
        if (operation["requestBody"] is JsonObject requestBody)
        {
            requestBody = resolver.Deref(requestBody);
            var (mediaTypes, schema, example) = ReadContent(resolver, requestBody["content"] as JsonObject, names);
            if (schema is not null)
            {
                body = new ApiRequestBody(Bool(requestBody["required"]), Text(requestBody["description"]), mediaTypes, schema, example);
            }
        }

        var responses = new List<ApiResponse>();
        foreach (var (status, value) in operation["responses"] as JsonObject ?? [])
        {
            var response = resolver.Deref((JsonObject)value!);
            var headers = (response["headers"] as JsonObject ?? []).Select(h =>
            {
                var header = resolver.Deref((JsonObject)h.Value!);
                return new ApiParameter(h.Key, "header", Bool(header["required"]), Text(header["description"]),
                    resolver.Schema(header["schema"] as JsonObject, names));
            }).ToList();
            var (mediaTypes, schema, example) = ReadContent(resolver, response["content"] as JsonObject, names);
            responses.Add(new ApiResponse(status, Text(response["description"]), headers, mediaTypes, schema, example));
        }

        var (grant, scopes) = ReadSecurity(resolver, operation["security"] as JsonArray);
        var tag = operation["tags"]?[0]?.GetValue<string>() ?? "Other";
        var operationId = Text(operation["operationId"]) is { Length: > 0 } id ? id : $"{method}{path}";
        return new ApiOperation(
            operationId, method.ToUpperInvariant(), path, basePath + path, tag,
            Text(operation["summary"]), Text(operation["description"]),
            parameters, body, responses, grant, scopes)
        {
            SchemaNames = names,
        };
    }

    private static ApiParameter ReadParameter(Resolver resolver, JsonObject parameter, HashSet<string> names)
    {
        parameter = resolver.Deref(parameter);
        return new ApiParameter(
            Text(parameter["name"]), Text(parameter["in"]), Bool(parameter["required"]), Text(parameter["description"]),
            resolver.Schema(parameter["schema"] as JsonObject, names));
    }

    private static (IReadOnlyList<string> MediaTypes, SchemaNode? Schema, JsonNode? Example) ReadContent(Resolver resolver, JsonObject? content, HashSet<string> names)
    {
        if (content is null || content.Count == 0)
        {
            return ([], null, null);
        }

        // Every OBIE media type of one operation shares one schema; prefer the plain JSON one.
        var media = (content["application/json; charset=utf-8"] ?? content["application/json"] ?? content.First().Value) as JsonObject;
        var schema = media?["schema"] is JsonObject s ? resolver.Schema(s, names) : null;
        var example = media?["example"]?.DeepClone()
            ?? (media?["examples"] as JsonObject)?.Select(e => (e.Value as JsonObject)?["value"]).FirstOrDefault(v => v is not null)?.DeepClone();
        return (content.Select(c => c.Key).ToList(), schema, example);
    }

    private static (ApiGrant Grant, IReadOnlyList<string> Scopes) ReadSecurity(Resolver resolver, JsonArray? security)
    {
        foreach (var requirement in security ?? [])
        {
            foreach (var (name, scopes) in (JsonObject)requirement!)
            {
                var flows = resolver.Document["components"]?["securitySchemes"]?[name]?["flows"] as JsonObject;
                var grant = flows?.ContainsKey("authorizationCode") == true ? ApiGrant.AuthorizationCode
                    : flows?.ContainsKey("clientCredentials") == true ? ApiGrant.ClientCredentials
                    : ApiGrant.None;
                return (grant, (scopes as JsonArray ?? []).Select(s => s!.GetValue<string>()).ToList());
            }
        }

        return (ApiGrant.None, []);
    }

    private static string Text(JsonNode? node) => node is JsonValue value ? value.ToString() : string.Empty;

    private static bool Bool(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var b) && b;

    private sealed class Resolver(JsonObject document)
    {
        private readonly Dictionary<string, SchemaNode> _named = new(StringComparer.Ordinal);

        public JsonObject Document => document;

        /// <summary>The object a local <c>$ref</c> points to (or the object itself).</summary>
        public JsonObject Deref(JsonObject node)
        {
            for (var hops = 0; node["$ref"] is JsonValue reference && hops < 10; hops++)
            {
                node = Pointer(reference.GetValue<string>());
            }

            return node;
        }

        private JsonObject Pointer(string reference)
        {
            if (!reference.StartsWith("#/", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Only local references are supported: {reference}");
            }

            JsonNode? node = document;
            foreach (var segment in reference[2..].Split('/'))
            {
                node = node?[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
            }

            return node as JsonObject ?? throw new InvalidDataException($"The reference {reference} does not resolve.");
        }

        public SchemaNode Schema(JsonObject? schema, HashSet<string> names) => Schema(schema, names, []);

        private SchemaNode Schema(JsonObject? schema, HashSet<string> names, HashSet<string> expanding)
        {
            if (schema is null)
            {
                return new SchemaNode();
            }

            if (schema["$ref"] is JsonValue reference)
            {
                var path = reference.GetValue<string>();
                var name = path.Split('/')[^1];
                names.Add(name);
                if (_named.TryGetValue(name, out var known))
                {
                    CollectChildNames(known, names);
                    return known;
                }

                if (!expanding.Add(name))
                {
                    return new SchemaNode { RefName = name, IsRecursive = true };
                }

                var resolved = Build(Pointer(path), name, names, expanding);
                expanding.Remove(name);
                _named[name] = resolved;
                return resolved;
            }

            // The VRP documents wrap a reference to add a description: "allOf: [{$ref}, {description}]". The reference is
            // the schema (its own description is shown); an allOf of anything else is read as written.
            if (schema["allOf"] is JsonArray { Count: > 0 } all && schema["type"] is null && schema["properties"] is null
                && all.OfType<JsonObject>().Count(part => part["$ref"] is not null) == 1
                && all.OfType<JsonObject>().All(part => part["$ref"] is not null || part.All(p => p.Key == "description")))
            {
                return Schema(all.OfType<JsonObject>().Single(part => part["$ref"] is not null), names, expanding);
            }

            return Build(schema, null, names, expanding);
        }

        private SchemaNode Build(JsonObject schema, string? refName, HashSet<string> names, HashSet<string> expanding)
        {
            var required = (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            var properties = (schema["properties"] as JsonObject ?? [])
                .Select(p => new SchemaProperty(p.Key, required.Contains(p.Key), Schema(p.Value as JsonObject, names, expanding)))
                .ToList();
            return new SchemaNode
            {
                RefName = refName,
                Type = Text(schema["type"]) is { Length: > 0 } type ? type : (properties.Count > 0 ? "object" : null),
                Format = Text(schema["format"]) is { Length: > 0 } format ? format : null,
                Description = Text(schema["description"]) is { Length: > 0 } description ? description : null,
                Pattern = Text(schema["pattern"]) is { Length: > 0 } pattern ? pattern : null,
                MinLength = Int(schema["minLength"]),
                MaxLength = Int(schema["maxLength"]),
                Minimum = Number(schema["minimum"]),
                Maximum = Number(schema["maximum"]),
                MinItems = Int(schema["minItems"]),
                MaxItems = Int(schema["maxItems"]),
                MinProperties = Int(schema["minProperties"]),
                AdditionalProperties = schema["additionalProperties"] is JsonValue additional && additional.TryGetValue<bool>(out var allowed) ? allowed : null,
                Enum = (schema["enum"] as JsonArray ?? []).Select(e => e?.ToString() ?? "null").ToList(),
                NamespacedEnum = (schema["x-namespaced-enum"] as JsonArray ?? []).Select(e => e?.ToString() ?? string.Empty).ToList(),
                Properties = properties,
                UndefinedRequired = required.Where(r => properties.All(p => p.Name != r)).Order(StringComparer.Ordinal).ToList(),
                Items = schema["items"] is JsonObject items ? Schema(items, names, expanding) : null,
                Example = schema["example"]?.DeepClone(),
            };
        }

        // A schema already read elsewhere: its own name is noted by the caller, the names inside it here (a name already
        // in the set had its insides noted with it).
        private static void CollectNames(SchemaNode node, HashSet<string> names)
        {
            if (node.RefName is { } name && !names.Add(name))
            {
                return;
            }

            CollectChildNames(node, names);
        }

        private static void CollectChildNames(SchemaNode node, HashSet<string> names)
        {
            foreach (var property in node.Properties)
            {
                CollectNames(property.Schema, names);
            }

            if (node.Items is not null)
            {
                CollectNames(node.Items, names);
            }
        }

        private static int? Int(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var n) ? (int)n : null;

        private static decimal? Number(JsonNode? node) => node is JsonValue value
            ? value.TryGetValue<long>(out var n) ? n : value.TryGetValue<double>(out var d) ? (decimal)d : null
            : null;
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
