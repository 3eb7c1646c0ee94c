namespace OpenBanking.Portal.Domain;

/// <summary>
/// A partner's request to take an app to production, with the readiness report as it stood when they asked (frozen JSON,
/// so the admin decides on the evidence the partner saw) and the bank's decision.
/// </summary>
public sealed class ProductionAccessRequest
{
    public long Id { get; set; }

    public required string ClientId { get; set; }

    public Guid OrganisationId { get; set; }

    public required string RequestedBy { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>The partner's note to the reviewer (optional).</summary>
    public string? Note { get; set; }

    /// <summary>The overall verdict in words at request time (also inside <see cref="ReportJson"/>).</summary>
    public required string Verdict { get; set; }

    /// <summary>How many checks had failed when the partner asked (a request is allowed anyway; the admin sees them).</summary>
    public int FailedChecks { get; set; }

    /// <summary>The readiness report at request time, serialized; never changed afterwards.</summary>
    public required string ReportJson { get; set; }

    public ProductionAccess Status { get; set; } = ProductionAccess.Requested;

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>The admin's reason (required to refuse; optional to approve).</summary>
    public string? DecisionReason { get; set; }
}
