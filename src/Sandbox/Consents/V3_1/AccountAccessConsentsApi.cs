using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Tenancy;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Consents.V3_1;

/// <summary>
/// <c>/account-access-consents</c> of the Account and Transaction API v3.1.11: created, read and deleted by the app
/// with a client-credentials token; authorised or rejected later by the customer through Identity.
/// </summary>
public static class AccountAccessConsentsApi
{
    public const string Path = ObieApi.BasePath + "/aisp/account-access-consents";

    public static RouteGroupBuilder MapAccountAccessConsentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path)
            .WithTags("Account Access")
            .RequireAuthorization(PlatformScopes.Accounts)
            .WithObieContentNegotiation();

        group.MapPost("", CreateAsync).WithName("CreateAccountAccessConsents")
            .WithSummary("Create an account-access consent (AwaitingAuthorisation)");
        group.MapGet("/{consentId}", GetAsync).WithName("GetAccountAccessConsentsConsentId")
            .WithSummary("Read an account-access consent");
        group.MapDelete("/{consentId}", DeleteAsync).WithName("DeleteAccountAccessConsentsConsentId")
            .WithSummary("Delete an account-access consent");

        return group;
    }

    public static async Task<Created<ConsentResponse>> CreateAsync(
        HttpContext httpContext,
        [AsParameters] ConsentServices services,
        CancellationToken cancellationToken)
    {
        var caller = RequireClientCredentials(httpContext);
        var now = Timestamps.WholeSeconds(services.Clock.GetUtcNow());
        using var body = await ReadJsonAsync(httpContext.Request, cancellationToken);
        var request = AccountAccessConsentRequest.Parse(body.RootElement, now);
        var tenant = await services.Tenants.GetOrCreateAsync(caller.OrganisationId, cancellationToken);

        var consent = new AccountAccessConsent
        {
            Id = AccountAccessConsent.NewId(),
            TenantId = tenant.Id,
            ClientId = caller.ClientId,
            Status = ConsentStatus.AwaitingAuthorisation,
            Permissions = [.. request.Permissions],
            ExpirationDateTime = request.ExpirationDateTime,
            TransactionFromDateTime = request.TransactionFromDateTime,
            TransactionToDateTime = request.TransactionToDateTime,
            CreationDateTime = now,
        };
        services.Db.AccountAccessConsents.Add(consent);
        await services.Db.SaveChangesAsync(cancellationToken);

        var response = ConsentResponse.From(consent, services.SelfLink(consent.Id));
        return TypedResults.Created(response.Links.Self, response);
    }

    public static async Task<Ok<ConsentResponse>> GetAsync(
        string consentId,
        HttpContext httpContext,
        [AsParameters] ConsentServices services,
        CancellationToken cancellationToken)
    {
        var caller = RequireClientCredentials(httpContext);
        var consent = await FindOwnAsync(services.Db.AccountAccessConsents.AsNoTracking(), consentId, caller, cancellationToken);
        return TypedResults.Ok(ConsentResponse.From(consent, services.SelfLink(consent.Id)));
    }

    public static async Task<NoContent> DeleteAsync(
        string consentId,
        HttpContext httpContext,
        [AsParameters] ConsentServices services,
        CancellationToken cancellationToken)
    {
        var caller = RequireClientCredentials(httpContext);
        var consent = await FindOwnAsync(services.Db.AccountAccessConsents, consentId, caller, cancellationToken);

        // Soft delete: the app can no longer see or use it; the record stays for audit. Its tokens stop working
        // because every data call checks the consent.
        consent.Apply(ConsentAction.Delete, ConsentActor.PartnerApp, services.Clock.GetUtcNow());
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<AccountAccessConsent> FindOwnAsync(
        IQueryable<AccountAccessConsent> consents, string consentId, CallerContext caller, CancellationToken cancellationToken)
    {
        var consent = await consents.SingleOrDefaultAsync(c => c.Id == consentId && c.DeletedAt == null, cancellationToken)
            ?? throw ObieException.NotFound("account-access consent", consentId);

        // Another app's consent (of this or another organisation) is forbidden, not "not found": the spec's 403.
        return consent.ClientId == caller.ClientId
            ? consent
            : throw ObieException.Forbidden("The consent belongs to another client.");
    }

    private static CallerContext RequireClientCredentials(HttpContext httpContext)
    {
        var caller = CallerContext.From(httpContext.User);
        return caller.IsClientCredentials
            ? caller
            : throw ObieException.Forbidden("Consents are managed with a client-credentials token, not a customer token.");
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidFormat, "The body is not valid JSON."));
        }
    }
}

/// <summary>What the consent endpoints need besides the request.</summary>
public sealed record ConsentServices(
    SandboxDbContext Db,
    TenantService Tenants,
    TimeProvider Clock,
    IOptions<OpenBankingOptions> Options)
{
    public string SelfLink(string consentId) => $"{Options.Value.PublicBaseUrl.TrimEnd('/')}{AccountAccessConsentsApi.Path}/{consentId}";
}
