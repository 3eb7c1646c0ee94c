namespace OpenBanking.Identity.Clients;

/// <summary>
/// One change to a partner app, kept after the app itself is deleted. Never holds a secret: <see cref="Details"/>
/// is a small JSON object of what changed.
/// </summary>
public sealed class ClientAuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The client id of the service that called the client management API (e.g. <c>portal-service</c>).</summary>
    public required string Actor { get; set; }

    /// <summary>The person the calling service acted for, as it said in <c>X-Acting-User</c> (sanitised, may be absent).</summary>
    public string? ActingUser { get; set; }

    public required string ClientId { get; set; }

    public string? OrganisationId { get; set; }

    /// <summary>One of <see cref="ClientAuditActions"/>.</summary>
    public required string Action { get; set; }

    public string? Details { get; set; }
}

/// <summary>The actions recorded in <see cref="ClientAuditEntry.Action"/>.</summary>
public static class ClientAuditActions
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string SecretRotated = "secret_rotated";
    public const string Suspended = "suspended";
    public const string Reactivated = "reactivated";
    public const string Deleted = "deleted";
}
