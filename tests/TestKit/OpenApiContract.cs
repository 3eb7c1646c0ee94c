using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenBanking.Gateway.Lint;

namespace OpenBanking.TestKit;

/// <summary>
/// The official OBIE OpenAPI document (shared/specs) as the contract: finds the schema an operation's response
/// must follow and validates a real response body against it with a JSON Schema validator, formats included. The
/// YAML reading, the errata and the schemas are the gateway's spec lint's own (src/Gateway/Lint/ObieSpecDocument.cs,
/// compiled into this library), so the tests hold the Sandbox to the contract the gateway lints partners against.
/// </summary>
public sealed class OpenApiContract
{
    private static readonly Dictionary<string, OpenApiContract> Cache = [];
    private readonly ObieSpecDocument _spec;

    private OpenApiContract(ObieSpecDocument spec) => _spec = spec;

    /// <summary>Loads (once per run) a file of the repository's specs/ folder, e.g. <c>obie-v3.1.11/account-info-openapi.yaml</c>.</summary>
    public static OpenApiContract Load(string relativePath)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(relativePath, out var contract))
            {
                contract = new OpenApiContract(ObieSpecDocument.Read(Path.Combine(SpecsDirectory(), relativePath)));
                Cache[relativePath] = contract;
            }

            return contract;
        }
    }

    /// <summary>The name of the schema of an operation's response, e.g. <c>OBReadAccount6</c>.</summary>
    public string ResponseSchemaName(string pathTemplate, string method, int status)
    {
        var document = _spec.Document;
        var operation = document["paths"]![pathTemplate]?[method.ToLowerInvariant()]
            ?? throw new ArgumentException($"The specification has no {method} {pathTemplate}.");
        var response = operation["responses"]![status.ToString(CultureInfo.InvariantCulture)]
            ?? throw new ArgumentException($"{method} {pathTemplate} documents no {status} response.");
        response = _spec.Resolve(response)!;
        var content = (JsonObject)response["content"]!;
        var schema = (content["application/json; charset=utf-8"] ?? content["application/json"] ?? content.First().Value)!["schema"]!;
        return schema["$ref"]!.GetValue<string>().Split('/')[^1];
    }

    /// <summary>Every way <paramref name="body"/> breaks the schema named <paramref name="schemaName"/> (empty when valid).</summary>
    public IReadOnlyList<string> Validate(string schemaName, JsonElement body)
    {
        var results = _spec.Evaluate(schemaName, body);
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
}
