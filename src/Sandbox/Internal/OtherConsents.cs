using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Funds;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;
using static OpenBanking.Sandbox.Internal.InternalApi;

namespace OpenBanking.Sandbox.Internal;

/// <summary>
/// The consent journey's view of payment and funds-confirmation consents: what the customer is shown, and their
/// decision. A payment consent is authorised from exactly one account of the payment's currency (the one the
/// partner named, if it named one); a funds-confirmation consent from the account it names.
/// </summary>
internal static class OtherConsents
{
    public const string PaymentPrefix = "pdc-";
    public const string FundsPrefix = "fcc-";

    public static bool Handles(string consentId) => consentId.StartsWith(PaymentPrefix, StringComparison.Ordinal) || consentId.StartsWith(FundsPrefix, StringComparison.Ordinal);

    public static async Task<ConsentSummary?> SummaryAsync(SandboxDbContext db, string consentId, CancellationToken ct)
    {
        if (consentId.StartsWith(PaymentPrefix, StringComparison.Ordinal))
        {
            var consent = await db.DomesticPaymentConsents.AsNoTracking().SingleOrDefaultAsync(c => c.Id == consentId, ct);
            return consent is null ? null : await SummaryAsync(db, consent, ct);
        }

        var funds = await db.FundsConfirmationConsents.AsNoTracking().SingleOrDefaultAsync(c => c.Id == consentId && c.DeletedAt == null, ct);
        return funds is null ? null : await SummaryAsync(db, funds, ct);
    }

    public static async Task<Results<Ok<ConsentSummary>, NotFound, ProblemHttpResult, ValidationProblem>> AuthoriseAsync(
        SandboxDbContext db, string consentId, Authorisation body, TimeProvider clock, CancellationToken ct)
    {
        var chosen = (body.AccountIds ?? []).Distinct(StringComparer.Ordinal).ToArray();
        if (string.IsNullOrWhiteSpace(body.CustomerId) || chosen.Length != 1)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["customerId"] = string.IsNullOrWhiteSpace(body.CustomerId) ? ["The customer is required."] : [],
                ["accountIds"] = chosen.Length != 1 ? ["Choose the one account to pay from."] : [],
            }.Where(e => e.Value.Length > 0).ToDictionary());
        }

        var now = ObieApi.WholeSeconds(clock.GetUtcNow());
        if (consentId.StartsWith(PaymentPrefix, StringComparison.Ordinal))
        {
            var consent = await db.DomesticPaymentConsents.SingleOrDefaultAsync(c => c.Id == consentId, ct);
            if (consent is null)
            {
                return TypedResults.NotFound();
            }

            if (consent.Status != PaymentConsentStatus.AwaitingAuthorisation)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The consent is {consent.Status} and cannot be authorised.");
            }

            var eligible = await EligibleAccountsAsync(db, consent.TenantId, consent.Currency, consent.DebtorSchemeName, consent.DebtorIdentification, ct);
            var account = eligible.SingleOrDefault(a => a.Id == chosen[0] && a.CustomerId == body.CustomerId);
            if (account is null)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["accountIds"] = [$"Pay from one of your own {consent.Currency} accounts{(consent.DebtorIdentification is null ? string.Empty : " — the one the app named")}."],
                });
            }

            consent.Status = PaymentConsentStatus.Authorised;
            consent.CustomerId = body.CustomerId;
            consent.DebtorAccountId = account.Id;
            consent.StatusUpdateDateTime = now;
            consent.Version++;
            return await SaveAsync(db, () => SummaryAsync(db, consent, ct), ct);
        }

        var funds = await db.FundsConfirmationConsents.SingleOrDefaultAsync(c => c.Id == consentId && c.DeletedAt == null, ct);
        if (funds is null)
        {
            return TypedResults.NotFound();
        }

        if (funds.Status != FundsConsentStatus.AwaitingAuthorisation && !(funds.Status == FundsConsentStatus.Authorised && funds.CustomerId == body.CustomerId))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The consent is {funds.Status} and cannot be authorised.");
        }

        if (funds.ExpirationDateTime <= now)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The consent has expired.");
        }

        var named = (await EligibleAccountsAsync(db, funds.TenantId, null, funds.DebtorSchemeName, funds.DebtorIdentification, ct))
            .SingleOrDefault(a => a.Id == chosen[0] && a.CustomerId == body.CustomerId);
        if (named is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["accountIds"] = ["The consent names an account that is not yours."] });
        }

        funds.Status = FundsConsentStatus.Authorised;
        funds.CustomerId = body.CustomerId;
        funds.AccountId = named.Id;
        funds.StatusUpdateDateTime = now;
        funds.Version++;
        return await SaveAsync(db, () => SummaryAsync(db, funds, ct), ct);
    }

    public static async Task<Results<Ok<ConsentSummary>, NotFound, ProblemHttpResult, ValidationProblem>> RejectAsync(
        SandboxDbContext db, string consentId, Rejection body, TimeProvider clock, CancellationToken ct)
    {
        var now = ObieApi.WholeSeconds(clock.GetUtcNow());
        var customerId = string.IsNullOrWhiteSpace(body.CustomerId) ? null : body.CustomerId;
        if (consentId.StartsWith(PaymentPrefix, StringComparison.Ordinal))
        {
            var consent = await db.DomesticPaymentConsents.SingleOrDefaultAsync(c => c.Id == consentId, ct);
            if (consent is null)
            {
                return TypedResults.NotFound();
            }

            if (!InternalApi.CanReject(consent.Status == PaymentConsentStatus.AwaitingAuthorisation,
                    consent.Status == PaymentConsentStatus.Authorised && consent.CustomerId == customerId, body))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The consent is {consent.Status} and cannot be rejected.");
            }

            consent.Status = PaymentConsentStatus.Rejected;
            consent.CustomerId = customerId;
            consent.StatusUpdateDateTime = now;
            consent.Version++;
            return await SaveAsync(db, () => SummaryAsync(db, consent, ct), ct);
        }

        var funds = await db.FundsConfirmationConsents.SingleOrDefaultAsync(c => c.Id == consentId && c.DeletedAt == null, ct);
        if (funds is null)
        {
            return TypedResults.NotFound();
        }

        if (!InternalApi.CanReject(funds.Status == FundsConsentStatus.AwaitingAuthorisation,
                funds.Status == FundsConsentStatus.Authorised && funds.CustomerId == customerId, body))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The consent is {funds.Status} and cannot be rejected.");
        }

        funds.Status = FundsConsentStatus.Rejected;
        funds.CustomerId = customerId;
        funds.StatusUpdateDateTime = now;
        funds.Version++;
        return await SaveAsync(db, () => SummaryAsync(db, funds, ct), ct);
    }

    /// <summary>A customer withdraws a card issuer's access: a funds-confirmation consent becomes Revoked (CBPII uses it).</summary>
    public static async Task<Results<Ok<ConsentSummary>, NotFound, ProblemHttpResult, ValidationProblem>> RevokeAsync(
        SandboxDbContext db, string consentId, Rejection body, TimeProvider clock, CancellationToken ct)
    {
        var funds = consentId.StartsWith(FundsPrefix, StringComparison.Ordinal)
            ? await db.FundsConfirmationConsents.SingleOrDefaultAsync(c => c.Id == consentId && c.DeletedAt == null, ct)
            : null;
        if (funds is null || funds.CustomerId != body.CustomerId)
        {
            return TypedResults.NotFound();
        }

        if (funds.Status != FundsConsentStatus.Authorised)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The consent is {funds.Status}; only an authorised consent can be revoked.");
        }

        funds.Status = FundsConsentStatus.Revoked;
        funds.StatusUpdateDateTime = ObieApi.WholeSeconds(clock.GetUtcNow());
        funds.Version++;
        return await SaveAsync(db, () => SummaryAsync(db, funds, ct), ct);
    }

    private static async Task<List<Account>> EligibleAccountsAsync(
        SandboxDbContext db, Guid tenantId, string? currency, string? schemeName, string? identification, CancellationToken ct)
        => await db.Accounts.AsNoTracking()
            .Where(a => a.TenantId == tenantId && (currency == null || a.Currency == currency)
                && (identification == null || (a.Identification == identification && a.SchemeName == schemeName)))
            .ToListAsync(ct);

    private static async Task<ConsentSummary> SummaryAsync(SandboxDbContext db, DomesticPaymentConsent c, CancellationToken ct)
    {
        var organisationId = await OrganisationAsync(db, c.TenantId, ct);
        var accountIds = c.DebtorAccountId is { } chosen ? [chosen]
            : c.DebtorIdentification is null ? []
            : (await EligibleAccountsAsync(db, c.TenantId, c.Currency, c.DebtorSchemeName, c.DebtorIdentification, ct)).Select(a => a.Id).ToList();
        return new ConsentSummary(c.Id, "domestic-payment", c.ClientId, organisationId, c.Status.ToString(), [], null, null, null,
            c.CreationDateTime, c.CustomerId, accountIds, null, c.Currency,
            new PaymentSummary(Money.Format(c.AmountMinor), c.Currency, c.CreditorName, c.CreditorSchemeName, c.CreditorIdentification, c.Reference,
                c.DebtorIdentification is not null));
    }

    private static async Task<ConsentSummary> SummaryAsync(SandboxDbContext db, FundsConfirmationConsent c, CancellationToken ct)
    {
        var organisationId = await OrganisationAsync(db, c.TenantId, ct);
        var accountIds = c.AccountId is { } chosen ? [chosen]
            : (await EligibleAccountsAsync(db, c.TenantId, null, c.DebtorSchemeName, c.DebtorIdentification, ct)).Select(a => a.Id).ToList();
        return new ConsentSummary(c.Id, "funds-confirmation", c.ClientId, organisationId, c.Status.ToString(), [], c.ExpirationDateTime, null, null,
            c.CreationDateTime, c.CustomerId, accountIds, null);
    }

    private static Task<string> OrganisationAsync(SandboxDbContext db, Guid tenantId, CancellationToken ct)
        => db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.OrganisationId).SingleAsync(ct);

    private static async Task<Results<Ok<ConsentSummary>, NotFound, ProblemHttpResult, ValidationProblem>> SaveAsync(
        SandboxDbContext db, Func<Task<ConsentSummary>> summary, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(await summary());
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The consent changed meanwhile; read it again.");
        }
    }
}
