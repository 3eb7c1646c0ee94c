using OpenBanking.Portal.Domain;

namespace OpenBanking.Portal.Partners;

/// <summary>
/// The actions the audit log records, in one place: admins filter the log by their prefixes ("organisation.", "app."),
/// so a name once written must never change.
/// </summary>
public static class AuditActions
{
    public const string OrganisationRegistered = "organisation.registered";
    public const string OrganisationUpdated = "organisation.updated";
    public const string OrganisationRenamed = "organisation.renamed";
    public const string OrganisationApproved = "organisation.approved";
    public const string OrganisationRejected = "organisation.rejected";
    public const string OrganisationRenameRejected = "organisation.rename-rejected";
    public const string OrganisationSuspended = "organisation.suspended";
    public const string OrganisationReactivated = "organisation.reactivated";

    public const string AppCreated = "app.created";
    public const string AppUpdated = "app.updated";
    public const string AppSecretRotated = "app.secret-rotated";
    public const string AppDeleted = "app.deleted";
    public const string AppSuspended = "app.suspended";
    public const string AppReactivated = "app.reactivated";
    public const string AppPaymentAccessRequested = "app.payment-access-requested";
    public const string AppPaymentAccessGranted = "app.payment-access-granted";
    public const string AppPaymentAccessRefused = "app.payment-access-refused";
    public const string AppProductionAccessRequested = "app.production-access-requested";
    public const string AppProductionAccessGranted = "app.production-access-granted";
    public const string AppProductionAccessRefused = "app.production-access-refused";
    public const string AppEventSubscriptionSaved = "app.event-subscription-saved";
    public const string AppEventSubscriptionDeleted = "app.event-subscription-deleted";
    public const string AppEventTestSent = "app.event-test-sent";
    public const string AppEventsReplayed = "app.events-replayed";
    public const string AppEventEndpointVerified = "app.event-endpoint-verified";
    public const string AppSecurityChanged = "app.security-changed";
    public const string AppSigningKeysChanged = "app.signing-keys-changed";

    /// <summary>A held payment released or rejected (by a partner on its Payments page, or by the bank on the fraud dashboard).</summary>
    public const string PaymentReleased = "payment.released";
    public const string PaymentRejected = "payment.rejected";

    public const string SandboxCustomerCreated = "sandbox.customer-created";
    public const string SandboxCustomerDeleted = "sandbox.customer-deleted";

    public const string MemberInvited = "member.invited";
    public const string MemberReinvited = "member.reinvited";
    public const string MemberJoined = "member.joined";
    public const string MemberInvitationDeclined = "member.invitation-declined";
    public const string MemberInvitationWithdrawn = "member.invitation-withdrawn";
    public const string MemberRemoved = "member.removed";
    public const string MemberRoleChanged = "member.role-changed";

    /// <summary>The action recording a decision of the bank on an organisation.</summary>
    public static string For(OrganisationChange change) => change switch
    {
        OrganisationChange.Approved => OrganisationApproved,
        OrganisationChange.Rejected => OrganisationRejected,
        OrganisationChange.RenameRejected => OrganisationRenameRejected,
        OrganisationChange.Suspended => OrganisationSuspended,
        OrganisationChange.Reactivated => OrganisationReactivated,
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
    };
}
