namespace OpenBanking.Portal.Domain;

/// <summary>A partner company (a TPP) registered on the platform.</summary>
public sealed class Organisation
{
    /// <summary>Also the sandbox tenant key carried in its apps' access tokens.</summary>
    public Guid Id { get; set; }

    public required string LegalName { get; set; }

    public string? RegistrationNumber { get; set; }

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? Country { get; set; }

    public string? Website { get; set; }

    public string? ContactEmail { get; set; }

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
