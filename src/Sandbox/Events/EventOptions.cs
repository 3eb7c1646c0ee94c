namespace OpenBanking.Sandbox.Events;

/// <summary>Configuration section <c>Events</c>: delivery, retry, polling and retention of event notifications.</summary>
public sealed class EventOptions
{
    public const string SectionName = "Events";

    /// <summary>The SETs' <c>iss</c>; null for <c>OpenBanking:PublicBaseUrl</c> (the gateway, which also serves the JWKS).</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>x-fapi-financial-id</c> sent with every push (the TPP endpoint's spec requires it).</summary>
    public string FinancialId { get; set; } = "0015800001041SANDBOX";

    /// <summary>
    /// Whether callbacks may be plain http to a loopback host and resolve to loopback, private or link-local
    /// addresses. Null: only in Development. Outside it, callbacks must be https to public addresses (SSRF).
    /// </summary>
    public bool? AllowLocalCallbacks { get; set; }

    /// <summary>How long one push may take, connecting included. Default 5 s.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Push attempts per round before it is marked Failed (it stays available to polling). Default 12.</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>A round gives up after this long, whatever the attempts. Default 24 hours.</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The first retry's delay; each next one doubles, with ±20 % jitter, up to <see cref="MaxRetryDelay"/>. Default 5 s.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Default 1 hour.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a SET lives: after this neither push nor polling returns it, and it may be pruned. Default 7 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Pushes in flight at once per app. Default 8.</summary>
    public int PerAppConcurrency { get; set; } = 8;

    /// <summary>Notifications queued in memory per app; the rest wait in the database. Default 1000.</summary>
    public int PerAppQueueCapacity { get; set; } = 1000;

    /// <summary>Bytes of a callback's answer read for the log (the rest is never read). Default 1024.</summary>
    public int MaxResponseBytes { get; set; } = 1024;

    /// <summary>The most SETs one poll returns, whatever <c>maxEvents</c> asks. Default 100.</summary>
    public int MaxEventsPerPoll { get; set; } = 100;

    /// <summary>How long a poll with <c>returnImmediately: false</c> waits for a first SET. Default 10 s.</summary>
    public TimeSpan LongPollTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Outbox rows turned into notifications per pass. Default 500.</summary>
    public int DispatchBatchSize { get; set; } = 500;

    /// <summary>How often the workers look without being woken (other instances' writes, retries falling due). Default 1 s.</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether this instance runs the dispatcher and the deliverer (default true). Tests that need a quiet database turn
    /// them off; rows written meanwhile are dispatched when an instance with workers runs.
    /// </summary>
    public bool Workers { get; set; } = true;

    /// <summary>How often expired notifications (and their attempts) and old dispatched outbox rows are deleted. Default 1 hour.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);
}
