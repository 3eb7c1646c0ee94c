namespace OpenBanking.Portal.Domain;

/// <summary>One change made by an admin or a partner. Append-only: entries are never updated or deleted.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset Timestamp { get; set; }

    /// <summary>Who acted (e-mail; "system" for seeds and jobs).</summary>
    public required string Actor { get; set; }

    /// <summary>Admin, Owner, Developer, Viewer or System.</summary>
    public string? ActorRole { get; set; }

    public required string Action { get; set; }

    public required string EntityType { get; set; }

    public required string EntityId { get; set; }

    /// <summary>The organisation concerned, so partners can be shown their own trail.</summary>
    public Guid? OrganisationId { get; set; }

    /// <summary>JSON of the entity before the change (null for a creation).</summary>
    public string? Before { get; set; }

    /// <summary>JSON of the entity after the change (null for a deletion).</summary>
    public string? After { get; set; }
}
