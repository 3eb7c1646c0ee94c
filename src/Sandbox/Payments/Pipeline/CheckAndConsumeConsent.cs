using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.Pipeline;

/// <summary>
/// The consent: this client's, Authorised, and the payment exactly as consented (Initiation and Risk compared as
/// values); it names the payer's account and the payee, from which the payment is made. In the transaction the
/// consent is consumed — exactly once, by a guarded update, so two submissions under one consent cannot both pass.
/// </summary>
/// <remarks>The one place a payment consumes its consent (the consent lifecycle and its outbox row belong here).</remarks>
public sealed class CheckAndConsumeConsent(SandboxDbContext db, IFaultInjector faults) : IPaymentStep
{
    public async ValueTask CheckAsync(PaymentContext payment, CancellationToken ct)
    {
        var instruction = payment.Instruction;
        var consent = await PaymentQueries.Consent(db, instruction.ConsentId, ct)
            ?? throw ObieException.NotFound("domestic-payment consent", instruction.ConsentId);
        if (consent.ClientId != payment.Caller.ClientId)
        {
            throw ObieException.Forbidden("The consent belongs to another client.");
        }

        // Before the status: a consent of the other version is not this payment's, whatever its state.
        PaymentVersions.RequireSubmittable(consent, payment.Version);

        if (consent.Status != PaymentConsentStatus.Authorised)
        {
            throw new ConsentUnavailableException(consent.Status);
        }

        if (Mismatch(consent, instruction) is { } difference)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceConsentMismatch,
                "The payment differs from what the customer consented to.", difference));
        }

        var debtor = await PaymentQueries.Account(db, consent.DebtorAccountId!, ct)
            ?? throw new InvalidOperationException($"The consent's account {consent.DebtorAccountId} is gone.");
        var creditor = await PaymentQueries.InternalCreditor(db, consent.TenantId, consent.CreditorIdentification, consent.CreditorSchemeName, consent.Currency, ct);

        payment.Consent = consent;
        payment.Debtor = debtor;
        payment.Payment = new DomesticPayment
        {
            Id = DomesticPayment.NewId(),
            TenantId = consent.TenantId,
            ClientId = payment.Caller.ClientId,
            ConsentId = consent.Id,
            CustomerId = consent.CustomerId!,
            DebtorAccountId = debtor.Id,
            CreditorAccountId = creditor,
            AmountMinor = consent.AmountMinor,
            Currency = consent.Currency,
            CreditorName = consent.CreditorName,
            CreditorIdentification = consent.CreditorIdentification,
            CreationDateTime = Timestamps.WholeSeconds(payment.Now),
            StatusUpdateDateTime = Timestamps.WholeSeconds(payment.Now),
            Status = PaymentStatus.Pending,
            ApiVersion = consent.ApiVersion,
            RiskReasons = string.Empty,
        };
    }

    public async ValueTask ApplyAsync(PaymentContext payment, SandboxDbContext tx, CancellationToken ct)
    {
        var consent = payment.RequireConsent();
        var consentId = consent.Id;
        // The lifecycle's table decides whether this move exists at all; the guarded update below makes it exactly once.
        var decision = ConsentLifecycle.Decide(consent, ConsentAction.Consume, ConsentActor.PartnerApp, payment.Now);
        if (!decision.Allowed)
        {
            throw new ConsentRaceException();
        }

        // Plain locals only in the statement: EF Core would compile a method call in it into a delegate on every call.
        // The payment's own time (its tenant's clock), not a fresh reading: every step of a payment uses one time.
        var stamp = Timestamps.WholeSeconds(new DateTimeOffset(payment.Now, TimeSpan.Zero));
        var consumed = await tx.DomesticPaymentConsents
            .Where(c => c.Id == consentId && c.Status == PaymentConsentStatus.Authorised)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, PaymentConsentStatus.Consumed)
                .SetProperty(c => c.StatusUpdateDateTime, stamp)
                .SetProperty(c => c.LastUsedAt, stamp)
                .SetProperty(c => c.Version, c => c.Version + 1), ct);
        if (consumed == 0)
        {
            throw new ConsentRaceException();
        }

        // A set-based update bypasses the change tracker: its outbox row is added here, in the same transaction.
        tx.OutboxMessages.Add(Outbox.StatusChanged(OutboxResource.DomesticPaymentConsent, consentId, consent.TenantId, consent.ClientId,
            nameof(ConsentStatus.Consumed), consent.Version + 1, new DateTimeOffset(payment.Now, TimeSpan.Zero)));
        faults.After("consent-consumed");
    }

    /// <summary>The consent's status now (after a lost race), or null when it is gone.</summary>
    public Task<PaymentConsentStatus?> CurrentStatusAsync(string consentId, CancellationToken ct)
        => db.DomesticPaymentConsents.AsNoTracking().Where(c => c.Id == consentId).Select(c => (PaymentConsentStatus?)c.Status).SingleOrDefaultAsync(ct);

    /// <summary>The path of the first difference between the payment and its consent, or null when they match.</summary>
    public static string? Mismatch(DomesticPaymentConsent consent, PaymentInstruction instruction)
    {
        using var initiation = JsonDocument.Parse(consent.InitiationJson);
        using var risk = JsonDocument.Parse(consent.RiskJson);
        return JsonValues.FirstDifference(initiation.RootElement, instruction.Initiation, "Data.Initiation")
            ?? JsonValues.FirstDifference(risk.RootElement, instruction.Risk, "Risk");
    }

    /// <summary>Another payment consumed the consent between the check and the transaction.</summary>
    public sealed class ConsentRaceException : Exception;
}
