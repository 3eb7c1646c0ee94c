using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.Internal;

/// <summary>
/// The customer's side of every consent kind, for Identity: what the consent journey shows, the customer's decision,
/// and the dashboard's list and revocation. Each move is the one lifecycle's (<see cref="ConsentLifecycle"/>); what
/// differs by kind — where it is stored, which accounts it links, what the page shows — is its <see cref="ConsentJourney"/>.
/// </summary>
public static class InternalConsentsApi
{
    public static RouteGroupBuilder MapInternalConsentsApi(this RouteGroupBuilder group)
    {
        group.MapGet("/tenants/{organisationId}/customers/{customerId}/consents", ListConsentsAsync).WithName("ListCustomerConsents");
        group.MapGet("/consents/{consentId}", GetConsentAsync).WithName("GetConsentForAuthorisation");
        group.MapPost("/consents/{consentId}/authorise", AuthoriseAsync).WithName("AuthoriseConsent");
        group.MapPost("/consents/{consentId}/reject", RejectAsync).WithName("RejectConsent");
        group.MapPost("/consents/{consentId}/revoke", RevokeAsync).WithName("RevokeConsentAccess");
        return group;
    }

    /// <param name="Terms">
    /// What the customer agrees to beyond a single payment, in plain words, one line each — for the consent page and
    /// the dashboard: a schedule ("£25.00 every month on the 1st", "12 payments, the first on 1 January 2027") or
    /// limits ("Up to £100.00 a payment", "Up to £500.00 a calendar month", "Until 31 December 2027"). Null for kinds with none.
    /// </param>
    /// <param name="ApiVersion">The version the consent was created through ("v3.1.11" or "v4.0"); Status keeps v3.1.11's words in both.</param>
    public sealed record ConsentSummary(
        string ConsentId, string Kind, string ApiVersion, string ClientId, string OrganisationId, string Status, IReadOnlyList<string> Permissions,
        DateTimeOffset? ExpirationDateTime, DateTimeOffset? TransactionFromDateTime, DateTimeOffset? TransactionToDateTime,
        DateTimeOffset CreationDateTime, string? CustomerId, IReadOnlyList<string> AccountIds, DateTimeOffset? AccessRevokedAt,
        string? Currency = null, PaymentSummary? Payment = null, DateTimeOffset? LastUsedAt = null, IReadOnlyList<string>? Terms = null);

    /// <summary>What a payment consent asks the customer to pay, to show on the consent page.</summary>
    /// <param name="PayeeCheck">Confirmation of Payee's answer for the creditor (the consent page shows it before the customer approves); null when not checked.</param>
    public sealed record PaymentSummary(string Amount, string Currency, string CreditorName, string CreditorSchemeName,
        string CreditorIdentification, string? Reference, bool DebtorAccountNamed, Payee.PayeeCheck? PayeeCheck = null);

    public sealed record Authorisation(string? CustomerId, string[]? AccountIds);

    /// <param name="AuthorisationFailed">
    /// Identity could not complete an authorisation this customer had just approved (no code was issued): the consent
    /// becomes Rejected even though it is Authorised, rather than stay Authorised with no way to use it.
    /// </param>
    public sealed record Rejection(string? CustomerId, bool AuthorisationFailed = false);

    public static async Task<Results<Ok<ConsentSummary>, NotFound>> GetConsentAsync(string consentId, SandboxDbContext db, HttpContext http, CancellationToken ct)
    {
        var journey = ConsentJourney.For(consentId);
        var consent = journey is null ? null : await journey.FindAsync(db, consentId, tracking: false, ct);
        return consent is null ? TypedResults.NotFound() : TypedResults.Ok(await journey!.SummaryAsync(http.RequestServices, db, consent, ct));
    }

    /// <summary>
    /// The customer's dashboard: every consent of theirs that grants something now — account access and funds
    /// confirmation (until expiry or withdrawal), payments authorised but not yet made, and scheduled payments not yet
    /// executed (to cancel them) — newest decision first.
    /// </summary>
    public static async Task<Results<Ok<ConsentSummary[]>, NotFound>> ListConsentsAsync(
        string organisationId, string customerId, SandboxDbContext db, TenantClock clock, HttpContext http, CancellationToken ct)
    {
        var customer = await InternalCustomersApi.FindCustomerAsync(db, organisationId, customerId, ct);
        if (customer is null)
        {
            return TypedResults.NotFound();
        }

        var now = clock.GetUtcNow();
        var access = await db.AccountAccessConsents.AsNoTracking()
            .Where(c => c.TenantId == customer.TenantId && c.CustomerId == customer.Id && c.DeletedAt == null
                && c.Status == ConsentStatus.Authorised)
            .ToListAsync(ct);
        var funds = await db.FundsConfirmationConsents.AsNoTracking()
            .Where(c => c.TenantId == customer.TenantId && c.CustomerId == customer.Id && c.DeletedAt == null
                && c.Status == ConsentStatus.Authorised)
            .ToListAsync(ct);
        var payments = await db.DomesticPaymentConsents.AsNoTracking()
            .Where(c => c.TenantId == customer.TenantId && c.CustomerId == customer.Id && c.Status == PaymentConsentStatus.Authorised)
            .ToListAsync(ct);
        // VRP: authorised, not deleted by the app, not past ValidToDateTime.
        var vrps = (await db.DomesticVrpConsents.AsNoTracking()
                .Where(c => c.TenantId == customer.TenantId && c.CustomerId == customer.Id && c.DeletedAt == null && c.Status == ConsentStatus.Authorised)
                .ToListAsync(ct))
            .Where(c => c.ValidToDateTime is null || c.ValidToDateTime > now)
            .Select(c => (c.StatusUpdateDateTime, Summary: Payments.Vrp.DomesticVrpJourney.Summary(c, organisationId)));
        // Standing orders: authorised and not yet made, or made and still to pay (a cancelled or finished one is gone).
        var orders = await db.DomesticStandingOrders.AsNoTracking()
            .Where(o => o.TenantId == customer.TenantId && o.CustomerId == customer.Id && o.NextDueAt != null)
            .ToDictionaryAsync(o => o.ConsentId, ct);
        var orderIds = orders.Keys.ToList();
        var standing = await db.DomesticStandingOrderConsents.AsNoTracking()
            .Where(c => c.TenantId == customer.TenantId && c.CustomerId == customer.Id
                && (c.Status == PaymentConsentStatus.Authorised || orderIds.Contains(c.Id)))
            .ToListAsync(ct);
        // International: authorised, not yet paid; priced now (an Indicative rate moves).
        var international = new List<(DateTimeOffset StatusUpdateDateTime, ConsentSummary Summary)>();
        foreach (var c in await db.InternationalPaymentConsents.AsNoTracking()
                     .Where(c => c.TenantId == customer.TenantId && c.CustomerId == customer.Id && c.Status == PaymentConsentStatus.Authorised)
                     .ToListAsync(ct))
        {
            international.Add((c.StatusUpdateDateTime, await ConsentJourney.International.SummaryAsync(http.RequestServices, db, c, ct)));
        }

        var summaries = access.Where(c => c.ExpirationDateTime is null || c.ExpirationDateTime > now)
                .Select(c => (c.StatusUpdateDateTime, Summary: ConsentJourney.AccountAccess.Summary(c, organisationId)))
            .Concat(funds.Where(c => c.ExpirationDateTime is null || c.ExpirationDateTime > now)
                .Select(c => (c.StatusUpdateDateTime, Summary: FundsConfirmationJourney.Summary(c, organisationId))))
            .Concat(payments.Select(c => (c.StatusUpdateDateTime, Summary: DomesticPaymentJourney.Summary(c, organisationId))))
            .Concat((await Payments.Scheduled.ScheduledPaymentJourney.OutstandingAsync(db, customer.TenantId, customer.Id, ct))
                .Select(c => (c.StatusUpdateDateTime, Summary: Payments.Scheduled.ScheduledPaymentJourney.Summary(c, organisationId))))
            .Concat(vrps)
            .Concat(international)
            .Concat(standing.Select(c => (c.StatusUpdateDateTime, Summary: DomesticStandingOrderJourney.Summary(c, organisationId, orders.GetValueOrDefault(c.Id)))));
        return TypedResults.Ok(summaries.OrderByDescending(s => s.StatusUpdateDateTime).Select(s => s.Summary).ToArray());
    }

    public static async Task<Results<Ok<ConsentSummary>, NotFound, ProblemHttpResult, ValidationProblem>> AuthoriseAsync(
        string consentId, Authorisation body, SandboxDbContext db, TenantClocks clocks, HttpContext http, CancellationToken ct)
    {
        var journey = ConsentJourney.For(consentId);
        var consent = journey is null ? null : await journey.FindAsync(db, consentId, tracking: true, ct);
        if (consent is null)
        {
            return TypedResults.NotFound();
        }

        var accountIds = (body.AccountIds ?? []).Distinct(StringComparer.Ordinal).ToArray();
        if (journey!.CheckChoice(body.CustomerId, accountIds) is { Count: > 0 } invalid)
        {
            return TypedResults.ValidationProblem(invalid);
        }

        var outcome = consent.Apply(ConsentAction.Authorise, ConsentActor.Customer, clocks.Now(consent.TenantId), body.CustomerId);
        if (!outcome.Allowed)
        {
            return Conflict(outcome.Refusal);
        }

        // Not saved unless the accounts are the customer's to give.
        return await journey.LinkAccountsAsync(http.RequestServices, db, consent, body.CustomerId!, accountIds, ct) is { Count: > 0 } foreign
            ? TypedResults.ValidationProblem(foreign)
            : await SaveAsync(db, journey, consent, http.RequestServices, ct);
    }

    public static async Task<Results<Ok<ConsentSummary>, NotFound, ProblemHttpResult, ValidationProblem>> RejectAsync(
        string consentId, Rejection body, SandboxDbContext db, TenantClocks clocks, HttpContext http, CancellationToken ct)
    {
        var journey = ConsentJourney.For(consentId);
        var consent = journey is null ? null : await journey.FindAsync(db, consentId, tracking: true, ct);
        if (consent is null)
        {
            return TypedResults.NotFound();
        }

        // The customer declines; Identity withdrawing an approval it could not complete acts as the bank.
        var actor = body.AuthorisationFailed ? ConsentActor.Bank : ConsentActor.Customer;
        var outcome = consent.Apply(ConsentAction.Reject, actor, clocks.Now(consent.TenantId), body.CustomerId);
        return outcome.Allowed ? await SaveAsync(db, journey!, consent, http.RequestServices, ct) : Conflict(outcome.Refusal);
    }

    /// <summary>The customer ends a consent from their dashboard; what that means is the kind's (<see cref="ConsentKindDefinition.CustomerRevocation"/>).</summary>
    public static async Task<Results<Ok<ConsentSummary>, NotFound, ProblemHttpResult, ValidationProblem>> RevokeAsync(
        string consentId, Rejection body, SandboxDbContext db, TenantClocks clocks, HttpContext http, CancellationToken ct)
    {
        var journey = ConsentJourney.For(consentId);
        if (journey?.Definition.CustomerRevocation is not { } revocation)
        {
            return TypedResults.NotFound();
        }

        var consent = await journey.FindAsync(db, consentId, tracking: true, ct);
        if (consent is null || consent.CustomerId != body.CustomerId)
        {
            return TypedResults.NotFound();
        }

        var outcome = consent.Apply(revocation, ConsentActor.Customer, clocks.Now(consent.TenantId), body.CustomerId);
        if (!outcome.Allowed)
        {
            return Conflict(outcome.Refusal);
        }

        return await journey.RevokeAsync(db, consent, ct) is { } refused ? Conflict(refused) : await SaveAsync(db, journey, consent, http.RequestServices, ct);
    }

    private static ProblemHttpResult Conflict(string? refusal) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: refusal);

    private static async Task<Results<Ok<ConsentSummary>, NotFound, ProblemHttpResult, ValidationProblem>> SaveAsync(
        SandboxDbContext db, ConsentJourney journey, IConsent consent, IServiceProvider services, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(await journey.SummaryAsync(services, db, consent, ct));
        }
        catch (DbUpdateConcurrencyException)
        {
            return Conflict("The consent changed meanwhile; read it again.");
        }
    }
}
