using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenBanking.Gateway.OpenBanking;

namespace OpenBanking.Gateway.Lint;

/// <summary>
/// One operation of the OBIE specifications: <c>Api</c> (aisp, pisp, cbpii, vrp, events), <c>Version</c> (v3.1.11,
/// v4.0), its method and full route template as the gateway serves it (<c>/open-banking/v3.1/pisp/domestic-payment-consents/{ConsentId}</c>).
/// <c>Callback</c>: the operation is the partner's, called by the bank (event notifications), never through the gateway.
/// </summary>
internal sealed record SpecOperation(
    string Api, string Version, string Method, string RouteTemplate, string? OperationId, bool Callback,
    ObieSpecDocument Document, JsonObject Operation)
{
    /// <summary>The template with every placeholder blanked, so the gateway's and the spec's placeholder names need not agree.</summary>
    public string Key => SpecCatalog.KeyOf(Method, RouteTemplate);
}

/// <summary>
/// The twelve vendored OBIE documents (specs/obie-v3.1.11 and specs/obie-v4.0, copied beside the gateway), read once at
/// start: every operation of both versions, found by a logged call's method and route template.
/// </summary>
internal sealed partial class SpecCatalog
{
    private static readonly (string File, string Api, bool Callback)[] Files =
    [
        ("account-info-openapi.yaml", "aisp", false),
        ("payment-initiation-openapi.yaml", "pisp", false),
        ("confirmation-funds-openapi.yaml", "cbpii", false),
        ("vrp-openapi.yaml", "vrp", false),
        ("events-openapi.yaml", "events", false),
        ("event-notifications-openapi.yaml", "events", true),
    ];

    private static readonly (string Folder, string Version, string BasePath)[] Versions =
    [
        ("obie-v3.1.11", ApiVersions.V3, ApiVersions.V3BasePath),
        ("obie-v4.0", ApiVersions.V4, ApiVersions.V4BasePath),
    ];

    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    private readonly Dictionary<string, SpecOperation> _byKey;

    public SpecCatalog(string specsDirectory)
    {
        var operations = new List<SpecOperation>();
        foreach (var (folder, version, basePath) in Versions)
        {
            foreach (var (file, api, callback) in Files)
            {
                var document = ObieSpecDocument.Read(Path.Combine(specsDirectory, folder, file));
                // The servers URL names the API segment (/open-banking/v3.1/aisp); its version is the folder's (the v4.0
                // events documents still say v3.1).
                var server = document.Document["servers"]?[0]?["url"]?.GetValue<string>() ?? "";
                var apiSegment = VersionSegment().Replace(server, "");
                foreach (var (path, item) in document.Document["paths"]?.AsObject() ?? [])
                {
                    foreach (var method in Methods)
                    {
                        if (item?[method] is JsonObject operation)
                        {
                            operations.Add(new SpecOperation(api, version, method.ToUpperInvariant(), basePath + apiSegment + path,
                                operation["operationId"]?.GetValue<string>(), callback, document, operation));
                        }
                    }
                }
            }
        }

        Operations = operations;
        _byKey = operations.Where(o => !o.Callback).GroupBy(o => o.Key).ToDictionary(g => g.Key, g => g.First());
    }

    /// <summary>Every operation of both versions, in document order (callbacks included, marked).</summary>
    public IReadOnlyList<SpecOperation> Operations { get; }

    /// <summary>The operation a call addressed, or null (another path, or one the specification does not define).</summary>
    public SpecOperation? Find(string method, string? routeTemplate)
        => routeTemplate is null ? null : _byKey.GetValueOrDefault(KeyOf(method, routeTemplate));

    internal static string KeyOf(string method, string routeTemplate)
        => method.ToUpperInvariant() + " " + Placeholder().Replace(routeTemplate.ToLowerInvariant(), "{}");

    /// <summary>The specs folder beside the gateway (build and publish output).</summary>
    public static string DefaultDirectory() => Path.Combine(AppContext.BaseDirectory, "specs");

    [GeneratedRegex(@"^/open-banking/v[0-9.]+")]
    private static partial Regex VersionSegment();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Placeholder();
}
