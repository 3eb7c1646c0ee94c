using OpenBanking.Portal.Domain;

namespace OpenBanking.Portal.ComponentTests.Domain;

/// <summary>The bank's decisions on an organisation, as the entity allows them: the whole table, then what each move does.</summary>
public sealed class OrganisationTransitionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Earlier = Now.AddDays(-1);

    private static readonly HashSet<(OrganisationStatus, OrganisationStatus, bool)> Allowed =
    [
            (OrganisationStatus.Pending, OrganisationStatus.Approved, false),
            (OrganisationStatus.Pending, OrganisationStatus.Approved, true),
            (OrganisationStatus.Pending, OrganisationStatus.Rejected, false),
            (OrganisationStatus.Pending, OrganisationStatus.Rejected, true),
            (OrganisationStatus.Pending, OrganisationStatus.Suspended, true),
            (OrganisationStatus.Approved, OrganisationStatus.Suspended, false),
            (OrganisationStatus.Approved, OrganisationStatus.Suspended, true),
            (OrganisationStatus.Suspended, OrganisationStatus.Approved, false),
            (OrganisationStatus.Suspended, OrganisationStatus.Approved, true),
            (OrganisationStatus.Rejected, OrganisationStatus.Approved, false),
            (OrganisationStatus.Rejected, OrganisationStatus.Approved, true),
    ];

    private static IEnumerable<(OrganisationStatus From, OrganisationStatus To, bool UnderReReview)> EveryMove() =>
        from f in Enum.GetValues<OrganisationStatus>()
        from t in Enum.GetValues<OrganisationStatus>()
        from r in new[] { false, true }
        select (f, t, r);

    /// <summary>Every (from, to, under re-review) and whether the bank may make that move.</summary>
    public static TheoryData<OrganisationStatus, OrganisationStatus, bool, bool> Table()
        => [.. EveryMove().Select(m => (m.From, m.To, m.UnderReReview, Allowed.Contains(m)))];

    /// <summary>The 21 moves the bank may not make.</summary>
    public static TheoryData<OrganisationStatus, OrganisationStatus, bool> ForbiddenMoves()
        => [.. EveryMove().Where(m => !Allowed.Contains(m))];

    [Theory]
    [MemberData(nameof(Table))]
    public void IsAllowed_FollowsTheTransitionTable(OrganisationStatus from, OrganisationStatus to, bool underReReview, bool expected)
        => Assert.Equal(expected, Organisation.IsAllowed(from, to, underReReview));

    [Theory]
    [MemberData(nameof(ForbiddenMoves))]
    public void Decide_ForbiddenMove_ThrowsAndChangesNothing(OrganisationStatus from, OrganisationStatus to, bool underReReview)
    {
        // Under re-review: approved before under its old name.
        var organisation = New(from, approvedName: underReReview ? "Old Wallet Ltd" : null);

        var refusal = Assert.Throws<OrganisationTransitionException>(() => organisation.Decide(to, "a reason", organisation.LegalName, hasApps: false, Now));

        Assert.Equal($"Wallet Ltd is {from}; it cannot become {to}.", refusal.Message);
        Assert.Equal((from, "Wallet Ltd", (string?)null, Earlier), (organisation.Status, organisation.LegalName, organisation.StatusReason, organisation.StatusUpdatedAt));
    }

    [Fact]
    public void Decide_SuspendPendingWithApps_IsAllowed_ThoughNeverApproved()
    {
        var organisation = New(OrganisationStatus.Pending);

        Assert.Throws<OrganisationTransitionException>(() => organisation.Decide(OrganisationStatus.Suspended, "fraud", null, hasApps: false, Now));
        var change = organisation.Decide(OrganisationStatus.Suspended, "fraud", null, hasApps: true, Now);

        Assert.Equal((OrganisationChange.Suspended, OrganisationStatus.Suspended, "fraud"), (change, organisation.Status, organisation.StatusReason));
    }

    [Fact]
    public void Decide_SuspendApproved_KeepsTheReasonForThePartner()
    {
        var organisation = New(OrganisationStatus.Approved, approvedName: "Wallet Ltd");

        Assert.Equal(OrganisationChange.Suspended, organisation.Decide(OrganisationStatus.Suspended, "fraud", null, hasApps: true, Now));
        Assert.Equal((OrganisationStatus.Suspended, "fraud", "Wallet Ltd", Now),
            (organisation.Status, organisation.StatusReason, organisation.ApprovedName, organisation.StatusUpdatedAt));
    }

    [Fact]
    public void Decide_ApprovePending_RecordsTheApprovedName()
    {
        var organisation = New(OrganisationStatus.Pending);

        var change = organisation.Decide(OrganisationStatus.Approved, null, " Wallet Ltd ", hasApps: false, Now);

        Assert.Equal(OrganisationChange.Approved, change);
        Assert.Equal((OrganisationStatus.Approved, "Wallet Ltd", (string?)null, Now), (organisation.Status, organisation.ApprovedName, organisation.StatusReason, organisation.StatusUpdatedAt));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Old Wallet Ltd")]
    public void Decide_ApprovePendingUnderAnotherName_IsRefused(string? reviewedName)
    {
        var organisation = New(OrganisationStatus.Pending, approvedName: "Old Wallet Ltd");

        var refusal = Assert.Throws<OrganisationTransitionException>(() => organisation.Decide(OrganisationStatus.Approved, null, reviewedName, hasApps: false, Now));

        Assert.Contains("it is now Wallet Ltd", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(OrganisationStatus.Pending, organisation.Status);
    }

    [Fact]
    public void Decide_ApproveRejected_NeedsNoReviewedName()
    {
        var organisation = New(OrganisationStatus.Rejected);

        Assert.Equal(OrganisationChange.Approved, organisation.Decide(OrganisationStatus.Approved, null, null, hasApps: false, Now));
        Assert.Equal(("Wallet Ltd", OrganisationStatus.Approved), (organisation.ApprovedName, organisation.Status));
    }

    [Fact]
    public void Decide_RejectFirstRegistration_RejectsWithTheReason()
    {
        var organisation = New(OrganisationStatus.Pending);

        Assert.Equal(OrganisationChange.Rejected, organisation.Decide(OrganisationStatus.Rejected, "no licence", null, hasApps: false, Now));
        Assert.Equal((OrganisationStatus.Rejected, "no licence", (string?)null), (organisation.Status, organisation.StatusReason, organisation.ApprovedName));
    }

    [Fact]
    public void Decide_RejectRename_BringsTheApprovedNameBack_AndStaysApproved()
    {
        var organisation = New(OrganisationStatus.Pending, approvedName: "Old Wallet Ltd");

        var change = organisation.Decide(OrganisationStatus.Rejected, "misleading", null, hasApps: true, Now);

        Assert.Equal(OrganisationChange.RenameRejected, change);
        Assert.Equal((OrganisationStatus.Approved, "Old Wallet Ltd", "The new name Wallet Ltd was not approved: misleading"),
            (organisation.Status, organisation.LegalName, organisation.StatusReason));
    }

    [Fact]
    public void Decide_RejectRename_WithALongReason_KeepsTheReasonWithinTheColumn()
    {
        var organisation = New(OrganisationStatus.Pending, approvedName: "Old Wallet Ltd");
        var reason = new string('x', Organisation.MaxStatusReasonLength);

        organisation.Decide(OrganisationStatus.Rejected, reason, null, hasApps: true, Now);

        Assert.Equal(reason, organisation.StatusReason);
    }

    [Fact]
    public void Decide_Reactivate_UnderTheApprovedName_IsApprovedAgain()
    {
        var organisation = New(OrganisationStatus.Suspended, approvedName: "Wallet Ltd");
        organisation.StatusReason = "fraud";

        Assert.Equal(OrganisationChange.Reactivated, organisation.Decide(OrganisationStatus.Approved, null, null, hasApps: true, Now));
        Assert.Equal((OrganisationStatus.Approved, (string?)null, Now), (organisation.Status, organisation.StatusReason, organisation.StatusUpdatedAt));
    }

    [Theory]
    [InlineData("Old Wallet Ltd", "Renamed from Old Wallet Ltd: the bank reviews the new name.")]
    [InlineData(null, "The bank reviews the organisation.")]
    public void Decide_Reactivate_UnderANameNotApproved_GoesBackToReview(string? approvedName, string reason)
    {
        var organisation = New(OrganisationStatus.Suspended, approvedName);

        Assert.Equal(OrganisationChange.Reactivated, organisation.Decide(OrganisationStatus.Approved, null, null, hasApps: true, Now));
        Assert.Equal((OrganisationStatus.Pending, reason, approvedName), (organisation.Status, organisation.StatusReason, organisation.ApprovedName));
    }

    [Fact]
    public void Rename_Approved_GoesBackToReview_KeepingTheApprovedName()
    {
        var organisation = New(OrganisationStatus.Approved, approvedName: "Wallet Ltd");

        Assert.True(organisation.Rename("New Wallet Ltd", Now));
        Assert.Equal((OrganisationStatus.Pending, "New Wallet Ltd", "Wallet Ltd", "Renamed from Wallet Ltd: the bank reviews the new name.", true),
            (organisation.Status, organisation.LegalName, organisation.ApprovedName, organisation.StatusReason, organisation.UnderReReview));
    }

    [Theory]
    [InlineData(OrganisationStatus.Pending)]
    [InlineData(OrganisationStatus.Rejected)]
    public void Rename_NotApproved_StaysInItsStatus(OrganisationStatus status)
    {
        var organisation = New(status);

        Assert.False(organisation.Rename("New Wallet Ltd", Now));
        Assert.Equal((status, "New Wallet Ltd", Earlier), (organisation.Status, organisation.LegalName, organisation.StatusUpdatedAt));
    }

    [Fact]
    public void Rename_Suspended_IsRefused_ButTheSameNameIsNoRename()
    {
        var organisation = New(OrganisationStatus.Suspended, approvedName: "Wallet Ltd");

        Assert.Throws<OrganisationTransitionException>(() => organisation.Rename("New Wallet Ltd", Now));
        Assert.False(organisation.Rename("Wallet Ltd", Now));
        Assert.Equal(("Wallet Ltd", OrganisationStatus.Suspended), (organisation.LegalName, organisation.Status));
    }

    private static Organisation New(OrganisationStatus status, string? approvedName = null) => new()
    {
        Id = Guid.NewGuid(),
        LegalName = "Wallet Ltd",
        ApprovedName = approvedName,
        Status = status,
        CreatedAt = Earlier,
        StatusUpdatedAt = Earlier,
    };
}
