using OpenBanking.Portal.Reference;

namespace OpenBanking.Portal.Platform;

/// <summary>
/// The call log's "API version" filter. The gateway filters calls by the start of their path, and each version has its
/// own base path, so a version is that prefix — narrowed further by an endpoint typed in the same version.
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
