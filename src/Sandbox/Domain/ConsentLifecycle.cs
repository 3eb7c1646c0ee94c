namespace OpenBanking.Sandbox.Domain;

/// <summary>A condition a transition needs beyond the consent's status.</summary>
public enum ConsentGuard
{
    None,

    /// <summary>The customer asking is the one who authorised it.</summary>
    SameCustomer,

    /// <summary>The consent's expiration time has not passed.</summary>
    NotExpired,

    /// <summary>Both of the above.</summary>
    SameCustomerNotExpired,
}

/// <summary>One allowed move: from a status, an action by an actor, to a status (the same one for Delete and WithdrawAccess).</summary>
public sealed record ConsentTransition(
    ConsentKind Kind, ConsentStatus From, ConsentAction Action, ConsentActor Actor, ConsentStatus To, ConsentGuard Guard = ConsentGuard.None);

/// <summary>The result of asking for a transition: the new status, or why not.</summary>
public readonly record struct ConsentOutcome(bool Allowed, ConsentStatus Status, string? Refusal)
{
    public static ConsentOutcome To(ConsentStatus status) => new(true, status, null);

    public static ConsentOutcome Refused(ConsentStatus status, string reason) => new(false, status, reason);
}

/// <summary>
/// The one consent lifecycle of every kind: a table of allowed transitions (anything not in it is refused), and
/// <see cref="Apply"/>, which checks a move against it and makes it. Version and status-update time are not set here:
/// the save does that for every tracked change (Infrastructure.DomainChangesInterceptor).
/// </summary>
public static class ConsentLifecycle
{
    private const ConsentStatus Awaiting = ConsentStatus.AwaitingAuthorisation;
    private const ConsentStatus Authorised = ConsentStatus.Authorised;
    private const ConsentStatus Rejected = ConsentStatus.Rejected;

    public static readonly IReadOnlyList<ConsentTransition> Transitions =
    [
        .. Authorisable(ConsentKind.AccountAccess, reauthentication: true, expires: true),
        .. Deletable(ConsentKind.AccountAccess),
        new(ConsentKind.AccountAccess, Authorised, ConsentAction.WithdrawAccess, ConsentActor.Customer, Authorised, ConsentGuard.SameCustomer),

        .. Authorisable(ConsentKind.DomesticPayment, reauthentication: false, expires: false),
        new(ConsentKind.DomesticPayment, Authorised, ConsentAction.Consume, ConsentActor.PartnerApp, ConsentStatus.Consumed),

        .. Authorisable(ConsentKind.FundsConfirmation, reauthentication: true, expires: true),
        .. Deletable(ConsentKind.FundsConfirmation),
        new(ConsentKind.FundsConfirmation, Authorised, ConsentAction.Revoke, ConsentActor.Customer, ConsentStatus.Revoked, ConsentGuard.SameCustomer),

        // A scheduled payment consent knows no Revoked: withdrawn before its payment was submitted it is Rejected; once
        // Consumed it stays so, and revoking cancels its scheduled payment while that is still pending (the journey's part).
        .. Authorisable(ConsentKind.DomesticScheduledPayment, reauthentication: false, expires: false),
        new(ConsentKind.DomesticScheduledPayment, Authorised, ConsentAction.Consume, ConsentActor.PartnerApp, ConsentStatus.Consumed),
        new(ConsentKind.DomesticScheduledPayment, Authorised, ConsentAction.Revoke, ConsentActor.Customer, Rejected, ConsentGuard.SameCustomer),
        new(ConsentKind.DomesticScheduledPayment, ConsentStatus.Consumed, ConsentAction.Revoke, ConsentActor.Customer, ConsentStatus.Consumed, ConsentGuard.SameCustomer),
        // VRP: many payments until revoked — by the customer (dashboard) or the partner (DELETE, also before authorisation);
        // the partner's DELETE of one already ended only hides it. Payments after ValidToDateTime fail the controls.
        .. Authorisable(ConsentKind.DomesticVrp, reauthentication: false, expires: false),
        new(ConsentKind.DomesticVrp, Authorised, ConsentAction.Revoke, ConsentActor.Customer, ConsentStatus.Revoked, ConsentGuard.SameCustomer),
        new(ConsentKind.DomesticVrp, Authorised, ConsentAction.Revoke, ConsentActor.PartnerApp, ConsentStatus.Revoked),
        new(ConsentKind.DomesticVrp, Awaiting, ConsentAction.Revoke, ConsentActor.PartnerApp, ConsentStatus.Revoked),
        .. Deletable(ConsentKind.DomesticVrp),
        // Standing orders: consumed by the order made under it. The PIS enums have no Revoked: the customer's
        // cancellation leaves a consumed consent Consumed (its order becomes Cancelled) and an unused one Rejected.
        .. Authorisable(ConsentKind.DomesticStandingOrder, reauthentication: false, expires: false),
        new(ConsentKind.DomesticStandingOrder, Authorised, ConsentAction.Consume, ConsentActor.PartnerApp, ConsentStatus.Consumed),
        new(ConsentKind.DomesticStandingOrder, Authorised, ConsentAction.Revoke, ConsentActor.Customer, Rejected, ConsentGuard.SameCustomer),
        new(ConsentKind.DomesticStandingOrder, ConsentStatus.Consumed, ConsentAction.Revoke, ConsentActor.Customer, ConsentStatus.Consumed, ConsentGuard.SameCustomer),
        // International payments: single use, as domestic (no Revoked, no DELETE in either version).
        .. Authorisable(ConsentKind.InternationalPayment, reauthentication: false, expires: false),
        new(ConsentKind.InternationalPayment, Authorised, ConsentAction.Consume, ConsentActor.PartnerApp, ConsentStatus.Consumed),
    ];

    /// <summary>What every kind shares: authorised or rejected by the customer, rejected by the bank, expired unauthorised.</summary>
    private static IEnumerable<ConsentTransition> Authorisable(ConsentKind kind, bool reauthentication, bool expires)
    {
        yield return new(kind, Awaiting, ConsentAction.Authorise, ConsentActor.Customer, Authorised, expires ? ConsentGuard.NotExpired : ConsentGuard.None);
        if (reauthentication)
        {
            // The same customer approves again (the app asked to re-authenticate, e.g. after access was withdrawn).
            yield return new(kind, Authorised, ConsentAction.Authorise, ConsentActor.Customer, Authorised,
                expires ? ConsentGuard.SameCustomerNotExpired : ConsentGuard.SameCustomer);
        }

        yield return new(kind, Awaiting, ConsentAction.Reject, ConsentActor.Customer, Rejected);
        yield return new(kind, Awaiting, ConsentAction.Reject, ConsentActor.Bank, Rejected);
        // Identity could not finish an authorisation its customer had just approved (no code was issued): rather than
        // stay Authorised with no way to use it, the consent becomes Rejected.
        yield return new(kind, Authorised, ConsentAction.Reject, ConsentActor.Bank, Rejected, ConsentGuard.SameCustomer);
        yield return new(kind, Awaiting, ConsentAction.Expire, ConsentActor.Bank, Rejected);
    }

    private static IEnumerable<ConsentTransition> Deletable(ConsentKind kind)
        => Enum.GetValues<ConsentStatus>().Select(status => new ConsentTransition(kind, status, ConsentAction.Delete, ConsentActor.PartnerApp, status));

    /// <summary>Whether a move is allowed, without making it.</summary>
    /// <param name="customerId">The customer asking, or on whose behalf the bank asks.</param>
    public static ConsentOutcome Decide(IConsent consent, ConsentAction action, ConsentActor actor, DateTimeOffset now, string? customerId = null)
    {
        var candidates = Transitions.Where(t => t.Kind == consent.Kind && t.From == consent.Status && t.Action == action && t.Actor == actor).ToList();
        var sameCustomer = !string.IsNullOrWhiteSpace(customerId) && consent.CustomerId == customerId;
        var notExpired = !(consent.ExpirationDateTime <= now);
        var passing = candidates.FirstOrDefault(t => t.Guard switch
        {
            ConsentGuard.SameCustomer => sameCustomer,
            // Expiry is checked after who may: another customer hears that the status forbids it, not that it expired.
            ConsentGuard.SameCustomerNotExpired => sameCustomer,
            _ => true,
        });
        if (passing is null)
        {
            return ConsentOutcome.Refused(consent.Status, Refusal(consent.Status, action));
        }

        return passing.Guard is ConsentGuard.NotExpired or ConsentGuard.SameCustomerNotExpired && !notExpired
            ? ConsentOutcome.Refused(consent.Status, "The consent has expired.")
            : ConsentOutcome.To(passing.To);
    }

    /// <summary>
    /// Makes a move if the table allows it: the new status, who answered (for Authorise and Reject), and the times of
    /// the moves that keep the status (Delete, WithdrawAccess). The caller saves.
    /// </summary>
    public static ConsentOutcome Apply(this IConsent consent, ConsentAction action, ConsentActor actor, DateTimeOffset now, string? customerId = null)
    {
        var outcome = Decide(consent, action, actor, now, customerId);
        if (!outcome.Allowed)
        {
            return outcome;
        }

        consent.Status = outcome.Status;
        ConsentChangeNotes.Note(consent, action, actor);
        switch (action)
        {
            case ConsentAction.Authorise:
                consent.CustomerId = customerId;
                if (consent is IWithdrawableConsent withdrawable)
                {
                    withdrawable.AccessRevokedAt = null;
                }

                break;
            case ConsentAction.Reject:
                consent.CustomerId = string.IsNullOrWhiteSpace(customerId) ? null : customerId;
                break;
            case ConsentAction.WithdrawAccess when consent is IWithdrawableConsent revocable:
                revocable.AccessRevokedAt = now;
                break;
            case ConsentAction.Delete when consent is IDeletableConsent deletable:
                deletable.DeletedAt = now;
                break;
        }

        return outcome;
    }

    /// <summary>The reason given for a move the table does not have (the words the consent journey has always shown).</summary>
    public static string Refusal(ConsentStatus status, ConsentAction action) => action switch
    {
        ConsentAction.Authorise => $"The consent is {status} and cannot be authorised.",
        ConsentAction.Reject => $"The consent is {status} and cannot be rejected.",
        ConsentAction.Revoke or ConsentAction.WithdrawAccess => $"The consent is {status}; only an authorised consent can be revoked.",
        ConsentAction.Consume => $"The consent is {status} and cannot be used for a payment.",
        ConsentAction.Expire => $"The consent is {status} and cannot expire.",
        ConsentAction.Delete => $"The consent is {status} and cannot be deleted.",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };
}

/// <summary>
/// Who moved a consent and how, noted by <see cref="ConsentLifecycle.Apply"/> for the save that follows: the consent
/// history (<c>Infrastructure.DomainChangesInterceptor</c>) reads it to say who made the change. Weakly held, so a
/// consent never saved leaves nothing behind.
/// </summary>
public static class ConsentChangeNotes
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IConsent, ConsentMove> Notes = [];

    public sealed record ConsentMove(ConsentAction Action, ConsentActor Actor);

    public static void Note(IConsent consent, ConsentAction action, ConsentActor actor) => Notes.AddOrUpdate(consent, new ConsentMove(action, actor));

    /// <summary>The last move noted for the consent, taken (a later save without a move sees none).</summary>
    public static ConsentMove? Take(IConsent consent)
    {
        if (!Notes.TryGetValue(consent, out var note))
        {
            return null;
        }

        Notes.Remove(consent);
        return note;
    }
}
