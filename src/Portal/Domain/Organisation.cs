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

    /// <summary>
    /// The moves the bank may make. A Pending organisation under re-review (approved before, or with apps, and renamed
    /// since) has working apps, so the bank can suspend it; one never approved cannot be suspended, only decided.
    /// </summary>
    public static bool IsAllowed(OrganisationStatus from, OrganisationStatus to, bool underReReview) => (from, to) switch
    {
        (OrganisationStatus.Pending, OrganisationStatus.Approved or OrganisationStatus.Rejected) => true,
        (OrganisationStatus.Pending, OrganisationStatus.Suspended) => underReReview,
        (OrganisationStatus.Approved, OrganisationStatus.Suspended) => true,
        (OrganisationStatus.Suspended, OrganisationStatus.Approved) => true,
        (OrganisationStatus.Rejected, OrganisationStatus.Approved) => true,
        _ => false,
    };

    /// <summary>
    /// Applies the bank's decision to move the organisation to <paramref name="requested"/>, and says what it amounted to.
    /// Approving a Pending organisation needs the name the admin reviewed (it may have been renamed meanwhile). Rejecting
    /// a rename brings the approved name back (the apps never stopped; nothing runs under a refused name). Reactivating a
    /// suspension approves nothing: a name the bank has not approved goes back to review.
    /// </summary>
    /// <param name="hasApps">Whether the organisation has apps (only asked of a Pending one: see <see cref="IsAllowed"/>).</param>
    /// <exception cref="OrganisationTransitionException">The move is not allowed, or the reviewed name is not the current one.</exception>
    public OrganisationChange Decide(OrganisationStatus requested, string? reason, string? reviewedName, bool hasApps, DateTimeOffset now)
    {
        var underReReview = Status == OrganisationStatus.Pending && (ApprovedName is not null || hasApps);
        if (!IsAllowed(Status, requested, underReReview))
        {
            throw new OrganisationTransitionException($"{LegalName} is {Status}; it cannot become {requested}.");
        }

        if (Status == OrganisationStatus.Pending && requested == OrganisationStatus.Approved
            && !string.Equals(reviewedName?.Trim(), LegalName, StringComparison.Ordinal))
        {
            throw new OrganisationTransitionException(
                $"The organisation changed its name since you opened it: it is now {LegalName}. Review the new name before approving.");
        }

        var (change, status) = (Status, requested) switch
        {
            (OrganisationStatus.Pending, OrganisationStatus.Rejected) when ApprovedName is not null => (OrganisationChange.RenameRejected, OrganisationStatus.Approved),
            (OrganisationStatus.Suspended, OrganisationStatus.Approved) => (OrganisationChange.Reactivated,
                string.Equals(LegalName, ApprovedName, StringComparison.Ordinal) ? OrganisationStatus.Approved : OrganisationStatus.Pending),
            (_, OrganisationStatus.Rejected) => (OrganisationChange.Rejected, requested),
            (_, OrganisationStatus.Suspended) => (OrganisationChange.Suspended, requested),
            _ => (OrganisationChange.Approved, requested),
        };

        if (change == OrganisationChange.RenameRejected)
        {
            var explained = $"The new name {LegalName} was not approved: {reason}";
            reason = explained.Length <= MaxStatusReasonLength ? explained : reason;
            LegalName = ApprovedName!;
        }
        else if (change == OrganisationChange.Reactivated && status == OrganisationStatus.Pending)
        {
            reason = ApprovedName is null ? "The bank reviews the organisation." : $"Renamed from {ApprovedName}: the bank reviews the new name.";
        }
        else if (change == OrganisationChange.Approved)
        {
            ApprovedName = LegalName;
        }

        Status = status;
        StatusReason = reason;
        StatusUpdatedAt = now;
        return change;
    }

    /// <summary>
    /// Renames the organisation. Customers see the name when they consent, so a new name is the bank's to approve: an
    /// Approved organisation goes back to review (its apps keep working under the approved name). Says whether it did.
    /// </summary>
    public bool Rename(string newName, DateTimeOffset now)
    {
        var previousName = LegalName;
        if (string.Equals(newName, previousName, StringComparison.Ordinal))
        {
            return false;
        }

        if (Status == OrganisationStatus.Suspended)
        {
            throw new OrganisationTransitionException("A suspended organisation cannot change its name; contact the bank.");
        }

        LegalName = newName;
        if (Status != OrganisationStatus.Approved)
        {
            return false;
        }

        Status = OrganisationStatus.Pending;
        StatusReason = $"Renamed from {previousName}: the bank reviews the new name.";
        StatusUpdatedAt = now;
        return true;
    }

    /// <summary>The length of <see cref="StatusReason"/>'s column.</summary>
    public const int MaxStatusReasonLength = 1000;
}

/// <summary>What a decision of the bank amounted to (a rejected rename leaves the organisation Approved).</summary>
public enum OrganisationChange
{
    Approved,
    Rejected,
    RenameRejected,
    Suspended,
    Reactivated,
}

/// <summary>A move the organisation's status does not allow.</summary>
public sealed class OrganisationTransitionException(string message) : InvalidOperationException(message);

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
