namespace OpenBanking.Portal.Domain;

/// <summary>
/// The Portal's record of a partner app. The OAuth client itself (redirect URIs, scopes, secret hash, keys) lives in
/// Identity under the same client id; the Portal keeps who owns it, its description and the payment-access decision.
/// </summary>
public sealed class PartnerApp
{
    public required string ClientId { get; set; }

    public Guid OrganisationId { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public required string AuthMethod { get; set; }

    public string? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Suspended by its team or by an admin (independently of the organisation's own suspension).</summary>
    public bool Suspended { get; set; }

    /// <summary>Who suspended it: only the bank lifts a bank suspension (null while the app is active).</summary>
    public AppSuspender? SuspendedBy { get; set; }

    /// <summary>A suspension by the bank binds the team: it cannot reactivate the app itself.</summary>
    public bool SuspendedByBank => Suspended && SuspendedBy == AppSuspender.Bank;

    public PaymentAccess PaymentAccess { get; set; }

    /// <summary>Why an admin refused the payment scope (shown to the partner).</summary>
    public string? PaymentAccessReason { get; set; }

    public DateTimeOffset? PaymentAccessDecidedAt { get; set; }

    /// <summary>
    /// The bank's decision on going live: Approved marks the app production-approved (issuing production credentials is
    /// outside this sandbox platform). Each request is kept, with its frozen readiness report, as a <see cref="ProductionAccessRequest"/>.
    /// </summary>
    public ProductionAccess ProductionAccess { get; set; }

    /// <summary>Why an admin refused production access (shown to the partner, who may ask again).</summary>
    public string? ProductionAccessReason { get; set; }

    public DateTimeOffset? ProductionAccessDecidedAt { get; set; }
}

/// <summary>Who suspended an app: its own team, or a bank admin.</summary>
public enum AppSuspender
{
    Team,
    Bank,
}

/// <summary>The payment-initiation scope of an app needs an admin's approval.</summary>
public enum PaymentAccess
{
    NotRequested,
    Requested,
    Granted,
    Refused,
}

/// <summary>Where an app stands on its way to production: the bank admin decides on a request with its readiness report.</summary>
public enum ProductionAccess
{
    NotRequested,
    Requested,
    Approved,
    Refused,
}
