using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Pipeline;
using OpenBanking.Sandbox.Tenancy;

namespace OpenBanking.Sandbox.Payments.Scheduled;

/// <summary>
/// Creates scheduled payment consents and their payments for both API versions. Each write is one transaction that
/// claims the idempotency key with its effect (a duplicate finds the original). A payment consumes its consent
/// (Version-guarded, so one payment per consent even under a race), waits InitiationPending, and is listed in AIS
/// <c>/scheduled-payments</c> until <see cref="ScheduledPaymentExecution"/> runs it on the tenant's clock.
/// </summary>
public sealed class ScheduledPaymentService(SandboxDbContext db, TenantService tenants, WriteTransaction transaction, TenantClock clock)
{
    public const string CreateConsentOperation = "POST /domestic-scheduled-payment-consents";
    public const string CreatePaymentOperation = "POST /domestic-scheduled-payments";

    /// <summary>The idempotency scope of an operation in a version: a key used in one version never answers in the other.</summary>
    public static string Operation(string operation, ApiVersion version) => $"{version.Name()} {operation}";

    /// <summary>v4.0 lists 409 on both POSTs of scheduled payments; v3.1.11 has only 400.</summary>
    public static KeyConflict Conflict(ApiVersion version) => version == ApiVersion.V4_0 ? KeyConflict.Conflict : KeyConflict.BadRequest;

    public async Task<DomesticScheduledPaymentConsent> CreateConsentAsync(
        CallerContext caller, ApiVersion version, string key, string requestHash, PaymentConsentTerms terms, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var operation = Operation(CreateConsentOperation, version);
        if (await Idempotency.FindAsync(db, caller.ClientId, operation, key, requestHash, now.UtcDateTime, ct, Conflict(version)) is { } existing)
        {
            return await db.DomesticScheduledPaymentConsents.AsNoTracking().SingleAsync(c => c.Id == existing.ResourceId, ct);
        }

        RequireFuture(terms.RequestedExecutionDateTime!.Value, now);
        var tenant = await tenants.GetOrCreateAsync(caller.OrganisationId, ct);
        var consent = DomesticScheduledPaymentConsent.From(terms, caller.ClientId);
        consent.TenantId = tenant.Id;
        consent.Status = PaymentConsentStatus.AwaitingAuthorisation;
        consent.ApiVersion = version;
        consent.CreationDateTime = Timestamps.WholeSeconds(now);
        try
        {
            await transaction.RunAsync(async tx =>
            {
                Idempotency.Claim(tx, caller.ClientId, operation, key, requestHash, consent.Id, now.UtcDateTime);
                tx.DomesticScheduledPaymentConsents.Add(consent);
                await tx.SaveChangesAsync(ct);
            }, ct);
            return consent;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await Idempotency.FindAsync(db, caller.ClientId, operation, key, requestHash, now.UtcDateTime, ct, Conflict(version)) is { } winner)
            {
                return await db.DomesticScheduledPaymentConsents.AsNoTracking().SingleAsync(c => c.Id == winner.ResourceId, ct);
            }

            if (await Idempotency.PurgeExpiredAsync(db, caller.ClientId, operation, key, now.UtcDateTime, ct))
            {
                return await CreateConsentAsync(caller, version, key, requestHash, terms, ct);
            }

            throw;
        }
    }

    /// <summary>The scheduled payment this request (or its first sending) made through <paramref name="version"/>.</summary>
    public async Task<DomesticScheduledPayment> SubmitAsync(
        CallerContext caller, ApiVersion version, string key, string requestHash, PaymentInstruction instruction, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var operation = Operation(CreatePaymentOperation, version);
        // The key first: a repeat is answered whatever the consent's state now.
        if (await RepeatAsync(caller, operation, key, requestHash, now, version, ct) is { } repeated)
        {
            return repeated;
        }

        if (caller.ConsentId is null)
        {
            throw ObieException.Forbidden("A scheduled payment is submitted with the customer's token, not a client-credentials token.");
        }

        if (caller.ConsentId != instruction.ConsentId)
        {
            throw ObieException.Forbidden("The token is bound to another consent.");
        }

        var consent = await db.DomesticScheduledPaymentConsents.AsNoTracking().SingleOrDefaultAsync(c => c.Id == instruction.ConsentId, ct)
            ?? throw ObieException.NotFound("domestic-scheduled-payment consent", instruction.ConsentId);
        if (consent.ClientId != caller.ClientId)
        {
            throw ObieException.Forbidden("The consent belongs to another client.");
        }

        ScheduledPaymentEndpoints.RequireSubmittable(consent, version);
        if (consent.Status != PaymentConsentStatus.Authorised)
        {
            throw PaymentPipeline.InvalidConsentStatus(consent.Status);
        }

        if (Mismatch(consent, instruction) is { } difference)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceConsentMismatch,
                "The payment differs from what the customer consented to.", difference));
        }

        RequireFuture(new DateTimeOffset(DateTime.SpecifyKind(consent.RequestedExecutionDateTime, DateTimeKind.Utc)), now);
        var stamp = Timestamps.WholeSeconds(now.UtcDateTime);
        var payment = new DomesticScheduledPayment
        {
            Id = DomesticScheduledPayment.NewId(),
            TenantId = consent.TenantId,
            ClientId = consent.ClientId,
            ConsentId = consent.Id,
            CustomerId = consent.CustomerId!,
            DebtorAccountId = consent.DebtorAccountId!,
            ApiVersion = consent.ApiVersion,
            Status = ScheduledPaymentStatus.InitiationPending,
            CreationDateTime = stamp,
            StatusUpdateDateTime = stamp,
            RequestedExecutionDateTime = consent.RequestedExecutionDateTime,
        };
        try
        {
            await transaction.RunAsync(async tx =>
            {
                Idempotency.Claim(tx, caller.ClientId, operation, key, requestHash, payment.Id, now.UtcDateTime);
                // Consumed in this transaction: the consent's Version guards against a second payment winning too.
                var tracked = await tx.DomesticScheduledPaymentConsents.SingleAsync(c => c.Id == consent.Id, ct);
                if (!tracked.Apply(ConsentAction.Consume, ConsentActor.PartnerApp, now).Allowed)
                {
                    throw PaymentPipeline.InvalidConsentStatus(tracked.Status);
                }

                tracked.LastUsedAt = Timestamps.WholeSeconds(now);
                tx.DomesticScheduledPayments.Add(payment);
                tx.ScheduledPayments.Add(AisEntry(payment, consent));
                await tx.SaveChangesAsync(ct);
            }, ct);
            return payment;
        }
        catch (DbUpdateException)
        {
            // Lost a race: to a duplicate of this request (answer with its payment) or to another payment of the consent.
            db.ChangeTracker.Clear();
            if (await RepeatAsync(caller, operation, key, requestHash, now, version, ct) is { } winner)
            {
                return winner;
            }

            if (await Idempotency.PurgeExpiredAsync(db, caller.ClientId, operation, key, now.UtcDateTime, ct))
            {
                return await SubmitAsync(caller, version, key, requestHash, instruction, ct);
            }

            var status = await db.DomesticScheduledPaymentConsents.AsNoTracking().Where(c => c.Id == consent.Id).Select(c => c.Status).SingleAsync(ct);
            if (status == PaymentConsentStatus.Authorised)
            {
                throw;
            }

            throw PaymentPipeline.InvalidConsentStatus(status);
        }
    }

    /// <summary>
    /// The row AIS <c>/scheduled-payments</c> shows until the payment executes or is cancelled: the bank's own list of
    /// scheduled payments is the one place AIS reads them, so a PIS-made one is written there too (same id).
    /// </summary>
    public static ScheduledPayment AisEntry(DomesticScheduledPayment payment, DomesticScheduledPaymentConsent consent) => new()
    {
        Id = payment.Id,
        TenantId = payment.TenantId,
        AccountId = payment.DebtorAccountId,
        // AIS requires a reference; without RemittanceInformation's, the instruction's identification stands in.
        Reference = consent.Reference ?? InstructionIdentification(consent),
        ExecutionDateTime = payment.RequestedExecutionDateTime,
        AmountMinor = consent.AmountMinor,
        Currency = consent.Currency,
        CreditorName = consent.CreditorName,
        CreditorSchemeName = consent.CreditorSchemeName,
        CreditorIdentification = consent.CreditorIdentification,
    };

    /// <summary>
    /// A scheduled payment must be due after the bank's current time on the tenant's clock — when the consent is
    /// created and again when the payment is submitted (a consent whose time passed before its payment came is not
    /// executed late: it can no longer be used).
    /// </summary>
    public static void RequireFuture(DateTimeOffset requested, DateTimeOffset now)
    {
        if (requested <= now)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.FieldInvalidDate,
                $"RequestedExecutionDateTime must be later than the bank's current time, {ClockAdvance.Rfc3339(now)} on this sandbox's clock.",
                "Data.Initiation.RequestedExecutionDateTime"));
        }
    }

    /// <summary>The path of the first difference between the payment and its consent, or null when they match.</summary>
    public static string? Mismatch(DomesticScheduledPaymentConsent consent, PaymentInstruction instruction)
    {
        using var initiation = JsonDocument.Parse(consent.InitiationJson);
        using var risk = JsonDocument.Parse(consent.RiskJson);
        return JsonValues.FirstDifference(initiation.RootElement, instruction.Initiation, "Data.Initiation")
            ?? JsonValues.FirstDifference(risk.RootElement, instruction.Risk, "Risk");
    }

    private async Task<DomesticScheduledPayment?> RepeatAsync(
        CallerContext caller, string operation, string key, string requestHash, DateTimeOffset now, ApiVersion version, CancellationToken ct)
        => await Idempotency.FindAsync(db, caller.ClientId, operation, key, requestHash, now.UtcDateTime, ct, Conflict(version)) is { } record
            ? await db.DomesticScheduledPayments.AsNoTracking().SingleAsync(p => p.Id == record.ResourceId, ct)
            : null;

    private static string InstructionIdentification(DomesticScheduledPaymentConsent consent)
    {
        using var initiation = JsonDocument.Parse(consent.InitiationJson);
        return initiation.RootElement.GetProperty("InstructionIdentification").GetString()!;
    }
}
