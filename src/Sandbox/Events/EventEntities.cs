namespace OpenBanking.Sandbox.Events;

/// <summary>
/// A partner app's event subscription (OBIE Event Notification API): at most one per app. Without a callback URL the
/// app polls (<c>POST /events</c>); without event types it receives every type.
/// </summary>
public sealed class EventSubscription
{
    /// <summary>"es-" and 20 hex characters.</summary>
    public required string Id { get; set; }

    public Guid TenantId { get; set; }

    public required string ClientId { get; set; }

    /// <summary>Absolute URL the bank POSTs SETs to, stored encrypted (<see cref="CallbackProtection"/>); null for polling only.</summary>
    public string? CallbackUrl { get; set; }

    /// <summary>The version the partner asked for (<c>Data.Version</c>, e.g. "3.1" or "4.0"), as sent.</summary>
    public required string Version { get; set; }

    /// <summary>The event types asked for (URNs, space-separated); null for all.</summary>
    public string? EventTypes { get; set; }

    /// <summary>The API version the subscription was created or last changed through (v3.1.11 or v4.0 edge).</summary>
    public required string ApiVersion { get; set; }

    /// <summary>Real time (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>Real time (UTC).</summary>
    public DateTime UpdatedAt { get; set; }

    public IReadOnlyList<string>? EventTypeList
        => EventTypes is null ? null : EventTypes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public bool Wants(string eventType) => EventTypes is null || EventTypeList!.Contains(eventType, StringComparer.Ordinal);
}

/// <summary>Where a notification stands on the push channel. Polling reads what is not acknowledged, whatever this is.</summary>
public enum EventDeliveryState
{
    /// <summary>Waiting for its first or next push attempt (<see cref="EventNotification.NextAttemptAt"/>).</summary>
    Pending,

    /// <summary>The callback answered 202: delivered (and acknowledged by that answer).</summary>
    Delivered,

    /// <summary>Push gave up (attempts or window exhausted, or the subscription lost its callback); polling still returns it.</summary>
    Failed,

    /// <summary>The app has no callback URL: only polling delivers it.</summary>
    PollingOnly,
}

/// <summary>
/// One Security Event Token for one app: created from an outbox row (or a test request) with its claims fixed and
/// signed once, so every retry and every poll carries the same <see cref="Jti"/> and the same bytes.
/// Delivered at least once, in <see cref="Id"/> order per resource.
/// </summary>
public sealed class EventNotification
{
    public long Id { get; set; }

    /// <summary>The SET's <c>jti</c> (a UUID).</summary>
    public required string Jti { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>The app (the SET's <c>aud</c>).</summary>
    public required string ClientId { get; set; }

    /// <summary>The event type URN (one event per SET).</summary>
    public required string EventType { get; set; }

    /// <summary>The OBIE resource type (<c>rty</c>), e.g. "domestic-payment".</summary>
    public required string ResourceType { get; set; }

    /// <summary>The resource id (<c>rid</c>); the order for an instalment of a standing order or a scheduled payment.</summary>
    public required string ResourceId { get; set; }

    /// <summary>The resource's status after the change, by its domain name (for the Portal's log; not in the SET).</summary>
    public string? ResourceStatus { get; set; }

    /// <summary>The outbox row it came from; null for a test event. Unique with <see cref="EventType"/>.</summary>
    public long? OutboxMessageId { get; set; }

    /// <summary>A test event sent from the Portal or the verify-my-endpoint check.</summary>
    public bool IsTest { get; set; }

    /// <summary>The signed SET (compact JWS), as pushed and polled.</summary>
    public required string Set { get; set; }

    /// <summary>The bank signing key's <c>kid</c> that signed it.</summary>
    public required string Kid { get; set; }

    /// <summary>The SET's <c>toe</c>: when the change happened, on the tenant's clock (UTC).</summary>
    public DateTime OccurredAt { get; set; }

    /// <summary>The SET's <c>iat</c>: real time (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>Real time (UTC) after which neither push nor polling returns it, and it may be pruned.</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>The callback URL it is pushed to (the subscription's stored value when it was created, encrypted); null for polling only.</summary>
    public string? CallbackUrl { get; set; }

    public EventDeliveryState State { get; set; }

    /// <summary>Push attempts made so far (a replay starts a new round; attempts are kept).</summary>
    public int Attempts { get; set; }

    /// <summary>Real time (UTC) of the next push attempt while <see cref="State"/> is Pending.</summary>
    public DateTime? NextAttemptAt { get; set; }

    /// <summary>Real time (UTC) the current round of attempts started (the retry window counts from it).</summary>
    public DateTime? RoundStartedAt { get; set; }

    /// <summary>What started the current round (copied to its attempts): the dispatcher, a replay, or a test.</summary>
    public EventAttemptTrigger RoundTrigger { get; set; }

    public DateTime? LastAttemptAt { get; set; }

    public int? LastStatusCode { get; set; }

    /// <summary>Why the last attempt failed, in words ("timed out after 5 s", "answered 500").</summary>
    public string? LastError { get; set; }

    /// <summary>Real time (UTC) it was acknowledged: a 202 to a push, or an <c>ack</c> / <c>setErrs</c> entry in a poll.</summary>
    public DateTime? AcknowledgedAt { get; set; }

    /// <summary>The partner's negative acknowledgement (<c>setErrs</c>): IANA SET error code and description.</summary>
    public string? SetError { get; set; }

    public string? SetErrorDescription { get; set; }

    public List<EventDeliveryAttempt> DeliveryAttempts { get; set; } = [];
}

/// <summary>What started a push attempt.</summary>
public enum EventAttemptTrigger
{
    Automatic,
    Replay,
    Test,
}

/// <summary>One push of a SET to a callback: what came back and how long it took.</summary>
public sealed class EventDeliveryAttempt
{
    public long Id { get; set; }

    public long NotificationId { get; set; }

    /// <summary>Real time (UTC).</summary>
    public DateTime AttemptedAt { get; set; }

    /// <summary>Where it went (after redirects), stored encrypted (<see cref="CallbackProtection"/>).</summary>
    public required string CallbackUrl { get; set; }

    /// <summary>The <c>x-fapi-interaction-id</c> the bank sent.</summary>
    public required string InteractionId { get; set; }

    /// <summary>The HTTP status the callback answered; null when no answer came (refused, timed out, blocked).</summary>
    public int? StatusCode { get; set; }

    public int LatencyMs { get; set; }

    /// <summary>Whether the callback echoed <c>x-fapi-interaction-id</c>.</summary>
    public bool EchoedInteractionId { get; set; }

    /// <summary>Why it failed, in words; null on a 202.</summary>
    public string? Error { get; set; }

    public EventAttemptTrigger Trigger { get; set; }
}
