namespace OpenBanking.Portal.Domain;

/// <summary>A partner company (a TPP) registered on the platform.</summary>
public sealed class Organisation
{
    /// <summary>Also the sandbox tenant key carried in its apps' access tokens.</summary>
    public Guid Id { get; set; }

    public required string LegalName { get; set; }

    /// <summary>
    /// The name the bank last approved (what customers see on consent pages); null until the first approval. A Pending
    /// organisation with an approved name is under re-review after a rename: its apps keep working under this name.
    /// </summary>
    public string? ApprovedName { get; set; }

    public bool UnderReReview => Status == OrganisationStatus.Pending && ApprovedName is not null;

    public string? RegistrationNumber { get; set; }

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? Country { get; set; }

    public string? Website { get; set; }

    public string? ContactName { get; set; }

    public string? ContactEmail { get; set; }

    /// <summary>What the wallet does, in the partner's words (for the bank's review).</summary>
    public string? Description { get; set; }

    /// <summary>The Open Banking roles the organisation asked for.</summary>
    public OrganisationRoles RequestedRoles { get; set; }

    public OrganisationStatus Status { get; set; }

    /// <summary>The admin's reason for a rejection or suspension, shown to the partner.</summary>
    public string? StatusReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset StatusUpdatedAt { get; set; }
}

/// <summary>Where an organisation stands with the bank.</summary>
public enum OrganisationStatus
{
    Pending,
    Approved,
    Rejected,
    Suspended,
}

/// <summary>The regulated roles a TPP plays (AISP, PISP, CBPII).</summary>
[Flags]
public enum OrganisationRoles
{
    None = 0,
    AccountInformation = 1,
    PaymentInitiation = 2,
    FundsConfirmation = 4,
}
