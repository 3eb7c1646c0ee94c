using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Domain;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Pipeline;
using OpenBanking.Sandbox.Tenancy;

namespace OpenBanking.Sandbox.Payments;

/// <summary>
/// Creates payment consents and payments, and lets a reviewer decide a held payment. Each write is one database
/// transaction that claims the idempotency key and makes the effect together, so a failure leaves nothing and a
/// duplicate finds the original. Payments go through the <see cref="PaymentPipeline"/>.
/// </summary>
public sealed class PaymentService(
    SandboxDbContext db,
    TenantService tenants,
    WriteTransaction transaction,
    PaymentPipeline pipeline,
    PostToLedger ledger,
    ScheduleSettlement settlement,
    TenantClock clock,
    TimeProvider wallClock)
{
    public const string CreateConsentOperation = "POST /domestic-payment-consents";
    public const string CreatePaymentOperation = "POST /domestic-payments";

    /// <summary>
    /// Records the consent the partner asks for through <paramref name="version"/> (AwaitingAuthorisation), or finds the
    /// one this key made through it.
    /// </summary>
    public async Task<DomesticPaymentConsent> CreateConsentAsync(
        CallerContext caller, ApiVersion version, string key, string requestHash, DomesticPaymentConsent consent, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var operation = PaymentVersions.CreateConsentOperation(version);
        if (await Idempotency.FindAsync(db, caller.ClientId, operation, key, requestHash, now.UtcDateTime, ct) is { } existing)
        {
            return await db.DomesticPaymentConsents.AsNoTracking().SingleAsync(c => c.Id == existing.ResourceId, ct);
        }

        var tenant = await tenants.GetOrCreateAsync(caller.OrganisationId, ct);
        var stamp = Timestamps.WholeSeconds(now);
        consent.TenantId = tenant.Id;
        consent.ClientId = caller.ClientId;
        consent.Status = PaymentConsentStatus.AwaitingAuthorisation;
        consent.ApiVersion = version;
        consent.CreationDateTime = stamp;

        try
        {
            await transaction.RunAsync(async tx =>
            {
                Idempotency.Claim(tx, caller.ClientId, operation, key, requestHash, consent.Id, now.UtcDateTime);
                tx.DomesticPaymentConsents.Add(consent);
                await tx.SaveChangesAsync(ct);
            }, ct);
            return consent;
        }
        catch (DbUpdateException)
        {
            // A concurrent duplicate claimed the key first: answer with its consent.
            db.ChangeTracker.Clear();
            if (await Idempotency.FindAsync(db, caller.ClientId, operation, key, requestHash, now.UtcDateTime, ct) is { } winner)
            {
                return await db.DomesticPaymentConsents.AsNoTracking().SingleAsync(c => c.Id == winner.ResourceId, ct);
            }

            if (await Idempotency.PurgeExpiredAsync(db, caller.ClientId, operation, key, now.UtcDateTime, ct))
            {
                return await CreateConsentAsync(caller, version, key, requestHash, consent, ct);
            }

            throw;
        }
    }

    /// <summary>
    /// The payment this request (or its first sending) created through <paramref name="version"/>; with its consent and
    /// payer when already at hand.
    /// </summary>
    public async Task<SubmittedPayment> SubmitAsync(
        CallerContext caller, ApiVersion version, string key, string requestHash, PaymentInstruction instruction, CancellationToken ct)
    {
        var payment = await pipeline.RunAsync(
            new PaymentContext(caller, key, requestHash, PaymentVersions.CreatePaymentOperation(version), instruction, clock.GetUtcNow().UtcDateTime, version), ct);
        return payment.Repeated is { } repeated
            ? new SubmittedPayment(repeated, null, null)
            : new SubmittedPayment(payment.RequirePayment(), payment.Consent, payment.Debtor);
    }

    /// <summary>A reviewer releases a held payment (debited now, or rejected for funds) or rejects it.</summary>
    public Task<(bool Found, PaymentStatus? Status, string? Error)> ReviewAsync(string paymentId, bool approve, CancellationToken ct)
        => ReviewAsync(paymentId, approve, reviewer: null, note: null, ct);

    /// <summary>
    /// A reviewer releases a held payment (debited now, or rejected for funds) or rejects it; the decision, who took it
    /// and why are recorded on the payment's screening row in the same transaction (the bank's fraud dashboard).
    /// </summary>
    public async Task<(bool Found, PaymentStatus? Status, string? Error)> ReviewAsync(
        string paymentId, bool approve, string? reviewer, string? note, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        (bool, PaymentStatus?, string?) result = (false, null, null);
        try
        {
            await transaction.RunAsync(async tx =>
            {
                var payment = await tx.DomesticPayments.SingleOrDefaultAsync(p => p.Id == paymentId, ct);
                if (payment is null)
                {
                    result = (false, null, null);
                    return;
                }

                if (payment.Status != PaymentStatus.Pending || payment.StatusReason != PaymentStatusReasons.HeldForReview)
                {
                    result = (true, null, $"The payment is {payment.Status}{(payment.StatusReason is null ? string.Empty : " (" + payment.StatusReason + ")")}, not held for review.");
                    return;
                }

                payment.StatusUpdateDateTime = Timestamps.WholeSeconds(now);
                string detail;
                if (approve)
                {
                    var debtor = await tx.Accounts.AsNoTracking().SingleAsync(a => a.Id == payment.DebtorAccountId, ct);
                    var scenario = Enum.TryParse<Scenario>(payment.Scenario, out var s) ? s : Scenario.None;
                    if (payment.Kind == PaymentKind.International)
                    {
                        // Its reference, rate and charges are its consent's and transfer's (an Indicative rate is taken now).
                        var consent = await tx.InternationalPaymentConsents.AsNoTracking().SingleAsync(c => c.Id == payment.ConsentId, ct);
                        var transfer = await tx.InternationalTransfers.SingleAsync(t => t.PaymentId == payment.Id, ct);
                        if (await ledger.RequireInternational().DebitAsync(tx, payment, transfer, consent, debtor, consent.Reference, scenario, now, ct) is { } refusal)
                        {
                            payment.Status = PaymentStatus.Rejected;
                            payment.StatusReason = PaymentStatusReasons.RejectedOnReview;
                            detail = "Released by a reviewer; rejected: " + refusal;
                        }
                        else
                        {
                            detail = payment.Debited ? "Released by a reviewer; accepted for settlement." : "Released by a reviewer; rejected: insufficient funds.";
                        }
                    }
                    else
                    {
                        // A VRP payment's reference is its own (its consent is not a domestic-payment consent).
                        var reference = payment.Kind == PaymentKind.Vrp
                            ? await tx.DomesticVrpInstructions.AsNoTracking().Where(i => i.PaymentId == payment.Id).Select(i => i.Reference).SingleOrDefaultAsync(ct)
                            : await tx.DomesticPaymentConsents.AsNoTracking().Where(c => c.Id == payment.ConsentId).Select(c => c.Reference).SingleAsync(ct);
                        await ledger.DebitAsync(tx, payment, debtor, reference, scenario, now, ct);
                        detail = payment.Debited ? "Released by a reviewer; accepted for settlement." : "Released by a reviewer; rejected: insufficient funds.";
                    }

                    settlement.Schedule(payment, now);
                }
                else
                {
                    payment.Status = PaymentStatus.Rejected;
                    payment.StatusReason = PaymentStatusReasons.RejectedOnReview;
                    detail = "Rejected by a reviewer.";
                }

                tx.PaymentStatusChanges.Add(new PaymentStatusChange { PaymentId = payment.Id, Status = payment.Status, At = payment.StatusUpdateDateTime, Detail = detail });
                if (await tx.PaymentScreenings.SingleOrDefaultAsync(s => s.PaymentId == payment.Id, ct) is { } screening)
                {
                    // Wall-clock, as the screening's RecordedAt: the dashboard's windows are over real time.
                    screening.ReviewReleased = approve;
                    screening.ReviewedAt = wallClock.GetUtcNow().UtcDateTime;
                    screening.ReviewedBy = reviewer;
                    screening.ReviewNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
                }

                await tx.SaveChangesAsync(ct);
                result = (true, payment.Status, null);
            }, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another reviewer decided first (the debit, if any, was rolled back with this transaction).
            result = (true, null, "The payment was decided by someone else meanwhile.");
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        return result;
    }
}

/// <summary>A submitted payment; Consent and Debtor are null when it was found rather than made (an idempotent repeat).</summary>
public sealed record SubmittedPayment(DomesticPayment Payment, DomesticPaymentConsent? Consent, Account? Debtor);
