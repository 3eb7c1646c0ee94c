namespace OpenBanking.Gateway.CallLog;

/// <summary>One call through the gateway, as the partner's call log shows it.</summary>
public sealed class ApiCall
{
    public long Id { get; set; }

    /// <summary>When the call arrived, UTC (a plain UTC DateTime: SQLite orders and compares those, not offsets).</summary>
    public DateTime Timestamp { get; set; }

    public string? ClientId { get; set; }

    public string? OrganisationId { get; set; }

    public required string Method { get; set; }

    /// <summary>The route template (ids as placeholders), used to group calls per endpoint.</summary>
    public string? RouteTemplate { get; set; }

    public required string Path { get; set; }

    public int StatusCode { get; set; }

    /// <summary>Time from the first byte in to the last byte out, in microseconds.</summary>
    public long DurationMicroseconds { get; set; }

    public string? InteractionId { get; set; }

    /// <summary>The first error code of an error response: <c>UK.OBIE.*</c> on v3.1.11, the four-character <c>U0xx</c> on v4.0.</summary>
    public string? ErrorCode { get; set; }

    public long RequestBytes { get; set; }

    public long ResponseBytes { get; set; }
}
