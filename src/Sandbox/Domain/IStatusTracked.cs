namespace OpenBanking.Sandbox.Domain;

/// <summary>
/// A consent or payment whose changes the bank records: its version is bumped, its status-update time set and an
/// outbox row written by <c>Infrastructure.DomainChangesInterceptor</c> when it is saved — never by hand.
/// </summary>
public interface IStatusTracked
{
    string Id { get; }

    Guid TenantId { get; }

    /// <summary>The partner app it belongs to; the one to tell about its changes.</summary>
    string ClientId { get; }

    /// <summary>Optimistic concurrency token, bumped once by every save that changes the entity.</summary>
    int Version { get; set; }

    OutboxResource Resource { get; }

    /// <summary>The domain name of its current status (an enum member's name).</summary>
    string StatusName { get; }

    /// <summary>Sets the status-update time after a status change, rounded as the resource's wire format shows it.</summary>
    void StampStatusUpdate(DateTimeOffset now);
}

/// <summary>A consent of any kind: what <see cref="ConsentLifecycle"/> needs to move it.</summary>
public interface IConsent : IStatusTracked
{
    ConsentKind Kind { get; }

    ConsentStatus Status { get; set; }

    /// <summary>The customer who authorised or rejected it.</summary>
    string? CustomerId { get; set; }

    /// <summary>When it stops granting anything; null for never (or a kind without expiry).</summary>
    DateTimeOffset? ExpirationDateTime { get; }
}

/// <summary>A consent the partner app may delete (soft: kept for audit).</summary>
public interface IDeletableConsent : IConsent
{
    DateTimeOffset? DeletedAt { get; set; }
}

/// <summary>A consent whose access the customer may withdraw while its status stays Authorised.</summary>
public interface IWithdrawableConsent : IConsent
{
    DateTimeOffset? AccessRevokedAt { get; set; }
}

/// <summary>Rounding of status times: the wire formats show whole seconds, so the stored value is whole seconds.</summary>
public static class Timestamps
{
    public static DateTimeOffset WholeSeconds(DateTimeOffset value) => value.AddTicks(-(value.Ticks % TimeSpan.TicksPerSecond));

    public static DateTime WholeSeconds(DateTime value) => value.AddTicks(-(value.Ticks % TimeSpan.TicksPerSecond));
}
