using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Pipeline;
using OpenBanking.Sandbox.Payments.Screening;

namespace OpenBanking.Sandbox.Payments.International;

/// <summary>What an international payment carries through the pipeline beyond the instruction: its consent and transfer, once checked.</summary>
public sealed class InternationalSubmission
{
    public InternationalPaymentConsent? Consent { get; set; }
    public InternationalTransfer? Transfer { get; set; }

    public InternationalPaymentConsent RequireConsent() => Consent ?? throw new InvalidOperationException("The consent has not been checked yet.");

    public InternationalTransfer RequireTransfer() => Transfer ?? throw new InvalidOperationException("The transfer has not been made yet.");
}

/// <summary>
/// An international payment against its consent: this client's, of this version, Authorised; Initiation and Risk exactly
/// as consented; an Actual quote not yet expired on the tenant's clock (<c>UK.OBIE.Rules.AfterCutOffDateTime</c>, nothing
/// changes); an Agreed contract still usable; then the amounts at the payment's rate and cross-border screening, whose
/// findings the risk step weighs. In the transaction the consent is consumed exactly once by a guarded update (as a
/// domestic payment's) and the transfer row is added.
/// </summary>
public sealed class CheckInternationalConsent(SandboxDbContext db, InternationalPricer pricer, ICreditorScreening screening, IFaultInjector faults) : IConsentStep
{
    public async ValueTask CheckAsync(PaymentContext payment, CancellationToken ct)
    {
        var submission = (InternationalSubmission)payment.KindData!;
        var instruction = payment.Instruction;
        var consent = await db.InternationalPaymentConsents.AsNoTracking().SingleOrDefaultAsync(c => c.Id == instruction.ConsentId, ct)
            ?? throw ObieException.NotFound("international-payment consent", instruction.ConsentId);
        if (consent.ClientId != payment.Caller.ClientId)
        {
            throw ObieException.Forbidden("The consent belongs to another client.");
        }

        PaymentVersions.RequireSubmittable(ConsentKind.InternationalPayment, consent.ApiVersion, payment.Version, "international-payments");
        if (consent.Status != PaymentConsentStatus.Authorised)
        {
            throw new ConsentUnavailableException(consent.Status);
        }

        if (CheckAndConsumeConsent.Mismatch(consent.InitiationJson, consent.RiskJson, instruction) is { } difference)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceConsentMismatch,
                "The payment differs from what the customer consented to.", difference));
        }

        var now = new DateTimeOffset(DateTime.SpecifyKind(payment.Now, DateTimeKind.Utc));
        if (consent.QuoteExpiresAt is { } expires && now > expires)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.RulesAfterCutOffDateTime,
                $"The Actual exchange rate quote expired at {expires.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'+00:00'} (the consent's CutOffDateTime, on the bank's clock); create a new consent for a new quote.",
                InternationalRequests.EriPath));
        }

        var debtor = await PaymentQueries.Account(db, consent.DebtorAccountId!, ct)
            ?? throw new InvalidOperationException($"The consent's account {consent.DebtorAccountId} is gone.");
        if (await pricer.ContractProblemAsync(consent, now, ct) is { } problem)
        {
            throw ObieException.BadRequest(problem);
        }

        var (price, rate) = await pricer.PriceAsync(consent, debtor.Currency, now, ct);
        if (price.SentMinor <= 0)
        {
            // The tariff or an Indicative rate moved since the consent: the charges would now take the whole amount.
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.FieldInvalid,
                $"The amount no longer covers the charges taken from it ({Money.DisplayIn(price.DeductedFeeMinor, consent.CurrencyOfTransfer)}).",
                InternationalRequests.Path + ".InstructedAmount.Amount"));
        }

        var creditor = await db.Accounts.AsNoTracking()
            .Where(a => a.TenantId == consent.TenantId && a.Identification == consent.CreditorIdentification && a.SchemeName == consent.CreditorSchemeName
                && a.Currency == consent.CurrencyOfTransfer)
            .Select(a => a.Id).FirstOrDefaultAsync(ct);

        var debtorId = debtor.Id;
        // From the payer's own payments (the index on DebtorAccountId), joined to their transfers.
        var paidBefore = (await (
                from p in db.DomesticPayments.AsNoTracking()
                where p.DebtorAccountId == debtorId && p.Kind == PaymentKind.International && p.Status != PaymentStatus.Rejected
                join t in db.InternationalTransfers.AsNoTracking() on p.Id equals t.PaymentId
                where t.DestinationCountryCode != null
                select t.DestinationCountryCode!).Distinct().ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var screened = screening.Screen(InternationalPricer.Creditor(consent), price.TotalDebitMinor, debtor.Currency, paidBefore);
        payment.Findings = [.. screened.Findings.Select(f => new RiskFinding(f.Points, f.Reason))];
        payment.ForcedDecision = screened.Outcome switch
        {
            ScreeningOutcome.Reject => RiskDecision.Reject,
            ScreeningOutcome.Review => RiskDecision.Review,
            _ => null,
        };
        payment.ScenarioOverride = InternationalPricer.Scenario(consent);

        var id = InternationalTransfer.NewPaymentId();
        payment.Consent = null;
        payment.Debtor = debtor;
        payment.Reference = consent.Reference;
        payment.Payment = new DomesticPayment
        {
            Id = id,
            Kind = PaymentKind.International,
            TenantId = consent.TenantId,
            ClientId = payment.Caller.ClientId,
            ConsentId = consent.Id,
            CustomerId = consent.CustomerId!,
            DebtorAccountId = debtor.Id,
            CreditorAccountId = creditor,
            AmountMinor = price.TotalDebitMinor,
            Currency = debtor.Currency,
            CreditorName = consent.CreditorName,
            CreditorIdentification = consent.CreditorIdentification,
            CreationDateTime = Timestamps.WholeSeconds(payment.Now),
            StatusUpdateDateTime = Timestamps.WholeSeconds(payment.Now),
            Status = PaymentStatus.Pending,
            ApiVersion = consent.ApiVersion,
            RiskReasons = string.Empty,
        };
        var transfer = new InternationalTransfer
        {
            PaymentId = id,
            TenantId = consent.TenantId,
            ConsentId = consent.Id,
            DebitCurrency = debtor.Currency,
            TransferCurrency = consent.CurrencyOfTransfer,
            RateType = consent.RateType,
            ContractId = consent.ContractId,
            ChargeBearer = consent.ChargeBearer,
            ChargesJson = "[]",
            DestinationCountryCode = consent.DestinationCountryCode,
            ScreeningJson = screened.Findings.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(screened),
        };
        InternationalLedger.Apply(payment.Payment, transfer, price, rate?.Rate, rate?.MidRate, rate?.At);
        submission.Consent = consent;
        submission.Transfer = transfer;
    }

    public async ValueTask ApplyAsync(PaymentContext payment, SandboxDbContext tx, CancellationToken ct)
    {
        var submission = (InternationalSubmission)payment.KindData!;
        var consent = submission.RequireConsent();
        var decision = ConsentLifecycle.Decide(consent, ConsentAction.Consume, ConsentActor.PartnerApp, payment.Now);
        if (!decision.Allowed)
        {
            throw new CheckAndConsumeConsent.ConsentRaceException();
        }

        var consentId = consent.Id;
        var stamp = Timestamps.WholeSeconds(new DateTimeOffset(payment.Now, TimeSpan.Zero));
        var consumed = await tx.InternationalPaymentConsents
            .Where(c => c.Id == consentId && c.Status == PaymentConsentStatus.Authorised)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, PaymentConsentStatus.Consumed)
                .SetProperty(c => c.StatusUpdateDateTime, stamp)
                .SetProperty(c => c.LastUsedAt, stamp)
                .SetProperty(c => c.Version, c => c.Version + 1), ct);
        if (consumed == 0)
        {
            throw new CheckAndConsumeConsent.ConsentRaceException();
        }

        // A set-based update bypasses the change tracker: its outbox row is added here, in the same transaction.
        tx.OutboxMessages.Add(Outbox.StatusChanged(OutboxResource.InternationalPaymentConsent, consentId, consent.TenantId, consent.ClientId,
            nameof(ConsentStatus.Consumed), consent.Version + 1, new DateTimeOffset(payment.Now, TimeSpan.Zero)));
        tx.InternationalTransfers.Add(submission.RequireTransfer());
        faults.After("consent-consumed");
    }

    public async Task<Exception?> LostRaceAsync(PaymentContext payment, CancellationToken ct)
    {
        var consentId = payment.Instruction.ConsentId;
        var status = await db.InternationalPaymentConsents.AsNoTracking().Where(c => c.Id == consentId).Select(c => (PaymentConsentStatus?)c.Status).SingleOrDefaultAsync(ct);
        return status is PaymentConsentStatus.Authorised ? null : PaymentPipeline.InvalidConsentStatus(status ?? PaymentConsentStatus.Consumed);
    }
}
