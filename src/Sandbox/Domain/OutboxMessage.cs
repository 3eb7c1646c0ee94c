namespace OpenBanking.Sandbox.Domain;

/// <summary>The resources whose changes are recorded in the outbox.</summary>
public enum OutboxResource
{
    AccountAccessConsent,
    DomesticPaymentConsent,
    FundsConfirmationConsent,
    DomesticPayment,
    DomesticScheduledPaymentConsent,
    DomesticScheduledPayment,
    DomesticStandingOrderConsent,
    DomesticStandingOrder,
    DomesticVrpConsent,
    DomesticVrp,

    /// <summary>
    /// The execution of a scheduled payment or one instalment of a standing order moving through settlement; the
    /// partner sees it through its order (the order's own rows say when it executed).
    /// </summary>
    PaymentExecution,

    InternationalPaymentConsent,
    InternationalPayment,
}

/// <summary>What happened to the resource.</summary>
public enum OutboxChange
{
    /// <summary>Its status changed, or it was created in its first status.</summary>
    StatusChanged,

    /// <summary>An account-access consent's linked accounts changed (the customer chose them again).</summary>
    LinkedAccountsChanged,

    /// <summary>The customer withdrew the app's access from their dashboard (the status stays Authorised).</summary>
    AccessRevoked,

    /// <summary>The partner app deleted it.</summary>
    Deleted,
}

/// <summary>
/// One change of a consent or payment, written in the same transaction as the change itself, so that a committed
/// change always has its row and a rolled-back one never does. The event dispatcher turns rows into notifications in
/// <see cref="Id"/> order (commit order per resource) and sets <see cref="DispatchedAt"/>.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>The partner app the resource belongs to.</summary>
    public required string ClientId { get; set; }

    public OutboxResource Resource { get; set; }

    public required string ResourceId { get; set; }

    public OutboxChange Change { get; set; }

    /// <summary>The resource's status after the change, by its domain name.</summary>
    public required string Status { get; set; }

    /// <summary>The resource's version after the change.</summary>
    public int Version { get; set; }

    /// <summary>UTC (DateTime, so that SQLite can compare and index it).</summary>
    public DateTime OccurredAt { get; set; }

    public DateTime? DispatchedAt { get; set; }
}

/// <summary>
/// Outbox rows for changes a save cannot see: a set-based update (<c>ExecuteUpdate</c>) bypasses the change tracker,
/// so its caller adds the row itself, in the same transaction: <c>db.Add(Outbox.StatusChanged(...))</c>.
/// </summary>
public static class Outbox
{
    public static OutboxMessage StatusChanged(
        OutboxResource resource, string resourceId, Guid tenantId, string clientId, string status, int version, DateTimeOffset occurredAt)
        => Message(OutboxChange.StatusChanged, resource, resourceId, tenantId, clientId, status, version, occurredAt);

    /// <summary>The row for a tracked entity's change (what the save writes for every change it sees).</summary>
    public static OutboxMessage For(IStatusTracked entity, OutboxChange change, DateTimeOffset occurredAt)
        => Message(change, entity.Resource, entity.Id, entity.TenantId, entity.ClientId, entity.StatusName, entity.Version, occurredAt);

    private static OutboxMessage Message(
        OutboxChange change, OutboxResource resource, string resourceId, Guid tenantId, string clientId, string status, int version, DateTimeOffset occurredAt)
        => new()
        {
            TenantId = tenantId,
            ClientId = clientId,
            Resource = resource,
            ResourceId = resourceId,
            Change = change,
            Status = status,
            Version = version,
            OccurredAt = occurredAt.UtcDateTime,
        };
}
