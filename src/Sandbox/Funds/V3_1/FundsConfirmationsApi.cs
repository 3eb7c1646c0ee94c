using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Accounts;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Consents.V3_1;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.V3_1;
using OpenBanking.Sandbox.Tenancy;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Funds.V3_1;

/// <summary>
/// Confirmation of Funds API v3.1.11 (<c>/cbpii</c>): a card issuer's consent to ask about one account, created,
/// read and deleted with a client-credentials token and authorised by the customer through Identity; then yes/no
/// answers with the customer's token — never a balance. Not idempotent (no key), as the specification has it.
/// </summary>
public static class FundsConfirmationsApi
{
    public const string BasePath = ObieApi.BasePath + "/cbpii";

    public static RouteGroupBuilder MapFundsConfirmationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath)
            .WithTags("Confirmation of Funds")
            .RequireAuthorization(PlatformScopes.FundsConfirmations)
            .WithObieContentNegotiation();

        group.MapPost("/funds-confirmation-consents", CreateConsentAsync).WithName("CreateFundsConfirmationConsents")
            .WithSummary("Create a funds-confirmation consent (AwaitingAuthorisation)");
        group.MapGet("/funds-confirmation-consents/{consentId}", GetConsentAsync).WithName("GetFundsConfirmationConsentsConsentId")
            .WithSummary("Read a funds-confirmation consent");
        group.MapDelete("/funds-confirmation-consents/{consentId}", DeleteConsentAsync).WithName("DeleteFundsConfirmationConsentsConsentId")
            .WithSummary("Delete a funds-confirmation consent");
        group.MapPost("/funds-confirmations", ConfirmAsync).WithName("CreateFundsConfirmations")
            .WithSummary("Whether the consented account can cover an amount (customer token)");
        return group;
    }

    /// <summary>The request's JSON body, which must be an object with only <c>Data</c>, and a validator for its fields.</summary>
    private static async Task<(JsonDocument Body, ObieValidator Validator)> ReadDataBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var (_, body) = await PaymentEndpoints.ReadBodyAsync(request, ct);
        if (body.RootElement.ValueKind != JsonValueKind.Object)
        {
            body.Dispose();
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidFormat, "The body must be a JSON object with Data."));
        }

        var validator = new ObieValidator();
        validator.Only(body.RootElement, "", "Data");
        return (body, validator);
    }

    public static async Task<Created<FundsConsentResponse>> CreateConsentAsync(HttpContext httpContext, [AsParameters] FundsServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var (body, v) = await ReadDataBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            DateTimeOffset? expiration = null;
            AccountReference? debtor = null;
            if (v.Object(body.RootElement, "Data", "Data", required: true, "ExpirationDateTime", "DebtorAccount") is { } data)
            {
                expiration = v.DateTime(data, "ExpirationDateTime", "Data.ExpirationDateTime");
                debtor = v.Account(data, "DebtorAccount", "Data.DebtorAccount", required: true, nameRequired: false);
            }

            var now = Timestamps.WholeSeconds(services.Clock.GetUtcNow());
            if (expiration <= now)
            {
                v.Add(ObieErrorCodes.FieldInvalidDate, "ExpirationDateTime must be in the future.", "Data.ExpirationDateTime");
            }

            v.ThrowIfAny();
            var tenant = await services.Tenants.GetOrCreateAsync(caller.OrganisationId, services.CancellationToken);
            var consent = new FundsConfirmationConsent
            {
                Id = FundsConfirmationConsent.NewId(),
                TenantId = tenant.Id,
                ClientId = caller.ClientId,
                Status = ConsentStatus.AwaitingAuthorisation,
                CreationDateTime = now,
                ExpirationDateTime = expiration,
                DebtorSchemeName = debtor!.SchemeName,
                DebtorIdentification = debtor.Identification,
                DebtorName = debtor.Name,
                DebtorSecondaryIdentification = debtor.SecondaryIdentification,
            };
            services.Db.FundsConfirmationConsents.Add(consent);
            await services.Db.SaveChangesAsync(services.CancellationToken);
            var response = FundsConsentResponse.From(consent, services.Link($"/funds-confirmation-consents/{consent.Id}"));
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<FundsConsentResponse>> GetConsentAsync(string consentId, HttpContext httpContext, [AsParameters] FundsServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var consent = await FindOwnAsync(services.Db.FundsConfirmationConsents.AsNoTracking(), consentId, caller, services.CancellationToken);
        return TypedResults.Ok(FundsConsentResponse.From(consent, services.Link($"/funds-confirmation-consents/{consent.Id}")));
    }

    public static async Task<NoContent> DeleteConsentAsync(string consentId, HttpContext httpContext, [AsParameters] FundsServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var consent = await FindOwnAsync(services.Db.FundsConfirmationConsents, consentId, caller, services.CancellationToken);
        consent.Apply(ConsentAction.Delete, ConsentActor.PartnerApp, services.Clock.GetUtcNow());
        await services.Db.SaveChangesAsync(services.CancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Created<FundsConfirmationResponse>> ConfirmAsync(HttpContext httpContext, [AsParameters] FundsServices services)
    {
        var caller = CallerContext.From(httpContext.User);
        if (caller.ConsentId is null)
        {
            throw ObieException.Forbidden("Funds are confirmed with the customer's token, not a client-credentials token.");
        }

        var (body, v) = await ReadDataBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            string? consentId = null, reference = null;
            (long Minor, string Amount, string Currency)? amount = null;
            if (v.Object(body.RootElement, "Data", "Data", required: true, "ConsentId", "Reference", "InstructedAmount") is { } data)
            {
                consentId = v.String(data, "ConsentId", "Data.ConsentId", required: true, 128);
                reference = v.String(data, "Reference", "Data.Reference", required: true, 35);
                amount = v.Amount(data, "Data.InstructedAmount");
            }

            v.ThrowIfAny();
            if (consentId != caller.ConsentId)
            {
                throw ObieException.Forbidden("The token is bound to another consent.");
            }

            var consent = await FindOwnAsync(services.Db.FundsConfirmationConsents.AsNoTracking(), consentId!, caller, services.CancellationToken);
            var now = services.Clock.GetUtcNow();
            if (consent.Status != ConsentStatus.Authorised || consent.ExpirationDateTime <= now)
            {
                throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidConsentStatus,
                    consent.Status == ConsentStatus.Authorised ? "The consent has expired." : $"The consent is {ConsentStatusWire.Name(consent.Status)}."));
            }

            var account = await services.Db.Accounts.AsNoTracking().SingleAsync(a => a.Id == consent.AccountId, services.CancellationToken);
            if (account.Currency != amount!.Value.Currency)
            {
                throw ObieException.BadRequest(new ObError(ObieErrorCodes.UnsupportedCurrency,
                    $"The account is in {account.Currency}; ask in that currency.", "Data.InstructedAmount.Currency"));
            }

            var confirmation = new FundsConfirmation
            {
                Id = FundsConfirmation.NewId(),
                TenantId = consent.TenantId,
                ConsentId = consent.Id,
                Reference = reference!,
                Amount = amount.Value.Amount,
                Currency = amount.Value.Currency,
                FundsAvailable = Overdraft.Allows(account.BookedBalanceMinor, account.CreditLimitMinor, amount.Value.Minor),
                CreationDateTime = Timestamps.WholeSeconds(now),
            };
            services.Db.FundsConfirmations.Add(confirmation);
            try
            {
                await services.Db.SaveChangesAsync(services.CancellationToken);
            }
            catch (DbUpdateException)
            {
                // Only the unique (consent, reference) index makes this the client's mistake; other failures stay server errors.
                services.Db.ChangeTracker.Clear();
                if (!await services.Db.FundsConfirmations.AnyAsync(
                        f => f.ConsentId == confirmation.ConsentId && f.Reference == confirmation.Reference, services.CancellationToken))
                {
                    throw;
                }

                throw ObieException.BadRequest(new ObError(ObieErrorCodes.RulesDuplicateReference,
                    "This Reference was already used under this consent.", "Data.Reference"));
            }

            await services.Usage.RecordAsync(services.Db, ConsentKind.FundsConfirmation, consent.Id, now, services.CancellationToken);
            var response = new FundsConfirmationResponse(
                new FundsConfirmationData(confirmation.Id, confirmation.ConsentId, confirmation.CreationDateTime, confirmation.FundsAvailable,
                    confirmation.Reference, new ObAmount(confirmation.Amount, confirmation.Currency)),
                new Links(services.Link($"/funds-confirmations/{confirmation.Id}")), new Meta());
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    private static async Task<FundsConfirmationConsent> FindOwnAsync(
        IQueryable<FundsConfirmationConsent> consents, string consentId, CallerContext caller, CancellationToken ct)
    {
        var consent = await consents.SingleOrDefaultAsync(c => c.Id == consentId && c.DeletedAt == null, ct)
            ?? throw ObieException.NotFound("funds-confirmation consent", consentId);
        return consent.ClientId == caller.ClientId ? consent : throw ObieException.Forbidden("The consent belongs to another client.");
    }
}

public sealed record FundsServices(
    SandboxDbContext Db,
    TenantService Tenants,
    TimeProvider Clock,
    IOptions<OpenBankingOptions> Options,
    ConsentUsage Usage,
    CancellationToken CancellationToken)
{
    public string Link(string path) => $"{Options.Value.PublicBaseUrl.TrimEnd('/')}{FundsConfirmationsApi.BasePath}{path}";
}
