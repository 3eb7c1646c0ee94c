using Microsoft.AspNetCore.Http.HttpResults;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Consents.V3_1;

/// <summary>
/// <c>/account-access-consents</c> of the Account and Transaction API v3.1.11: created, read and deleted by the app
/// with a client-credentials token (<see cref="AccountAccessConsents"/>); authorised or rejected later by the customer
/// through Identity. A consent created through v4.0 does not exist here.
/// </summary>
public static class AccountAccessConsentsApi
{
    public const string Path = ObieApi.BasePath + "/aisp/account-access-consents";

    public static RouteGroupBuilder MapAccountAccessConsentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path)
            .WithTags("Account Access")
            .RequireAuthorization(PlatformScopes.Accounts)
            .WithObieContentNegotiation()
            .RefuseMessageSignatures();

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
        var consent = await AccountAccessConsents.CreateAsync(httpContext, services, ApiVersion.V3_1_11, cancellationToken);
        var response = ConsentResponse.From(consent, services.SelfLink(ApiVersion.V3_1_11, consent.Id));
        return TypedResults.Created(response.Links.Self, response);
    }

    public static async Task<Ok<ConsentResponse>> GetAsync(
        string consentId,
        HttpContext httpContext,
        [AsParameters] ConsentServices services,
        CancellationToken cancellationToken)
    {
        var consent = await AccountAccessConsents.ReadAsync(consentId, httpContext, services, ApiVersion.V3_1_11, cancellationToken);
        return TypedResults.Ok(ConsentResponse.From(consent, services.SelfLink(ApiVersion.V3_1_11, consent.Id)));
    }

    public static async Task<NoContent> DeleteAsync(
        string consentId,
        HttpContext httpContext,
        [AsParameters] ConsentServices services,
        CancellationToken cancellationToken)
    {
        await AccountAccessConsents.DeleteAsync(consentId, httpContext, services, ApiVersion.V3_1_11, cancellationToken);
        return TypedResults.NoContent();
    }
}
