namespace OpenBanking.Gateway.CallLog;

/// <summary><c>Gateway:CallLog</c> settings.</summary>
public sealed class CallLogOptions
{
    public const string SectionName = "Gateway:CallLog";

    /// <summary>Records waiting to be written; beyond this they are dropped (and counted), never waited for.</summary>
    public int Capacity { get; set; } = 50_000;

    /// <summary>At most this many records per database write.</summary>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>How long the writer gathers records before a write (unless a full batch is waiting).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Calls older than this are deleted (hourly).</summary>
    public int RetentionDays { get; set; } = 30;
}
