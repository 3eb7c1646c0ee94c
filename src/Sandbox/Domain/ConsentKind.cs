namespace OpenBanking.Sandbox.Domain;

/// <summary>
/// The kinds of consent the bank keeps. A new kind (scheduled payment, standing order, VRP, international payment)
/// is a value here plus a row in <see cref="ConsentKinds"/> and its transitions in <see cref="ConsentLifecycle"/>.
/// </summary>
public enum ConsentKind
{
    AccountAccess,
    DomesticPayment,
    FundsConfirmation,
    DomesticScheduledPayment,
    DomesticVrp,
    // Issue 16, standing orders.
    DomesticStandingOrder,
    // Issue 18, cross-border payments.
    InternationalPayment,
}

/// <summary>
/// The status of a consent of any kind, by the names of Open Banking v3.1.11. Stored as these names (strings), so
/// the names must not change; a kind uses only the statuses its transitions reach.
/// </summary>
public enum ConsentStatus
{
    AwaitingAuthorisation,
    Authorised,
    Rejected,
    Revoked,
    Consumed,
}

/// <summary>What can happen to a consent.</summary>
public enum ConsentAction
{
    /// <summary>The customer approves it in the consent journey (again, to re-authenticate an authorised one).</summary>
    Authorise,

    /// <summary>The customer declines it; or the bank withdraws an approval it could not complete.</summary>
    Reject,

    /// <summary>The customer ends it from their dashboard and its status says so (funds confirmation).</summary>
    Revoke,

    /// <summary>
    /// The customer withdraws the app's access from their dashboard but, as v3.1.11 requires of account access, the
    /// status stays Authorised: tokens issued until now stop working and the app may ask again.
    /// </summary>
    WithdrawAccess,

    /// <summary>The partner app uses it up (a payment made under a single-use payment consent).</summary>
    Consume,

    /// <summary>The bank ends one left unauthorised too long (no caller yet; the kinds of v4.0 and VRP will need it).</summary>
    Expire,

    /// <summary>The partner app deletes it: gone for the app, kept for audit, status unchanged.</summary>
    Delete,
}

/// <summary>Who asks for a transition.</summary>
public enum ConsentActor
{
    /// <summary>The bank's customer, through Identity's consent journey or their dashboard.</summary>
    Customer,

    /// <summary>The partner app (TPP) that created the consent, through the Open Banking API.</summary>
    PartnerApp,

    /// <summary>The bank itself: Identity undoing an approval it could not finish, or a scheduled job.</summary>
    Bank,
}

/// <summary>What a kind is, beyond its transitions.</summary>
/// <param name="IdPrefix">The prefix of its ids, so that an id alone says which store holds it.</param>
/// <param name="CustomerRevocation">What "revoke" on the customer's dashboard means for this kind, if anything.</param>
public sealed record ConsentKindDefinition(ConsentKind Kind, string IdPrefix, ConsentAction? CustomerRevocation);

/// <summary>The kinds, as rows.</summary>
public static class ConsentKinds
{
    public static readonly IReadOnlyList<ConsentKindDefinition> All =
    [
        new(ConsentKind.AccountAccess, "aac-", ConsentAction.WithdrawAccess),
        new(ConsentKind.DomesticPayment, "pdc-", CustomerRevocation: null),
        new(ConsentKind.FundsConfirmation, "fcc-", ConsentAction.Revoke),
        // The customer cancels a scheduled payment not yet made (ConsentLifecycle, ScheduledPaymentJourney).
        new(ConsentKind.DomesticScheduledPayment, "sdc-", ConsentAction.Revoke),
        new(ConsentKind.DomesticVrp, "vrc-", ConsentAction.Revoke),
        // The customer cancels a standing order from their dashboard (its consent stays Consumed; the order is Cancelled).
        new(ConsentKind.DomesticStandingOrder, "soc-", ConsentAction.Revoke),
        new(ConsentKind.InternationalPayment, "ipc-", CustomerRevocation: null),
    ];

    public static ConsentKindDefinition Get(ConsentKind kind) => All.Single(d => d.Kind == kind);

    /// <summary>The kind an id belongs to, from its prefix; null for an id no kind issues.</summary>
    public static ConsentKindDefinition? FromId(string consentId)
    {
        foreach (var definition in All)
        {
            if (consentId.StartsWith(definition.IdPrefix, StringComparison.Ordinal))
            {
                return definition;
            }
        }

        return null;
    }

    public static string NewId(ConsentKind kind) => Get(kind).IdPrefix + Guid.CreateVersion7().ToString("N");
}
