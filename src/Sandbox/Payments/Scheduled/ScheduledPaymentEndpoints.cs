using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.Scheduled;

/// <summary>
/// What the scheduled-payment endpoints of both versions do alike: finding this client's consent or payment (a
/// scheduled consent and its payment belong to the version that created them, as domestic ones do), and the payment's
/// history for payment-details.
/// </summary>
public static class ScheduledPaymentEndpoints
{
    public static async Task<DomesticScheduledPaymentConsent> FindConsentAsync(
        SandboxDbContext db, string consentId, CallerContext caller, ApiVersion version, CancellationToken ct)
    {
        var consent = await db.DomesticScheduledPaymentConsents.AsNoTracking().SingleOrDefaultAsync(c => c.Id == consentId, ct)
            ?? throw ObieException.NotFound("domestic-scheduled-payment consent", consentId);
        if (consent.ClientId != caller.ClientId)
        {
            throw ObieException.Forbidden("The consent belongs to another client.");
        }

        RequireReadable(consent.ApiVersion, version, "domestic-scheduled-payment consent", consent.Id, "domestic-scheduled-payment-consents");
        return consent;
    }

    public static async Task<(DomesticScheduledPayment Payment, DomesticScheduledPaymentConsent Consent, Account Debtor)> FindPaymentAsync(
        SandboxDbContext db, string paymentId, CallerContext caller, ApiVersion version, CancellationToken ct)
    {
        var payment = await db.DomesticScheduledPayments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId, ct)
            ?? throw ObieException.NotFound("domestic scheduled payment", paymentId);
        if (payment.ClientId != caller.ClientId)
        {
            throw ObieException.Forbidden("The scheduled payment belongs to another client.");
        }

        RequireReadable(payment.ApiVersion, version, "domestic scheduled payment", payment.Id, "domestic-scheduled-payments");
        var (consent, debtor) = await PartiesAsync(db, payment, ct);
        return (payment, consent, debtor);
    }

    public static async Task<(DomesticScheduledPaymentConsent Consent, Account Debtor)> PartiesAsync(SandboxDbContext db, DomesticScheduledPayment payment, CancellationToken ct)
    {
        var consent = await db.DomesticScheduledPaymentConsents.AsNoTracking().SingleAsync(c => c.Id == payment.ConsentId, ct);
        var debtor = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == payment.DebtorAccountId, ct);
        return (consent, debtor);
    }

    /// <summary>A payment submitted through one version with a consent of the other does not match it.</summary>
    public static void RequireSubmittable(DomesticScheduledPaymentConsent consent, ApiVersion used)
    {
        if (!ApiVersions.MayUse(ConsentKind.DomesticScheduledPayment, consent.ApiVersion, used))
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceConsentMismatch,
                $"The consent was created through {consent.ApiVersion.Name()}; submit its payment under {consent.ApiVersion.BasePath()}/pisp/domestic-scheduled-payments.",
                "Data.ConsentId"));
        }
    }

    /// <summary>
    /// The payment's story, oldest first: scheduled (Pending, until its time), then its execution's own steps (the
    /// DomesticPayments row through settlement, or rejected for funds), or its cancellation by the customer.
    /// </summary>
    public static async Task<List<ScheduledStep>> HistoryAsync(SandboxDbContext db, DomesticScheduledPayment payment, CancellationToken ct)
    {
        var steps = new List<ScheduledStep>
        {
            new(payment.Id, null, payment.CreationDateTime,
                $"Scheduled for execution at {Clock.ClockAdvance.Rfc3339(new DateTimeOffset(DateTime.SpecifyKind(payment.RequestedExecutionDateTime, DateTimeKind.Utc)))}."),
        };
        if (payment.ExecutionId is { } executionId)
        {
            var changes = await db.PaymentStatusChanges.AsNoTracking().Where(c => c.PaymentId == executionId).OrderBy(c => c.Id).ToListAsync(ct);
            var reason = await db.DomesticPayments.AsNoTracking().Where(p => p.Id == executionId).Select(p => p.StatusReason).SingleAsync(ct);
            steps.AddRange(changes.Select(c => new ScheduledStep(executionId, c.Status, c.At, c.Detail, c.Status == PaymentStatus.Rejected ? reason : null)));
        }
        else if (payment.Status == ScheduledPaymentStatus.Cancelled)
        {
            steps.Add(new ScheduledStep(payment.Id, null, payment.StatusUpdateDateTime, "Cancelled by the customer before its execution.", Cancelled: true));
        }

        return steps;
    }

    private static void RequireReadable(ApiVersion created, ApiVersion used, string what, string id, string collection)
    {
        if (!ApiVersions.MayUse(ConsentKind.DomesticScheduledPayment, created, used))
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceNotFound,
                $"No {what} has the id '{id}' in {used.Name()}: it was created through {created.Name()}; read it under {created.BasePath()}/pisp/{collection}."));
        }
    }
}

/// <summary>
/// One step of a scheduled payment's history: its own (Execution null: waiting, or cancelled) or one of its
/// execution's statuses, with the execution's reason when that step rejected it.
/// </summary>
public sealed record ScheduledStep(string TransactionId, PaymentStatus? Execution, DateTime At, string Detail, string? Reason = null, bool Cancelled = false);
