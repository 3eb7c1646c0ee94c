using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payee;

namespace OpenBanking.Sandbox.Payments.Pipeline;

/// <summary>
/// The consent: this client's, Authorised, and the payment exactly as consented (Initiation and Risk compared as
/// values); it names the payer's account and the payee, from which the payment is made. In the transaction the
/// consent is consumed — exactly once, by a guarded update, so two submissions under one consent cannot both pass.
/// </summary>
/// <remarks>
/// The one place a payment consumes its consent (the consent lifecycle and its outbox row belong here). The payee's
/// Confirmation of Payee answer (cached since the consent page asked it) adds a risk finding when the name does not
/// match, the account does not exist, or it is only a close match.
/// </remarks>
public sealed class CheckAndConsumeConsent(SandboxDbContext db, IFaultInjector faults, PayeeChecks? payees = null) : IConsentStep
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
        if (payees is not null
            && PayeeQuery.ForConsent(consent.CreditorSchemeName, consent.CreditorIdentification, consent.CreditorName, consent.InitiationJson, consent.RiskJson) is { } payee
            && (await payees.CheckAsync(db, consent.TenantId, payee, ct)).Risk is { } finding)
        {
            payment.Findings = [.. payment.Findings, new RiskFinding(finding.Points, finding.Reason)];
        }

        payment.Consent = consent;
        payment.Reference = consent.Reference;
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

    public async Task<Exception?> LostRaceAsync(PaymentContext payment, CancellationToken ct)
    {
        // Another payment of the consent won; anything else (a busy or failed database) is not the client's fault.
        var status = await CurrentStatusAsync(payment.Instruction.ConsentId, ct);
        return status is PaymentConsentStatus.Authorised ? null : PaymentPipeline.InvalidConsentStatus(status ?? PaymentConsentStatus.Consumed);
    }

    /// <summary>The consent's status now (after a lost race), or null when it is gone.</summary>
    public Task<PaymentConsentStatus?> CurrentStatusAsync(string consentId, CancellationToken ct)
        => db.DomesticPaymentConsents.AsNoTracking().Where(c => c.Id == consentId).Select(c => (PaymentConsentStatus?)c.Status).SingleOrDefaultAsync(ct);

    /// <summary>The path of the first difference between the payment and its consent, or null when they match.</summary>
    public static string? Mismatch(DomesticPaymentConsent consent, PaymentInstruction instruction)
        => Mismatch(consent.InitiationJson, consent.RiskJson, instruction);

    /// <summary>The same comparison against any consent's Initiation and Risk as stored (standing orders use it too).</summary>
    public static string? Mismatch(string initiationJson, string riskJson, PaymentInstruction instruction)
    {
        using var initiation = JsonDocument.Parse(initiationJson);
        using var risk = JsonDocument.Parse(riskJson);
        return JsonValues.FirstDifference(initiation.RootElement, instruction.Initiation, "Data.Initiation")
            ?? JsonValues.FirstDifference(risk.RootElement, instruction.Risk, "Risk");
    }

    /// <summary>Another payment consumed the consent between the check and the transaction.</summary>
    public sealed class ConsentRaceException : Exception;
}
