using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Pipeline;
using OpenBanking.Sandbox.Tenancy;

namespace OpenBanking.Sandbox.Payments.StandingOrders;

/// <summary>
/// Creates standing-order consents and the order under an authorised one, and reads them for both versions' edges.
/// Each POST is one transaction that claims the idempotency key (scoped to the version) with its effect; the order
/// consumes its consent by a guarded update and a unique index on the consent, so a consent makes one order.
/// </summary>
public sealed class StandingOrderService(SandboxDbContext db, TenantService tenants, WriteTransaction transaction, TenantClock clock)
{
    public const string CreateConsentOperation = "POST /domestic-standing-order-consents";
    public const string CreateOrderOperation = "POST /domestic-standing-orders";
    public const string Collection = "domestic-standing-orders";
    public const string ConsentCollection = "domestic-standing-order-consents";

    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task<DomesticStandingOrderConsent> CreateConsentAsync(
        CallerContext caller, ApiVersion version, string key, string requestHash, StandingOrderTerms terms, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var operation = PaymentVersions.Operation(version, CreateConsentOperation);
        if (await Idempotency.FindAsync(db, caller.ClientId, operation, key, requestHash, now.UtcDateTime, ct) is { } existing)
        {
            return await db.DomesticStandingOrderConsents.AsNoTracking().SingleAsync(c => c.Id == existing.ResourceId, ct);
        }

        var tenant = await tenants.GetOrCreateAsync(caller.OrganisationId, ct);
        var consent = terms.ToConsent(caller.ClientId);
        consent.TenantId = tenant.Id;
        consent.Status = PaymentConsentStatus.AwaitingAuthorisation;
        consent.ApiVersion = version;
        consent.CreationDateTime = Timestamps.WholeSeconds(now);
        try
        {
            await transaction.RunAsync(async tx =>
            {
                Idempotency.Claim(tx, caller.ClientId, operation, key, requestHash, consent.Id, now.UtcDateTime);
                tx.DomesticStandingOrderConsents.Add(consent);
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
                return await db.DomesticStandingOrderConsents.AsNoTracking().SingleAsync(c => c.Id == winner.ResourceId, ct);
            }

            // The key was last used more than 24 hours ago: it is free again.
            if (await Idempotency.PurgeExpiredAsync(db, caller.ClientId, operation, key, now.UtcDateTime, ct))
            {
                return await CreateConsentAsync(caller, version, key, requestHash, terms, ct);
            }

            throw;
        }
    }

    /// <summary>This client's consent, created through <paramref name="version"/>.</summary>
    public async Task<DomesticStandingOrderConsent> FindConsentAsync(string consentId, CallerContext caller, ApiVersion version, CancellationToken ct)
    {
        var consent = await db.DomesticStandingOrderConsents.AsNoTracking().SingleOrDefaultAsync(c => c.Id == consentId, ct)
            ?? throw ObieException.NotFound("domestic-standing-order consent", consentId);
        if (consent.ClientId != caller.ClientId)
        {
            throw ObieException.Forbidden("The consent belongs to another client.");
        }

        PaymentVersions.RequireReadable(ConsentKind.DomesticStandingOrder, consent.ApiVersion, version, "domestic-standing-order consent", consent.Id, ConsentCollection);
        return consent;
    }

    /// <summary>This client's standing order, made through <paramref name="version"/>, with its consent.</summary>
    public async Task<(DomesticStandingOrder Order, DomesticStandingOrderConsent Consent)> FindOrderAsync(
        string orderId, CallerContext caller, ApiVersion version, CancellationToken ct)
    {
        var order = await db.DomesticStandingOrders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orderId, ct)
            ?? throw ObieException.NotFound("domestic standing order", orderId);
        if (order.ClientId != caller.ClientId)
        {
            throw ObieException.Forbidden("The standing order belongs to another client.");
        }

        PaymentVersions.RequireReadable(ConsentKind.DomesticStandingOrder, order.ApiVersion, version, "domestic standing order", order.Id, Collection);
        return (order, await db.DomesticStandingOrderConsents.AsNoTracking().SingleAsync(c => c.Id == order.ConsentId, ct));
    }

    /// <summary>The payments the order has made so far, oldest first (payment-details lists them).</summary>
    public Task<List<DomesticPayment>> PaymentsAsync(string orderId, CancellationToken ct)
        => db.DomesticPayments.AsNoTracking().Where(p => p.OrderId == orderId && p.Kind == PaymentKind.StandingOrder)
            .OrderBy(p => p.CreationDateTime).ThenBy(p => p.Id).ToListAsync(ct);

    public Task<Account?> DebtorAsync(string? accountId, CancellationToken ct) => PaymentEndpoints.DebtorAsync(db, accountId, ct);

    /// <summary>
    /// Makes the standing order of an authorised consent (the customer's token bound to it; Initiation and Risk as
    /// consented), or finds the one this key made through this version.
    /// </summary>
    public async Task<(DomesticStandingOrder Order, DomesticStandingOrderConsent Consent)> SubmitAsync(
        CallerContext caller, ApiVersion version, string key, string requestHash, PaymentInstruction instruction, CancellationToken ct)
    {
        if (caller.ConsentId is null)
        {
            throw ObieException.Forbidden("A standing order is submitted with the customer's token, not a client-credentials token.");
        }

        if (caller.ConsentId != instruction.ConsentId)
        {
            throw ObieException.Forbidden("The token is bound to another consent.");
        }

        var now = clock.GetUtcNow();
        var operation = PaymentVersions.Operation(version, CreateOrderOperation);
        var conflict = version == ApiVersion.V4_0 ? KeyConflict.Conflict : KeyConflict.BadRequest;
        if (await Idempotency.FindAsync(db, caller.ClientId, operation, key, requestHash, now.UtcDateTime, ct, conflict) is { } existing)
        {
            return await FindOrderAsync(existing.ResourceId, caller, version, ct);
        }

        var consent = await db.DomesticStandingOrderConsents.AsNoTracking().SingleOrDefaultAsync(c => c.Id == instruction.ConsentId, ct)
            ?? throw ObieException.NotFound("domestic-standing-order consent", instruction.ConsentId);
        if (consent.ClientId != caller.ClientId)
        {
            throw ObieException.Forbidden("The consent belongs to another client.");
        }

        PaymentVersions.RequireSubmittable(ConsentKind.DomesticStandingOrder, consent.ApiVersion, version, Collection);
        if (consent.Status != PaymentConsentStatus.Authorised)
        {
            throw InvalidConsentStatus(consent.Status, version);
        }

        if (CheckAndConsumeConsent.Mismatch(consent.InitiationJson, consent.RiskJson, instruction) is { } difference)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceConsentMismatch,
                "The standing order differs from what the customer consented to.", difference));
        }

        var creditor = await PaymentQueries.InternalCreditor(db, consent.TenantId, consent.CreditorIdentification, consent.CreditorSchemeName, consent.Currency, ct);
        var stamp = Timestamps.WholeSeconds(now.UtcDateTime);
        var consentStamp = Timestamps.WholeSeconds(now);
        var consentId = consent.Id;
        var order = new DomesticStandingOrder
        {
            Id = DomesticStandingOrder.NewId(),
            TenantId = consent.TenantId,
            ClientId = caller.ClientId,
            ConsentId = consent.Id,
            CustomerId = consent.CustomerId!,
            DebtorAccountId = consent.DebtorAccountId!,
            CreditorAccountId = creditor,
            ApiVersion = consent.ApiVersion,
            Status = StandingOrderStatus.InitiationCompleted,
            CreationDateTime = stamp,
            StatusUpdateDateTime = stamp,
        };
        order.SetNext(consent.Schedule().Instalment(0));
        try
        {
            await transaction.RunAsync(async tx =>
            {
                var consumed = await tx.DomesticStandingOrderConsents
                    .Where(c => c.Id == consentId && c.Status == PaymentConsentStatus.Authorised)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(c => c.Status, PaymentConsentStatus.Consumed)
                        .SetProperty(c => c.StatusUpdateDateTime, consentStamp)
                        .SetProperty(c => c.LastUsedAt, (DateTimeOffset?)consentStamp)
                        .SetProperty(c => c.Version, c => c.Version + 1), ct);
                if (consumed == 0)
                {
                    throw new CheckAndConsumeConsent.ConsentRaceException();
                }

                // A set-based update bypasses the change tracker: its outbox row is written here, in the same transaction.
                tx.OutboxMessages.Add(Outbox.StatusChanged(OutboxResource.DomesticStandingOrderConsent, consent.Id, consent.TenantId, consent.ClientId,
                    nameof(ConsentStatus.Consumed), consent.Version + 1, now));
                Idempotency.Claim(tx, caller.ClientId, operation, key, requestHash, order.Id, now.UtcDateTime);
                tx.DomesticStandingOrders.Add(order);
                await tx.SaveChangesAsync(ct);
            }, ct);
        }
        catch (Exception e) when (e is DbUpdateException or CheckAndConsumeConsent.ConsentRaceException)
        {
            // Lost a race: to a duplicate of this request (answer with its order) or to another order of the consent.
            db.ChangeTracker.Clear();
            if (await Idempotency.FindAsync(db, caller.ClientId, operation, key, requestHash, now.UtcDateTime, ct, conflict) is { } winner)
            {
                return await FindOrderAsync(winner.ResourceId, caller, version, ct);
            }

            if (await Idempotency.PurgeExpiredAsync(db, caller.ClientId, operation, key, now.UtcDateTime, ct))
            {
                return await SubmitAsync(caller, version, key, requestHash, instruction, ct);
            }

            // Another order of the consent won; anything else (a busy or failed database) is not the client's fault.
            var current = await db.DomesticStandingOrderConsents.AsNoTracking().Where(c => c.Id == consentId).Select(c => c.Status).SingleAsync(ct);
            if (current == PaymentConsentStatus.Authorised)
            {
                throw;
            }

            throw InvalidConsentStatus(current, version);
        }

        db.ChangeTracker.Clear();
        consent.Status = PaymentConsentStatus.Consumed;
        return (order, consent);
    }

    private static ObieException InvalidConsentStatus(PaymentConsentStatus status, ApiVersion version)
    {
        var name = version == ApiVersion.V4_0 ? V4_0.PaymentCodes.ConsentStatus(status) : status.ToString();
        var authorised = version == ApiVersion.V4_0 ? "AUTH" : "Authorised";
        return ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidConsentStatus,
            $"The consent is {name}; a standing order is made only under an {authorised} consent (one per consent).", "Data.ConsentId"));
    }
}
