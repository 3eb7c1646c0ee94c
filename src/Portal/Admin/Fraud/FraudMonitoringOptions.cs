namespace OpenBanking.Portal.Admin.Fraud;

/// <summary>The fraud dashboard's settings (<c>Portal:FraudMonitoring</c>): the alert window and when a jump raises an alert.</summary>
public sealed class FraudMonitoringOptions
{
    public const string SectionName = "Portal:FraudMonitoring";

    /// <summary>The recent window compared with the 24 hours before it.</summary>
    public int WindowMinutes { get; set; } = 15;

    /// <summary>How many scored payments the live stream keeps (newest first).</summary>
    public int StreamSize { get; set; } = 100;

    /// <summary>How long the Sandbox holds a feed call when nothing new was scored (at most 30).</summary>
    public int FeedWaitSeconds { get; set; } = 20;

    /// <summary>The recent rate must be at least this many times the baseline's to be a jump.</summary>
    public double JumpFactor { get; set; } = 3;

    /// <summary>Held payments in the window below this never alert (a quiet sandbox's one held payment is no jump).</summary>
    public int MinimumHeld { get; set; } = 3;

    /// <summary>Scored payments in the window below this never alert on the flagged rate.</summary>
    public int MinimumScored { get; set; } = 10;

    /// <summary>A flagged (held or rejected) rate below this never alerts, whatever the baseline.</summary>
    public double MinimumFlaggedRate { get; set; } = 0.05;
}
