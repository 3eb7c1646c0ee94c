namespace OpenBanking.Portal.Domain;

/// <summary>
/// A person's place in an organisation. An invitation is a membership not yet accepted: it names an e-mail address,
/// and the person whose confirmed address it is (Identity confirms every address before sign-in) accepts it.
/// A person belongs to one organisation at a time.
/// </summary>
public sealed class Membership
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>Identity's subject of the person; null until they accept (or, for seeds, first sign in).</summary>
    public string? UserId { get; set; }

    /// <summary>Lower-case e-mail address the membership was made for.</summary>
    public required string Email { get; set; }

    public string? DisplayName { get; set; }

    public TeamRole Role { get; set; }

    public string? InvitedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the person accepted; null while it is an open invitation.</summary>
    public DateTimeOffset? AcceptedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public bool IsInvitation => AcceptedAt is null;
}

/// <summary>What a member may do in their organisation.</summary>
public enum TeamRole
{
    /// <summary>Reads everything of the organisation; changes nothing.</summary>
    Viewer,

    /// <summary>Manages apps and sandbox data.</summary>
    Developer,

    /// <summary>Also manages the team and the organisation's details.</summary>
    Owner,
}
