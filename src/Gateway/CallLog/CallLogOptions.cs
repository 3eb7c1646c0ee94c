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

    /// <summary>Calls older than this are deleted (at start-up, then hourly).</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>
    /// A call's detail (headers and bodies, up to 32 KiB a call against ~200 bytes for its row) is deleted after this many
    /// days — a week of debugging — while the call itself stays for <see cref="RetentionDays"/>. Never longer than that.
    /// </summary>
    public int DetailRetentionDays { get; set; } = 7;

    /// <summary>At most this many expired records per DELETE statement.</summary>
    public int RetentionBatchSize { get; set; } = 5_000;

    /// <summary>How long after a failed retention run it is tried again; doubled per further failure, at most an hour.</summary>
    public TimeSpan RetentionRetryDelay { get; set; } = TimeSpan.FromMinutes(1);
}
