using Microsoft.AspNetCore.Http.HttpResults;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Consents.V4_0;

/// <summary>
/// <c>/account-access-consents</c> of v4.0: the same consents as v3.1.11 (<see cref="AccountAccessConsents"/>), created
/// here as v4.0 ones; a consent created through v3.1.11 is read here in v4.0's shape.
/// </summary>
public static class AccountAccessConsentsApi
{
    public const string Path = ObieApi.V4BasePath + "/aisp/account-access-consents";

    public static RouteGroupBuilder MapAccountAccessConsentsApiV4(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path)
            .WithTags("Account Access v4.0")
            .RequireAuthorization(PlatformScopes.Accounts)
            .WithObieContentNegotiation()
            .RefuseMessageSignatures();

        group.MapPost("", CreateAsync).WithName("CreateAccountAccessConsentsV4")
            .WithSummary("Create an account-access consent (AWAU)");
        group.MapGet("/{consentId}", GetAsync).WithName("GetAccountAccessConsentsConsentIdV4")
            .WithSummary("Read an account-access consent of v4.0 or v3.1.11");
        group.MapDelete("/{consentId}", DeleteAsync).WithName("DeleteAccountAccessConsentsConsentIdV4")
            .WithSummary("Delete an account-access consent of v4.0 or v3.1.11");

        return group;
    }

    public static async Task<Created<ConsentResponse>> CreateAsync(
        HttpContext httpContext,
        [AsParameters] ConsentServices services,
        CancellationToken cancellationToken)
    {
        var consent = await AccountAccessConsents.CreateAsync(httpContext, services, ApiVersion.V4_0, cancellationToken);
        var response = ConsentResponse.From(consent, services.SelfLink(ApiVersion.V4_0, consent.Id), services.Clock.GetUtcNow());
        return TypedResults.Created(response.Links.Self, response);
    }

    public static async Task<Ok<ConsentResponse>> GetAsync(
        string consentId,
        HttpContext httpContext,
        [AsParameters] ConsentServices services,
        CancellationToken cancellationToken)
    {
        var consent = await AccountAccessConsents.ReadAsync(consentId, httpContext, services, ApiVersion.V4_0, cancellationToken);
        return TypedResults.Ok(ConsentResponse.From(consent, services.SelfLink(ApiVersion.V4_0, consent.Id), services.Clock.GetUtcNow()));
    }

    public static async Task<NoContent> DeleteAsync(
        string consentId,
        HttpContext httpContext,
        [AsParameters] ConsentServices services,
        CancellationToken cancellationToken)
    {
        await AccountAccessConsents.DeleteAsync(consentId, httpContext, services, ApiVersion.V4_0, cancellationToken);
        return TypedResults.NoContent();
    }
}
