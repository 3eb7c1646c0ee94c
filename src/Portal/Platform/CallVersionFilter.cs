using OpenBanking.Portal.Reference;

namespace OpenBanking.Portal.Platform;

/// <summary>
/// The call log's "API version" filter. The gateway takes the version itself (<c>apiVersion</c>), and filters by the
/// start of the path too; each version has its own base path, so the version is also sent as that prefix — narrowed
/// further by an endpoint typed in the same version — which gives the same answer from a gateway that predates the
/// version filter. An endpoint of the other version is refused here, in words, instead of listing nothing.
/// </summary>
public static class CallVersionFilter
{
    /// <summary>The path prefix to ask the gateway for, or why the two filters contradict each other.</summary>
    public static (string? Path, string? Problem) Apply(string? versionName, string? path)
    {
        var version = ObieVersion.All.FirstOrDefault(v => v.Name == versionName);
        var typed = string.IsNullOrWhiteSpace(path) ? null : path.Trim();
        if (version is null)
        {
            return (typed, null);
        }

        if (typed is null)
        {
            return (version.GatewayPrefix, null);
        }

        return typed.StartsWith(version.GatewayPrefix.TrimEnd('/'), StringComparison.Ordinal)
            ? (typed, null)
            : (null, $"The endpoint {typed} is not a {version.Name} path: {version.Name} endpoints start with {version.GatewayPrefix}. Change the endpoint or set API version to Any.");
    }
}
