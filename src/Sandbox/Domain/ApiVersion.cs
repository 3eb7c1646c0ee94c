namespace OpenBanking.Sandbox.Domain;

/// <summary>
/// The versions of the Open Banking Read/Write API the bank serves, side by side over one domain. A consent records
/// the version it was created through; which resources of which version may use it is decided by
/// <see cref="ApiVersions.MayUse"/> (the standard's version-compatibility rules).
/// </summary>
public enum ApiVersion
{
    V3_1_11,
    V4_0,
}

public static class ApiVersions
{
    public const string V3_1_11BasePath = "/open-banking/v3.1";
    public const string V4_0BasePath = "/open-banking/v4.0";

    /// <summary>The version's name as partners see it (docs, call log, the consent's details).</summary>
    public static string Name(this ApiVersion version) => version switch
    {
        ApiVersion.V3_1_11 => "v3.1.11",
        ApiVersion.V4_0 => "v4.0",
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, null),
    };

    public static string BasePath(this ApiVersion version) => version switch
    {
        ApiVersion.V3_1_11 => V3_1_11BasePath,
        ApiVersion.V4_0 => V4_0BasePath,
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, null),
    };

    /// <summary>The version a bank-API path belongs to; null for any other path.</summary>
    public static ApiVersion? FromPath(PathString path)
        => path.StartsWithSegments(V4_0BasePath) ? ApiVersion.V4_0
            : path.StartsWithSegments(V3_1_11BasePath) ? ApiVersion.V3_1_11
            : null;

    /// <summary>
    /// Whether a consent created through <paramref name="created"/> may be read or used through the resources of
    /// <paramref name="used"/>. The OBIE profile's version compatibility: an account-access or funds-confirmation
    /// consent may be used through a newer version (a live integration migrates without asking customers again),
    /// never an older one; a payment consent and its payment belong to the version that created them, because the
    /// payment must repeat the consent's Initiation in that version's shape.
    /// </summary>
    public static bool MayUse(ConsentKind kind, ApiVersion created, ApiVersion used) => kind switch
    {
        ConsentKind.AccountAccess or ConsentKind.FundsConfirmation => used >= created,
        _ => used == created,
    };
}
