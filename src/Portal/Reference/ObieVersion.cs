namespace OpenBanking.Portal.Reference;

/// <summary>
/// A release of the OBIE Read/Write API the bank serves: where its OpenAPI documents live, the gateway path it is
/// served under, and how the reference's address names it (<c>?version=4.0</c>; none for v3.1.11, so every link made
/// before v4.0 existed still opens the same page).
/// </summary>
public sealed record ObieVersion(string Name, string QueryValue, string SpecFolder, string PathSegment, string ConsentAwaiting, string ConsentAuthorised)
{
    public const string QueryName = "version";

    public static readonly ObieVersion V3 = new("v3.1.11", "3.1.11", "obie-v3.1.11", "v3.1", "AwaitingAuthorisation", "Authorised");

    public static readonly ObieVersion V4 = new("v4.0", "4.0", "obie-v4.0", "v4.0", "AWAU", "AUTH");

    /// <summary>Newest last; the first is the default the reference opens with.</summary>
    public static IReadOnlyList<ObieVersion> All { get; } = [V3, V4];

    public static ObieVersion Default => V3;

    public bool IsDefault => this == Default;

    /// <summary>The gateway path every API of this version is served under, e.g. <c>/open-banking/v4.0/</c>.</summary>
    public string GatewayPrefix => $"/open-banking/{PathSegment}/";

    /// <summary>The query string that selects this version on a reference page (empty for the default).</summary>
    public string Query => IsDefault ? string.Empty : $"{QueryName}={QueryValue}";

    /// <summary>The version a <c>?version=</c> value names (<c>4.0</c>, <c>v4.0</c>, <c>4</c>, …), or null when it names none.</summary>
    public static ObieVersion? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Default;
        }

        var trimmed = value.Trim().TrimStart('v', 'V');
        return All.FirstOrDefault(v => v.QueryValue == trimmed || v.PathSegment.TrimStart('v') == trimmed)
               ?? (trimmed == "4" ? V4 : trimmed == "3" ? V3 : null);
    }

    /// <summary>The key under which the console keeps an API's consent and customer token in this version.</summary>
    public string ConsoleKey(ApiInfo api) => IsDefault ? api.Key : $"{api.Key}@{Name}";

    public override string ToString() => Name;
}
