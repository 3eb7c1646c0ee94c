namespace OpenBanking.Shared;

/// <summary>HTTP header names the gateway and the Sandbox agree on.</summary>
public static class PlatformHeaders
{
    /// <summary>The FAPI interaction id every bank-API response carries.</summary>
    public const string InteractionId = "x-fapi-interaction-id";

    /// <summary>The first <c>UK.OBIE.*</c> code of a Sandbox error response, for the gateway's call log; the gateway strips it.</summary>
    public const string ObieErrorCode = "x-obie-error-code";
}
