using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Events.Dispatch;

/// <summary>Which events a change makes, and where the SET says the resource is: the dispatcher's rules, free of I/O.</summary>
public static class EventRules
{
    /// <summary>The status name a revocation leaves (<see cref="ConsentStatus.Revoked"/>).</summary>
    public const string RevokedStatus = nameof(ConsentStatus.Revoked);

    /// <summary>
    /// The event types an outbox row makes, in the order they are created. <paramref name="deletedByPartner"/>: a
    /// <see cref="OutboxChange.Deleted"/> row exists for the same resource and version (the partner's own DELETE, which it
    /// knows about: no revocation event for it).
    /// </summary>
    public static IReadOnlyList<string> EventTypesOf(OutboxResource resource, OutboxChange change, string status, bool deletedByPartner) => change switch
    {
        OutboxChange.StatusChanged when status == RevokedStatus && !deletedByPartner => [EventTypes.ResourceUpdate, EventTypes.ConsentAuthorizationRevoked],
        OutboxChange.StatusChanged => [EventTypes.ResourceUpdate],
        OutboxChange.AccessRevoked => [EventTypes.ConsentAuthorizationRevoked],
        OutboxChange.LinkedAccountsChanged when resource == OutboxResource.AccountAccessConsent => [EventTypes.AccountAccessConsentLinkedAccountUpdate],
        _ => [],
    };

    /// <summary>
    /// The version a subscription's <c>Version</c> names ("3.1", "v3.1", "3.1.x" → v3.1.11; "4.0", "v4.0" → v4.0); null
    /// for anything else (the subscription API refuses it; an old row with it gets links in the created version).
    /// </summary>
    public static ApiVersion? SubscriptionVersion(string? version)
    {
        var v = version?.Trim().TrimStart('v', 'V') ?? string.Empty;
        return v.StartsWith("4.0", StringComparison.Ordinal) ? ApiVersion.V4_0
            : v.StartsWith("3.1", StringComparison.Ordinal) ? ApiVersion.V3_1_11
            : null;
    }

    /// <summary>
    /// The SET's <c>sub</c> version: the subscription's when it may read the resource, else the one that created it (a
    /// v4.0 subscriber told about a v3.1.11 payment gets the v3.1 URL, the only one that reads it).
    /// </summary>
    public static ApiVersion SubjectVersion(EventResource resource, ApiVersion created, ApiVersion? subscribed)
        => subscribed is { } v && ApiVersions.MayUse(resource.ConsentKind, created, v) ? v : created;

    /// <summary>The resource's URL in a version, under the gateway's public base URL.</summary>
    public static string Url(string publicBaseUrl, ApiVersion version, EventResource resource, string id)
        => $"{publicBaseUrl.TrimEnd('/')}{version.BasePath()}{resource.PathOf(id)}";

    /// <summary>The claims of one SET (<c>txn</c> is shared by every SET of one change: "{row's resource id}:{version}").</summary>
    public static SetClaims Claims(
        string jti, string clientId, string eventType, EventResource resource, string resourceId, ApiVersion created, ApiVersion? subscribed,
        string publicBaseUrl, string transaction, DateTimeOffset occurredAt, DateTimeOffset issuedAt)
    {
        var links = EventResources.ReadableVersions(resource, created)
            .Select(v => new SetLink(EventResources.LinkVersion(v), Url(publicBaseUrl, v, resource, resourceId)))
            .ToList();
        return new SetClaims(jti, clientId, eventType, resource.Type, resourceId,
            Url(publicBaseUrl, SubjectVersion(resource, created, subscribed), resource, resourceId), links, transaction, occurredAt, issuedAt);
    }
}
