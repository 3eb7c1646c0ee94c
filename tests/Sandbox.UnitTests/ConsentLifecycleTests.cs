using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Funds;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.Scheduled;
using OpenBanking.Sandbox.Payments.International;
using OpenBanking.Sandbox.Payments.Vrp;

namespace OpenBanking.Sandbox.UnitTests;

/// <summary>The consent lifecycle's whole table: every allowed move of every kind, and every other one refused.</summary>
public sealed class ConsentLifecycleTests
{
    private const string Alice = "cus-alice";
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, 500, TimeSpan.Zero);

    private const ConsentStatus Awaiting = ConsentStatus.AwaitingAuthorisation;
    private const ConsentStatus Authorised = ConsentStatus.Authorised;
    private const ConsentStatus Rejected = ConsentStatus.Rejected;
    private const ConsentStatus Revoked = ConsentStatus.Revoked;
    private const ConsentStatus Consumed = ConsentStatus.Consumed;

    /// <summary>The statuses each kind has in v3.1.11.</summary>
    private static readonly Dictionary<ConsentKind, ConsentStatus[]> StatusesOf = new()
    {
        [ConsentKind.AccountAccess] = [Awaiting, Authorised, Rejected, Revoked],
        [ConsentKind.DomesticPayment] = [Awaiting, Authorised, Rejected, Consumed],
        [ConsentKind.FundsConfirmation] = [Awaiting, Authorised, Rejected, Revoked],
        [ConsentKind.DomesticScheduledPayment] = [Awaiting, Authorised, Rejected, Consumed],
        [ConsentKind.DomesticVrp] = [Awaiting, Authorised, Rejected, Revoked],
        [ConsentKind.DomesticStandingOrder] = [Awaiting, Authorised, Rejected, Consumed],
        [ConsentKind.InternationalPayment] = [Awaiting, Authorised, Rejected, Consumed],
    };

    /// <summary>Written out by hand (not read from the implementation): what each kind allows, by whom, to what.</summary>
    private static readonly (ConsentKind Kind, ConsentStatus From, ConsentAction Action, ConsentActor Actor, ConsentStatus To)[] Allowed =
    [
        .. Shared(ConsentKind.AccountAccess, reauthentication: true),
        (ConsentKind.AccountAccess, Authorised, ConsentAction.WithdrawAccess, ConsentActor.Customer, Authorised),
        .. Deletes(ConsentKind.AccountAccess),

        .. Shared(ConsentKind.DomesticPayment, reauthentication: false),
        (ConsentKind.DomesticPayment, Authorised, ConsentAction.Consume, ConsentActor.PartnerApp, Consumed),

        .. Shared(ConsentKind.FundsConfirmation, reauthentication: true),
        (ConsentKind.FundsConfirmation, Authorised, ConsentAction.Revoke, ConsentActor.Customer, Revoked),
        .. Deletes(ConsentKind.FundsConfirmation),

        // Scheduled: no Revoked in its statuses — the customer's revocation rejects an unused consent, and leaves a
        // consumed one Consumed (its pending payment is cancelled by the journey).
        .. Shared(ConsentKind.DomesticScheduledPayment, reauthentication: false),
        (ConsentKind.DomesticScheduledPayment, Authorised, ConsentAction.Consume, ConsentActor.PartnerApp, Consumed),
        (ConsentKind.DomesticScheduledPayment, Authorised, ConsentAction.Revoke, ConsentActor.Customer, Rejected),
        (ConsentKind.DomesticScheduledPayment, Consumed, ConsentAction.Revoke, ConsentActor.Customer, Consumed),
        .. Shared(ConsentKind.DomesticVrp, reauthentication: false),
        (ConsentKind.DomesticVrp, Authorised, ConsentAction.Revoke, ConsentActor.Customer, Revoked),
        (ConsentKind.DomesticVrp, Authorised, ConsentAction.Revoke, ConsentActor.PartnerApp, Revoked),
        (ConsentKind.DomesticVrp, Awaiting, ConsentAction.Revoke, ConsentActor.PartnerApp, Revoked),
        .. Deletes(ConsentKind.DomesticVrp),
        // Standing orders: the customer cancels one from the dashboard; the PIS enums have no Revoked.
        .. Shared(ConsentKind.DomesticStandingOrder, reauthentication: false),
        (ConsentKind.DomesticStandingOrder, Authorised, ConsentAction.Consume, ConsentActor.PartnerApp, Consumed),
        (ConsentKind.DomesticStandingOrder, Authorised, ConsentAction.Revoke, ConsentActor.Customer, Rejected),
        (ConsentKind.DomesticStandingOrder, Consumed, ConsentAction.Revoke, ConsentActor.Customer, Consumed),
        .. Shared(ConsentKind.InternationalPayment, reauthentication: false),
        (ConsentKind.InternationalPayment, Authorised, ConsentAction.Consume, ConsentActor.PartnerApp, Consumed),
    ];

    private static IEnumerable<(ConsentKind, ConsentStatus, ConsentAction, ConsentActor, ConsentStatus)> Shared(ConsentKind kind, bool reauthentication)
    {
        yield return (kind, Awaiting, ConsentAction.Authorise, ConsentActor.Customer, Authorised);
        if (reauthentication)
        {
            yield return (kind, Authorised, ConsentAction.Authorise, ConsentActor.Customer, Authorised);
        }

        yield return (kind, Awaiting, ConsentAction.Reject, ConsentActor.Customer, Rejected);
        yield return (kind, Awaiting, ConsentAction.Reject, ConsentActor.Bank, Rejected);
        yield return (kind, Authorised, ConsentAction.Reject, ConsentActor.Bank, Rejected);
        yield return (kind, Awaiting, ConsentAction.Expire, ConsentActor.Bank, Rejected);
    }

    private static IEnumerable<(ConsentKind, ConsentStatus, ConsentAction, ConsentActor, ConsentStatus)> Deletes(ConsentKind kind)
        => StatusesOf[kind].Select(s => (kind, s, ConsentAction.Delete, ConsentActor.PartnerApp, s));

    public static TheoryData<ConsentKind, ConsentStatus, ConsentAction, ConsentActor> EveryMove()
    {
        var data = new TheoryData<ConsentKind, ConsentStatus, ConsentAction, ConsentActor>();
        foreach (var (kind, statuses) in StatusesOf)
        {
            foreach (var status in statuses)
            {
                foreach (var action in Enum.GetValues<ConsentAction>())
                {
                    foreach (var actor in Enum.GetValues<ConsentActor>())
                    {
                        data.Add(kind, status, action, actor);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryMove))]
    public void EveryMove_IsAllowedExactlyWhenTheTableHasIt_ByTheCustomerWhoGaveIt(ConsentKind kind, ConsentStatus from, ConsentAction action, ConsentActor actor)
    {
        var consent = New(kind, from);
        var expected = Allowed.Where(a => a.Kind == kind && a.From == from && a.Action == action && a.Actor == actor).Select(a => (ConsentStatus?)a.To).SingleOrDefault();

        var outcome = consent.Apply(action, actor, Now, Alice);

        if (expected is { } to)
        {
            Assert.True(outcome.Allowed, outcome.Refusal);
            Assert.Equal(to, outcome.Status);
            Assert.Equal(to, consent.Status);
        }
        else
        {
            Assert.False(outcome.Allowed, $"{kind}: {from} --{action} by {actor}--> {outcome.Status} should be refused");
            Assert.Equal(ConsentLifecycle.Refusal(from, action), outcome.Refusal);
            Assert.Equal(from, consent.Status);
        }
    }

    [Fact]
    public void TheTable_HasNoMoveTheTestsDoNotName()
        => Assert.All(ConsentLifecycle.Transitions.Where(t => StatusesOf[t.Kind].Contains(t.From)),
            t => Assert.Contains((t.Kind, t.From, t.Action, t.Actor, t.To), Allowed));

    [Theory]
    [InlineData(ConsentKind.AccountAccess)]
    [InlineData(ConsentKind.FundsConfirmation)]
    public void Reauthentication_ByAnotherCustomer_IsRefusedAsTheStatusForbidsIt(ConsentKind kind)
    {
        var consent = New(kind, Authorised);

        var outcome = consent.Apply(ConsentAction.Authorise, ConsentActor.Customer, Now, "cus-bob");

        Assert.False(outcome.Allowed);
        Assert.Equal("The consent is Authorised and cannot be authorised.", outcome.Refusal);
        Assert.Equal(Alice, consent.CustomerId);
    }

    [Theory]
    [InlineData(ConsentKind.AccountAccess)]
    [InlineData(ConsentKind.DomesticPayment)]
    [InlineData(ConsentKind.FundsConfirmation)]
    public void BankWithdrawingAnApproval_OfAnotherOrNoCustomer_IsRefused(ConsentKind kind)
    {
        Assert.False(New(kind, Authorised).Apply(ConsentAction.Reject, ConsentActor.Bank, Now, "cus-bob").Allowed);
        Assert.False(New(kind, Authorised).Apply(ConsentAction.Reject, ConsentActor.Bank, Now, " ").Allowed);
    }

    [Theory]
    [InlineData(ConsentKind.AccountAccess, Awaiting)]
    [InlineData(ConsentKind.AccountAccess, Authorised)]
    [InlineData(ConsentKind.FundsConfirmation, Awaiting)]
    [InlineData(ConsentKind.FundsConfirmation, Authorised)]
    public void Authorising_AnExpiredConsent_IsRefused_AndAtTheExpiryInstantItIsExpired(ConsentKind kind, ConsentStatus from)
    {
        var consent = New(kind, from, expiration: Now);

        var outcome = consent.Apply(ConsentAction.Authorise, ConsentActor.Customer, Now, Alice);

        Assert.Equal(ConsentOutcome.Refused(from, "The consent has expired."), outcome);
        Assert.Equal(from, consent.Status);
    }

    [Fact]
    public void Authorising_WithAnotherCustomer_OfAnExpiredAuthorisedConsent_SaysTheStatusNotTheExpiry()
        => Assert.Equal("The consent is Authorised and cannot be authorised.",
            New(ConsentKind.AccountAccess, Authorised, expiration: Now.AddDays(-1)).Apply(ConsentAction.Authorise, ConsentActor.Customer, Now, "cus-bob").Refusal);

    [Fact]
    public void Authorising_RecordsTheCustomer_AndRestoresWithdrawnAccess()
    {
        var consent = (AccountAccessConsent)New(ConsentKind.AccountAccess, Authorised);
        consent.AccessRevokedAt = Now.AddHours(-1);

        consent.Apply(ConsentAction.Authorise, ConsentActor.Customer, Now, Alice);

        Assert.Equal(Alice, consent.CustomerId);
        Assert.Null(consent.AccessRevokedAt);
    }

    [Fact]
    public void WithdrawingAccess_KeepsTheConsentAuthorised_AndNotesWhen()
    {
        var consent = (AccountAccessConsent)New(ConsentKind.AccountAccess, Authorised);

        consent.Apply(ConsentAction.WithdrawAccess, ConsentActor.Customer, Now, Alice);

        Assert.Equal(Authorised, consent.Status);
        Assert.Equal(Now, consent.AccessRevokedAt);
    }

    [Theory]
    [InlineData(ConsentKind.AccountAccess)]
    [InlineData(ConsentKind.FundsConfirmation)]
    public void Deleting_KeepsTheStatus_AndNotesWhen(ConsentKind kind)
    {
        var consent = (IDeletableConsent)New(kind, Rejected);

        consent.Apply(ConsentAction.Delete, ConsentActor.PartnerApp, Now);

        Assert.Equal(Rejected, consent.Status);
        Assert.Equal(Now, consent.DeletedAt);
    }

    [Fact]
    public void Rejecting_WithoutACustomer_LeavesNoCustomer()
    {
        var consent = New(ConsentKind.DomesticPayment, Awaiting);

        consent.Apply(ConsentAction.Reject, ConsentActor.Customer, Now, "  ");

        Assert.Null(consent.CustomerId);
    }

    [Fact]
    public void APaymentConsent_IsNeverRevoked_EvenIfAsked()
        => Assert.Throws<InvalidOperationException>(() => ((IConsent)New(ConsentKind.DomesticPayment, Awaiting)).Status = Revoked);

    [Theory]
    [InlineData("aac-0192", ConsentKind.AccountAccess)]
    [InlineData("pdc-0192", ConsentKind.DomesticPayment)]
    [InlineData("fcc-0192", ConsentKind.FundsConfirmation)]
    [InlineData("sdc-0192", ConsentKind.DomesticScheduledPayment)]
    [InlineData("soc-0192", ConsentKind.DomesticStandingOrder)]
    [InlineData("ipc-0192", ConsentKind.InternationalPayment)]
    public void AnId_SaysItsKind(string id, ConsentKind kind) => Assert.Equal(kind, ConsentKinds.FromId(id)?.Kind);

    [Theory]
    [InlineData("dp-0192")]
    [InlineData("AAC-0192")]
    [InlineData("")]
    public void AnIdOfNoKind_HasNone(string id) => Assert.Null(ConsentKinds.FromId(id));

    [Fact]
    public void NewIds_CarryTheirKindsPrefix()
    {
        Assert.Equal(ConsentKind.AccountAccess, ConsentKinds.FromId(AccountAccessConsent.NewId())?.Kind);
        Assert.Equal(ConsentKind.DomesticPayment, ConsentKinds.FromId(DomesticPaymentConsent.NewId())?.Kind);
        Assert.Equal(ConsentKind.FundsConfirmation, ConsentKinds.FromId(FundsConfirmationConsent.NewId())?.Kind);
        Assert.Equal(ConsentKind.DomesticScheduledPayment, ConsentKinds.FromId(DomesticScheduledPaymentConsent.NewId())?.Kind);
        Assert.Equal(ConsentKind.InternationalPayment, ConsentKinds.FromId(InternationalPaymentConsent.NewId())?.Kind);
    }

    /// <summary>A consent of a kind in a status; authorised-or-later ones were given by Alice; not expired unless asked.</summary>
    private static IConsent New(ConsentKind kind, ConsentStatus status, DateTimeOffset? expiration = null)
    {
        var customer = status == Awaiting ? null : Alice;
        IConsent consent = kind switch
        {
            ConsentKind.AccountAccess => new AccountAccessConsent { Id = "aac-1", ClientId = "app", ExpirationDateTime = expiration ?? Now.AddDays(1) },
            ConsentKind.FundsConfirmation => new FundsConfirmationConsent
            {
                Id = "fcc-1", ClientId = "app", ExpirationDateTime = expiration ?? Now.AddDays(1), DebtorSchemeName = "UK.OBIE.SortCodeAccountNumber",
                DebtorIdentification = "11223321325698",
            },
            ConsentKind.DomesticVrp => new DomesticVrpConsent
            {
                Id = "vrc-1", ClientId = "app", ControlParametersJson = "{}", InitiationJson = "{}", RiskJson = "{}", Currency = "GBP",
            },
            ConsentKind.DomesticPayment => new DomesticPaymentConsent
            {
                Id = "pdc-1", ClientId = "app", InitiationJson = "{}", RiskJson = "{}", Currency = "GBP", CreditorName = "Payee",
                CreditorSchemeName = "UK.OBIE.SortCodeAccountNumber", CreditorIdentification = "11223321325698",
            },
            ConsentKind.DomesticScheduledPayment => new DomesticScheduledPaymentConsent
            {
                Id = "sdc-1", ClientId = "app", InitiationJson = "{}", RiskJson = "{}", Currency = "GBP", CreditorName = "Payee",
                CreditorSchemeName = "UK.OBIE.SortCodeAccountNumber", CreditorIdentification = "11223321325698",
            },
            ConsentKind.DomesticStandingOrder => new global::OpenBanking.Sandbox.Payments.StandingOrders.DomesticStandingOrderConsent
            {
                Id = "soc-1", ClientId = "app", InitiationJson = "{}", RiskJson = "{}", Currency = "GBP", CreditorName = "Payee", Frequency = "EvryDay",
                CreditorSchemeName = "UK.OBIE.SortCodeAccountNumber", CreditorIdentification = "11223321325698",
            },
            ConsentKind.InternationalPayment => new InternationalPaymentConsent
            {
                Id = "ipc-1", ClientId = "app", InitiationJson = "{}", RiskJson = "{}", InstructedCurrency = "EUR", CurrencyOfTransfer = "EUR",
                ChargeBearer = "Shared", CreditorName = "Payee", CreditorSchemeName = "UK.OBIE.IBAN", CreditorIdentification = "DE89370400440532013000",
            },
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        consent.Status = status;
        consent.CustomerId = customer;
        return consent;
    }
}
