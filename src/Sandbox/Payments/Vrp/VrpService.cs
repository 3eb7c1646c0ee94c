using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Pipeline;
using OpenBanking.Sandbox.Tenancy;

namespace OpenBanking.Sandbox.Payments.Vrp;

/// <summary>
/// Domestic VRP in the domain's terms, for both versions: consents created (idempotent), read, revoked by the
/// partner's DELETE; funds confirmed from the live balance; payments made through the shared <see cref="PaymentPipeline"/>
/// with <see cref="CheckVrpConsent"/> as its consent step.
/// </summary>
public sealed class VrpService(
    SandboxDbContext db,
    TenantService tenants,
    WriteTransaction transaction,
    PaymentPipeline pipeline,
    CheckVrpConsent consentStep,
    TenantClock clock)
{
    public const string CreateConsentOperation = "POST /domestic-vrp-consents";
    public const string CreatePaymentOperation = "POST /domestic-vrps";

    /// <summary>The idempotency scope of an operation in a version: a key used in one version never answers in the other.</summary>
    public static string Operation(string operation, ApiVersion version) => $"{version.Name()} {operation}";

    public async Task<DomesticVrpConsent> CreateConsentAsync(
        CallerContext caller, IVrpWire wire, string key, string requestHash, DomesticVrpConsent consent, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var operation = Operation(CreateConsentOperation, wire.Version);
        if (await Idempotency.FindAsync(db, caller.ClientId, operation, key, requestHash, now.UtcDateTime, ct, wire.KeyConflict) is { } existing)
        {
            return await db.DomesticVrpConsents.AsNoTracking().SingleAsync(c => c.Id == existing.ResourceId, ct);
        }

        var tenant = await tenants.GetOrCreateAsync(caller.OrganisationId, ct);
        consent.TenantId = tenant.Id;
        consent.ClientId = caller.ClientId;
        consent.Status = ConsentStatus.AwaitingAuthorisation;
        consent.ApiVersion = wire.Version;
        consent.CreationDateTime = Timestamps.WholeSeconds(now);
        consent.StatusUpdateDateTime = consent.CreationDateTime;
        try
        {
            await transaction.RunAsync(async tx =>
            {
                Idempotency.Claim(tx, caller.ClientId, operation, key, requestHash, consent.Id, now.UtcDateTime);
                tx.DomesticVrpConsents.Add(consent);
                await tx.SaveChangesAsync(ct);
            }, ct);
            return consent;
        }
        catch (DbUpdateException)
        {
            // A concurrent duplicate claimed the key first: answer with its consent.
            db.ChangeTracker.Clear();
            if (await Idempotency.FindAsync(db, caller.ClientId, operation, key, requestHash, now.UtcDateTime, ct, wire.KeyConflict) is { } winner)
            {
                return await db.DomesticVrpConsents.AsNoTracking().SingleAsync(c => c.Id == winner.ResourceId, ct);
            }

            if (await Idempotency.PurgeExpiredAsync(db, caller.ClientId, operation, key, now.UtcDateTime, ct))
            {
                return await CreateConsentAsync(caller, wire, key, requestHash, consent, ct);
            }

            throw;
        }
    }

    /// <summary>This client's consent of this version (one the partner deleted is not found).</summary>
    public async Task<DomesticVrpConsent> FindConsentAsync(string consentId, CallerContext caller, ApiVersion version, bool tracking, CancellationToken ct)
    {
        var query = tracking ? db.DomesticVrpConsents : db.DomesticVrpConsents.AsNoTracking();
        var consent = await query.SingleOrDefaultAsync(c => c.Id == consentId && c.DeletedAt == null, ct)
            ?? throw ObieException.NotFound("domestic-vrp consent", consentId);
        if (consent.ClientId != caller.ClientId)
        {
            throw ObieException.Forbidden("The consent belongs to another client.");
        }

        return ApiVersions.MayUse(ConsentKind.DomesticVrp, consent.ApiVersion, version)
            ? consent
            : throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceNotFound,
                $"No domestic-vrp consent has the id '{consentId}' in {version.Name()}: it was created through {consent.ApiVersion.Name()}; read it under {consent.ApiVersion.BasePath()}/pisp/domestic-vrp-consents."));
    }

    /// <summary>
    /// The partner's DELETE: the consent is revoked (no more payments) and gone for the app; one already ended is
    /// only deleted. Payments made under it stay.
    /// </summary>
    public async Task DeleteConsentAsync(string consentId, CallerContext caller, ApiVersion version, CancellationToken ct)
    {
        var consent = await FindConsentAsync(consentId, caller, version, tracking: true, ct);
        var now = clock.GetUtcNow();
        var outcome = consent.Apply(ConsentAction.Revoke, ConsentActor.PartnerApp, now);
        if (!outcome.Allowed)
        {
            consent.Apply(ConsentAction.Delete, ConsentActor.PartnerApp, now);
        }

        consent.DeletedAt = now;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A payment or the customer changed it meanwhile: once more, on what it is now.
            db.ChangeTracker.Clear();
            await DeleteConsentAsync(consentId, caller, version, ct);
        }
    }

    /// <summary>
    /// Whether the payer's account can cover <paramref name="amountMinor"/> now, from its live balance (and overdraft):
    /// asked with the customer's token bound to the consent while it is Authorised. Nothing is recorded or reserved.
    /// </summary>
    public async Task<(DomesticVrpConsent Consent, bool Available)> FundsAsync(
        CallerContext caller, string consentId, ApiVersion version, long amountMinor, string currency, CancellationToken ct)
    {
        if (caller.ConsentId is null)
        {
            throw ObieException.Forbidden("Funds confirmation of a VRP consent needs the customer's token.");
        }

        if (caller.ConsentId != consentId)
        {
            throw ObieException.Forbidden("The token is bound to another consent.");
        }

        var consent = await FindConsentAsync(consentId, caller, version, tracking: false, ct);
        if (consent.Status != ConsentStatus.Authorised)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidConsentStatus,
                $"The consent is {consent.Status}; funds are confirmed only while it is Authorised."));
        }

        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == consent.DebtorAccountId, ct);
        var available = currency == account.Currency && Overdraft.Allows(account.BookedBalanceMinor, account.CreditLimitMinor, amountMinor);
        return (consent, available);
    }

    public async Task<SubmittedVrp> SubmitAsync(CallerContext caller, IVrpWire wire, string key, string requestHash, VrpPaymentRequest request, CancellationToken ct)
    {
        var context = new PaymentContext(caller, key, requestHash, Operation(CreatePaymentOperation, wire.Version),
            new PaymentInstruction(request.ConsentId, request.Initiation, request.Risk), clock.GetUtcNow().UtcDateTime, wire.Version)
        {
            KindData = request,
        };
        var done = await pipeline.RunAsync(context, consentStep, ct);
        return done.Repeated is { } repeated
            ? new SubmittedVrp(repeated, null, null)
            : new SubmittedVrp(done.RequirePayment(), consentStep.Found, done.Debtor);
    }

    /// <summary>This client's VRP payment of this version.</summary>
    public async Task<(DomesticPayment Payment, DomesticVrpInstruction Instruction, DomesticVrpConsent Consent, Account Debtor)> FindPaymentAsync(
        string paymentId, CallerContext caller, ApiVersion version, CancellationToken ct)
    {
        var payment = await db.DomesticPayments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId && p.Kind == PaymentKind.Vrp, ct)
            ?? throw ObieException.NotFound("domestic VRP", paymentId);
        if (payment.ClientId != caller.ClientId)
        {
            throw ObieException.Forbidden("The payment belongs to another client.");
        }

        if (!ApiVersions.MayUse(ConsentKind.DomesticVrp, payment.ApiVersion, version))
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceNotFound,
                $"No domestic VRP has the id '{paymentId}' in {version.Name()}: it was made through {payment.ApiVersion.Name()}; read it under {payment.ApiVersion.BasePath()}/pisp/domestic-vrps."));
        }

        return await PartsAsync(payment, ct);
    }

    public async Task<(DomesticPayment Payment, DomesticVrpInstruction Instruction, DomesticVrpConsent Consent, Account Debtor)> PartsAsync(
        DomesticPayment payment, CancellationToken ct)
    {
        var instruction = await db.DomesticVrpInstructions.AsNoTracking().SingleAsync(i => i.PaymentId == payment.Id, ct);
        var consent = await db.DomesticVrpConsents.AsNoTracking().SingleAsync(c => c.Id == payment.ConsentId, ct);
        var debtor = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == payment.DebtorAccountId, ct);
        return (payment, instruction, consent, debtor);
    }
}

/// <summary>The payment a VRP request made (or, for a repeat, the one its first sending made).</summary>
/// <remarks>A new payment comes with its consent and payer (already read); a repeat's are read again.</remarks>
public sealed record SubmittedVrp(DomesticPayment Payment, DomesticVrpConsent? Consent, Account? Debtor);
