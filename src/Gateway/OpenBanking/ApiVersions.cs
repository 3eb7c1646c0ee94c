namespace OpenBanking.Gateway.OpenBanking;

/// <summary>
/// The Open Banking API versions the gateway serves, told apart by the path's version segment: v3.1.11 under
/// <c>/open-banking/v3.1</c> (the specification puts only major.minor in the path) and v4.0 under
/// <c>/open-banking/v4.0</c>. Anything else — another version, or a path outside the bank APIs — has none.
/// </summary>
public static class ApiVersions
{
    public const string V3 = "v3.1.11";
    public const string V4 = "v4.0";

    public const string V3BasePath = ObieResponses.BasePath + "/v3.1";
    public const string V4BasePath = ObieResponses.BasePath + "/v4.0";

    /// <summary><see cref="V3"/>, <see cref="V4"/> or null. Case-insensitive, as the routes match.</summary>
    public static string? Of(PathString path)
        => path.StartsWithSegments(V4BasePath) ? V4
            : path.StartsWithSegments(V3BasePath) ? V3
            : null;

    /// <summary>The version of a stored call's path (the call log keeps the path, so the version needs no column).</summary>
    public static string? Of(string? path)
        => string.IsNullOrEmpty(path) || path[0] != '/' ? null : Of(new PathString(path));

    public static bool IsV4(HttpRequest request) => request.Path.StartsWithSegments(V4BasePath);
}
