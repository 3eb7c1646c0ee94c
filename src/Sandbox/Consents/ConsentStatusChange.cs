namespace OpenBanking.Sandbox.Consents;

/// <summary>
/// One change in a consent's life, kept for the consent inspector after the outbox row that announced it is pruned:
/// written by <c>Infrastructure.DomainChangesInterceptor</c> beside that outbox row, in the same save and transaction,
/// so a change and its history row commit or roll back together. <see cref="At"/> is the tenant clock's time.
/// </summary>
public sealed class ConsentStatusChange
{
    public long Id { get; set; }

    public required string ConsentId { get; set; }

    public Guid TenantId { get; set; }

    public required string ClientId { get; set; }

    /// <summary>The consent's status after the change (its domain name), or a word for a change that keeps it (Deleted, AccessRevoked, Expired).</summary>
    public required string Status { get; set; }

    /// <summary><c>tpp</c>, <c>customer</c>, <c>bank</c> or <c>clock</c> (expiry).</summary>
    public required string Actor { get; set; }

    /// <summary>What happened, in words: never names, account numbers or tokens (account ids are fine).</summary>
    public string? Detail { get; set; }

    /// <summary>UTC on the tenant's clock.</summary>
    public DateTime At { get; set; }

    /// <summary>UTC, real time.</summary>
    public DateTime RecordedAt { get; set; }
}

/// <summary>Who made a consent change, as <see cref="ConsentStatusChange.Actor"/> names them.</summary>
public static class ConsentActors
{
    public const string Tpp = "tpp";
    public const string Customer = "customer";
    public const string Bank = "bank";
    public const string Clock = "clock";
}
