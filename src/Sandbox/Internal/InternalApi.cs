using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Customers;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Tenancy;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Internal;

/// <summary>Sandbox behaviour switches (<c>Sandbox</c> section).</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>Accept the fixed code <see cref="StaticOtp"/> as every customer's second factor (Development default).</summary>
    public bool StaticOtpEnabled { get; set; }

    public const string StaticOtp = "123456";
}

/// <summary>
/// Endpoints for the platform's own services, never routed by the gateway and protected by the internal scope:
/// Identity drives the customer's consent journey through them; the Portal's partner tooling lists test customers
/// and resets a tenant. Errors are problem details.
/// </summary>
public static class InternalApi
{
    public static RouteGroupBuilder MapInternalApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/internal")
            .WithTags("Internal")
            .RequireAuthorization(PlatformScopes.SandboxInternal);

        group.MapGet("/tenants/{organisationId}/customers", ListCustomersAsync).WithName("ListTestCustomers");
        group.MapPost("/tenants/{organisationId}/reset", ResetAsync).WithName("ResetTenant");
        group.MapPost("/tenants/{organisationId}/customers/authenticate", AuthenticateAsync).WithName("AuthenticateCustomer");
        group.MapPost("/tenants/{organisationId}/customers/{customerId}/second-factor", VerifySecondFactorAsync).WithName("VerifyCustomerSecondFactor");
        group.MapGet("/tenants/{organisationId}/customers/{customerId}/accounts", ListAccountsAsync).WithName("ListCustomerAccounts");
        group.MapGet("/tenants/{organisationId}/customers/{customerId}/consents", ListConsentsAsync).WithName("ListCustomerConsents");
        group.MapGet("/consents/{consentId}", GetConsentAsync).WithName("GetConsentForAuthorisation");
        group.MapPost("/consents/{consentId}/authorise", AuthoriseAsync).WithName("AuthoriseConsent");
        group.MapPost("/consents/{consentId}/reject", RejectAsync).WithName("RejectConsent");
        group.MapPost("/consents/{consentId}/revoke", RevokeAsync).WithName("RevokeConsentAccess");
        group.MapGet("/ledger/check", CheckLedgerAsync).WithName("CheckLedger");
        group.MapGet("/tenants/{organisationId}/ledger/check", CheckLedgerAsync).WithName("CheckTenantLedger");
        group.MapPost("/payments/{paymentId}/review", ReviewPaymentAsync).WithName("ReviewPayment");
        group.MapGet("/tenants/{organisationId}/payments", ListTenantPaymentsAsync).WithName("ListTenantPayments")
            .WithSummary("A tenant's payments, newest first, with their risk scores and reasons (the Portal's payments page)");
        group.MapPost("/tenants/{organisationId}/payments/{paymentId}/review", ReviewTenantPaymentAsync).WithName("ReviewTenantPayment")
            .WithSummary("Release or reject a held payment of this tenant (in the sandbox the partner plays the reviewer)");
        return group;
    }

    /// <summary>The ledger invariant, for every tenant or one: 200 when it holds, 409 with the problems when not.</summary>
    public static async Task<Results<Ok<LedgerCheck>, Conflict<LedgerCheck>, NotFound>> CheckLedgerAsync(
        string? organisationId, SandboxDbContext db, CancellationToken ct)
    {
        Guid? tenantId = null;
        if (organisationId is not null)
        {
            tenantId = await db.Tenants.AsNoTracking().Where(t => t.OrganisationId == organisationId).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(ct);
            if (tenantId is null)
            {
                return TypedResults.NotFound();
            }
        }

        var check = await LedgerCheck.RunAsync(db, tenantId, ct);
        return check.Holds ? TypedResults.Ok(check) : TypedResults.Conflict(check);
    }

    public sealed record Review(bool Approve);

    /// <summary>A bank reviewer's decision on a payment the risk screen held: release it for settlement, or reject it.</summary>
    public static async Task<Results<Ok<Payments.PaymentStatus>, NotFound, ProblemHttpResult>> ReviewPaymentAsync(
        string paymentId, Review body, Payments.PaymentService payments, CancellationToken ct)
    {
        var (found, status, error) = await payments.ReviewAsync(paymentId, body.Approve, ct);
        return !found ? TypedResults.NotFound()
            : error is not null ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: error)
            : TypedResults.Ok(status!.Value);
    }

    public sealed record TenantPayment(
        string PaymentId, string ConsentId, string ClientId, string Status, string Amount, string Currency, string CreditorName,
        string? Reference, DateTimeOffset CreatedAt, DateTimeOffset StatusUpdatedAt, string? StatusReason, int RiskScore,
        IReadOnlyList<string> RiskReasons, bool HeldForReview);

    public static async Task<Ok<TenantPayment[]>> ListTenantPaymentsAsync(string organisationId, int? take, SandboxDbContext db, CancellationToken ct)
    {
        var tenantId = await db.Tenants.AsNoTracking().Where(t => t.OrganisationId == organisationId).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(ct);
        if (tenantId is null)
        {
            return TypedResults.Ok(Array.Empty<TenantPayment>());
        }

        var rows = await db.DomesticPayments.AsNoTracking()
            .Where(p => p.TenantId == tenantId)
            .OrderByDescending(p => p.CreationDateTime)
            .Take(Math.Clamp(take ?? 100, 1, 500))
            .GroupJoin(db.DomesticPaymentConsents, p => p.ConsentId, c => c.Id, (p, consents) => new { p, consents })
            .SelectMany(x => x.consents.DefaultIfEmpty(), (x, c) => new { x.p, Reference = c == null ? null : c.Reference })
            .ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => new TenantPayment(
            r.p.Id, r.p.ConsentId, r.p.ClientId, r.p.Status.ToString(), Money.Format(r.p.AmountMinor), r.p.Currency, r.p.CreditorName, r.Reference,
            new DateTimeOffset(r.p.CreationDateTime, TimeSpan.Zero), new DateTimeOffset(r.p.StatusUpdateDateTime, TimeSpan.Zero), r.p.StatusReason,
            r.p.RiskScore, r.p.RiskReasons.Split("; ", StringSplitOptions.RemoveEmptyEntries),
            r.p.Status == Payments.PaymentStatus.Pending && r.p.StatusReason == Payments.PaymentStatusReasons.HeldForReview)).ToArray());
    }

    public static async Task<Results<Ok<Payments.PaymentStatus>, NotFound, ProblemHttpResult>> ReviewTenantPaymentAsync(
        string organisationId, string paymentId, Review body, SandboxDbContext db, Payments.PaymentService payments, CancellationToken ct)
    {
        var belongs = await db.DomesticPayments.AsNoTracking()
            .Join(db.Tenants, p => p.TenantId, t => t.Id, (p, t) => new { p.Id, t.OrganisationId })
            .AnyAsync(x => x.Id == paymentId && x.OrganisationId == organisationId, ct);
        return belongs ? await ReviewPaymentAsync(paymentId, body, payments, ct) : TypedResults.NotFound();
    }

    public sealed record TestCustomer(string CustomerId, string Username, string Persona, string Name, string Password, string TotpSecret, string TotpUri);

    public static async Task<Ok<TestCustomer[]>> ListCustomersAsync(
        string organisationId, TenantService tenants, SandboxDbContext db, TotpSecrets secrets, CancellationToken ct)
    {
        var tenant = await tenants.GetOrCreateAsync(organisationId, ct);
        var customers = await db.Customers.AsNoTracking().Where(c => c.TenantId == tenant.Id).OrderBy(c => c.Username).ToListAsync(ct);
        return TypedResults.Ok(customers.Select(c => (Customer: c, Secret: secrets.For(tenant.OrganisationId, c.Username)))
            .Select(x => new TestCustomer(x.Customer.Id, x.Customer.Username, x.Customer.Persona, x.Customer.Name, BankGenerator.DefaultPassword, x.Secret,
                $"otpauth://totp/Sandbox%20Bank:{x.Customer.Username}?secret={x.Secret}&issuer=Sandbox%20Bank")).ToArray());
    }

    public static async Task<Results<NoContent, NotFound>> ResetAsync(string organisationId, TenantService tenants, CancellationToken ct)
        => await tenants.ResetAsync(organisationId, ct) is null ? TypedResults.NotFound() : TypedResults.NoContent();

    public sealed record Credentials(string? Username, string? Password);

    public sealed record AuthenticatedCustomer(string CustomerId, string Name, bool SecondFactorRequired);

    public static async Task<Results<Ok<AuthenticatedCustomer>, ProblemHttpResult, ValidationProblem>> AuthenticateAsync(
        string organisationId, Credentials credentials, TenantService tenants, SandboxDbContext db, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(credentials.Username) || string.IsNullOrEmpty(credentials.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["username"] = string.IsNullOrWhiteSpace(credentials.Username) ? ["Enter the username."] : [],
                ["password"] = string.IsNullOrEmpty(credentials.Password) ? ["Enter the password."] : [],
            }.Where(e => e.Value.Length > 0).ToDictionary());
        }

        // A find, never a create: signing in must not let anyone make the Sandbox generate and store a bank.
        var tenant = await tenants.FindAsync(organisationId, ct);
        var username = credentials.Username.Trim().ToLowerInvariant();
        var customer = tenant is null ? null : await db.Customers.AsNoTracking()
            .SingleOrDefaultAsync(c => c.TenantId == tenant.Id && c.Username == username, ct);

        // 404 for an unknown tenant or user, 401 for a wrong password: Identity shows both the same way, and counts
        // lockout attempts only against customers that exist (its lockout store stays bounded).
        if (customer is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such test customer.");
        }

        return PasswordHash.Verify(credentials.Password, customer.PasswordHash)
            ? TypedResults.Ok(new AuthenticatedCustomer(customer.Id, customer.Name, SecondFactorRequired: true))
            : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The username or password is not right.");
    }

    public sealed record SecondFactor(string? Code);

    public static async Task<Results<NoContent, ProblemHttpResult>> VerifySecondFactorAsync(
        string organisationId, string customerId, SecondFactor body, SandboxDbContext db, TimeProvider clock,
        IOptions<SandboxOptions> options, TotpSecrets secrets, CancellationToken ct)
    {
        var customer = await FindCustomerAsync(db, organisationId, customerId, ct);
        var code = body.Code?.Trim() ?? string.Empty;
        if (customer is not null && options.Value.StaticOtpEnabled && code == SandboxOptions.StaticOtp)
        {
            // The documented Development code: the same every time, so "replay" means nothing for it.
            return TypedResults.NoContent();
        }

        var step = customer is null ? null : Totp.MatchStep(secrets.For(organisationId, customer.Username), code, clock.GetUtcNow());
        if (step is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The code is not right or has expired.");
        }

        // Claims the code's time step in one conditional update: a code of a step already used (or older) is refused,
        // whichever Sandbox instance accepted it first.
        var claimed = await db.Customers
            .Where(c => c.TenantId == customer!.TenantId && c.Id == customer.Id && (c.LastTotpStep == null || c.LastTotpStep < step))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastTotpStep, step), ct);
        return claimed == 1
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The code has already been used; wait for the next one.");
    }

    public sealed record CustomerAccount(string AccountId, string Name, string Description, string? Nickname, string AccountType,
        string AccountSubType, string Currency, string SchemeName, string MaskedIdentification, string Balance);

    public static async Task<Results<Ok<CustomerAccount[]>, NotFound>> ListAccountsAsync(
        string organisationId, string customerId, SandboxDbContext db, CancellationToken ct)
    {
        var customer = await FindCustomerAsync(db, organisationId, customerId, ct);
        if (customer is null)
        {
            return TypedResults.NotFound();
        }

        var accounts = await db.Accounts.AsNoTracking().Where(a => a.CustomerId == customer.Id).OrderBy(a => a.OpeningDate).ThenBy(a => a.Id).ToListAsync(ct);
        return TypedResults.Ok(accounts.Select(a => new CustomerAccount(a.Id, a.Name, a.Description, a.Nickname, a.AccountType, a.AccountSubType,
            a.Currency, a.SchemeName, "••••" + a.Identification[^4..],
            (a.BookedBalanceMinor < 0 ? "-" : string.Empty) + Money.Format(a.BookedBalanceMinor) + " " + a.Currency)).ToArray());
    }

    public sealed record ConsentSummary(
        string ConsentId, string Kind, string ClientId, string OrganisationId, string Status, IReadOnlyList<string> Permissions,
        DateTimeOffset? ExpirationDateTime, DateTimeOffset? TransactionFromDateTime, DateTimeOffset? TransactionToDateTime,
        DateTimeOffset CreationDateTime, string? CustomerId, IReadOnlyList<string> AccountIds, DateTimeOffset? AccessRevokedAt,
        string? Currency = null, PaymentSummary? Payment = null);

    /// <summary>What a payment consent asks the customer to pay, to show on the consent page.</summary>
    public sealed record PaymentSummary(string Amount, string Currency, string CreditorName, string CreditorSchemeName,
        string CreditorIdentification, string? Reference, bool DebtorAccountNamed);

    public static async Task<Results<Ok<ConsentSummary>, NotFound>> GetConsentAsync(string consentId, SandboxDbContext db, CancellationToken ct)
    {
        if (OtherConsents.Handles(consentId))
        {
            return await OtherConsents.SummaryAsync(db, consentId, ct) is { } summary ? TypedResults.Ok(summary) : TypedResults.NotFound();
        }

        var found = await FindConsentAsync(db, consentId, ct);
        return found is null ? TypedResults.NotFound() : TypedResults.Ok(Summary(found.Value.Consent, found.Value.OrganisationId));
    }

    public static async Task<Results<Ok<ConsentSummary[]>, NotFound>> ListConsentsAsync(
        string organisationId, string customerId, SandboxDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var customer = await FindCustomerAsync(db, organisationId, customerId, ct);
        if (customer is null)
        {
            return TypedResults.NotFound();
        }

        var now = clock.GetUtcNow();
        var consents = await db.AccountAccessConsents.AsNoTracking()
            .Where(c => c.TenantId == customer.TenantId && c.CustomerId == customer.Id && c.DeletedAt == null
                && c.Status == AccountAccessConsentStatus.Authorised)
            .ToListAsync(ct);
        return TypedResults.Ok(consents.Where(c => c.ExpirationDateTime is null || c.ExpirationDateTime > now)
            .OrderByDescending(c => c.StatusUpdateDateTime).Select(c => Summary(c, organisationId)).ToArray());
    }

    public sealed record Authorisation(string? CustomerId, string[]? AccountIds);

    public static async Task<Results<Ok<ConsentSummary>, NotFound, ProblemHttpResult, ValidationProblem>> AuthoriseAsync(
        string consentId, Authorisation body, SandboxDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (OtherConsents.Handles(consentId))
        {
            return await OtherConsents.AuthoriseAsync(db, consentId, body, clock, ct);
        }

        var found = await FindConsentAsync(db, consentId, ct, tracking: true);
        if (found is not { Consent: var consent, OrganisationId: var organisationId })
        {
            return TypedResults.NotFound();
        }

        var accountIds = (body.AccountIds ?? []).Distinct(StringComparer.Ordinal).ToArray();
        if (string.IsNullOrWhiteSpace(body.CustomerId) || accountIds.Length == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["customerId"] = string.IsNullOrWhiteSpace(body.CustomerId) ? ["The customer is required."] : [],
                ["accountIds"] = accountIds.Length == 0 ? ["Choose at least one account."] : [],
            }.Where(e => e.Value.Length > 0).ToDictionary());
        }

        var now = clock.GetUtcNow();
        var reauthentication = consent.Status == AccountAccessConsentStatus.Authorised && consent.CustomerId == body.CustomerId;
        if (consent.Status != AccountAccessConsentStatus.AwaitingAuthorisation && !reauthentication)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The consent is {consent.Status} and cannot be authorised.");
        }

        if (consent.ExpirationDateTime <= now)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The consent has expired.");
        }

        var owned = await db.Accounts.AsNoTracking()
            .Where(a => a.TenantId == consent.TenantId && a.CustomerId == body.CustomerId && accountIds.Contains(a.Id))
            .Select(a => a.Id).ToListAsync(ct);
        var foreign = accountIds.Except(owned).ToArray();
        if (foreign.Length > 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["accountIds"] = [$"Not the customer's account(s): {string.Join(", ", foreign)}."],
            });
        }

        consent.Status = AccountAccessConsentStatus.Authorised;
        consent.CustomerId = body.CustomerId;
        consent.AccountIds = [.. accountIds];
        consent.StatusUpdateDateTime = ObieApi.WholeSeconds(now);
        consent.AccessRevokedAt = null;
        consent.Version++;
        return await SaveAsync(db, consent, organisationId, ct);
    }

    /// <param name="AuthorisationFailed">
    /// Identity could not complete an authorisation this customer had just approved (no code was issued): the consent
    /// becomes Rejected even though it is Authorised, rather than stay Authorised with no way to use it.
    /// </param>
    public sealed record Rejection(string? CustomerId, bool AuthorisationFailed = false);

    /// <summary>A consent is rejected while it awaits authorisation, or when Identity withdraws an approval it could not complete.</summary>
    internal static bool CanReject(bool awaitingAuthorisation, bool authorisedByThisCustomer, Rejection body)
        => awaitingAuthorisation || (body.AuthorisationFailed && !string.IsNullOrWhiteSpace(body.CustomerId) && authorisedByThisCustomer);

    public static async Task<Results<Ok<ConsentSummary>, NotFound, ProblemHttpResult, ValidationProblem>> RejectAsync(
        string consentId, Rejection body, SandboxDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (OtherConsents.Handles(consentId))
        {
            return await OtherConsents.RejectAsync(db, consentId, body, clock, ct);
        }

        var found = await FindConsentAsync(db, consentId, ct, tracking: true);
        if (found is not { Consent: var consent, OrganisationId: var organisationId })
        {
            return TypedResults.NotFound();
        }

        if (!CanReject(consent.Status == AccountAccessConsentStatus.AwaitingAuthorisation,
                consent.Status == AccountAccessConsentStatus.Authorised && consent.CustomerId == body.CustomerId, body))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The consent is {consent.Status} and cannot be rejected.");
        }

        consent.Status = AccountAccessConsentStatus.Rejected;
        consent.CustomerId = string.IsNullOrWhiteSpace(body.CustomerId) ? null : body.CustomerId;
        consent.StatusUpdateDateTime = ObieApi.WholeSeconds(clock.GetUtcNow());
        consent.Version++;
        return await SaveAsync(db, consent, organisationId, ct);
    }

    public static async Task<Results<Ok<ConsentSummary>, NotFound, ProblemHttpResult, ValidationProblem>> RevokeAsync(
        string consentId, Rejection body, SandboxDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (OtherConsents.Handles(consentId))
        {
            return await OtherConsents.RevokeAsync(db, consentId, body, clock, ct);
        }

        var found = await FindConsentAsync(db, consentId, ct, tracking: true);
        if (found is not { Consent: var consent, OrganisationId: var organisationId } || consent.CustomerId != body.CustomerId)
        {
            return TypedResults.NotFound();
        }

        if (consent.Status != AccountAccessConsentStatus.Authorised)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The consent is {consent.Status}; only an authorised consent can be revoked.");
        }

        // The status stays Authorised, as v3.1.11 requires; the tokens issued until now stop working.
        consent.AccessRevokedAt = clock.GetUtcNow();
        consent.Version++;
        return await SaveAsync(db, consent, organisationId, ct);
    }

    private static async Task<Results<Ok<ConsentSummary>, NotFound, ProblemHttpResult, ValidationProblem>> SaveAsync(
        SandboxDbContext db, AccountAccessConsent consent, string organisationId, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(Summary(consent, organisationId));
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The consent changed meanwhile; read it again.");
        }
    }

    private static async Task<Customer?> FindCustomerAsync(SandboxDbContext db, string organisationId, string customerId, CancellationToken ct)
        => await db.Customers.AsNoTracking()
            .Join(db.Tenants, c => c.TenantId, t => t.Id, (c, t) => new { Customer = c, t.OrganisationId })
            .Where(x => x.OrganisationId == organisationId && x.Customer.Id == customerId)
            .Select(x => x.Customer)
            .SingleOrDefaultAsync(ct);

    private static async Task<(AccountAccessConsent Consent, string OrganisationId)?> FindConsentAsync(
        SandboxDbContext db, string consentId, CancellationToken ct, bool tracking = false)
    {
        var consents = tracking ? db.AccountAccessConsents : db.AccountAccessConsents.AsNoTracking();
        var consent = await consents.SingleOrDefaultAsync(c => c.Id == consentId && c.DeletedAt == null, ct);
        if (consent is null)
        {
            return null;
        }

        var organisationId = await db.Tenants.AsNoTracking().Where(t => t.Id == consent.TenantId).Select(t => t.OrganisationId).SingleAsync(ct);
        return (consent, organisationId);
    }

    private static ConsentSummary Summary(AccountAccessConsent c, string organisationId) => new(
        c.Id, "account-access", c.ClientId, organisationId, c.Status.ToString(), c.Permissions, c.ExpirationDateTime,
        c.TransactionFromDateTime, c.TransactionToDateTime, c.CreationDateTime, c.CustomerId, c.AccountIds, c.AccessRevokedAt);
}
