using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Consents.V3_1;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;
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

    private const ApiVersion Version = ApiVersion.V3_1_11;

    public static RouteGroupBuilder MapFundsConfirmationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath)
            .WithTags("Confirmation of Funds")
            .RequireAuthorization(PlatformScopes.FundsConfirmations)
            .WithObieContentNegotiation()
            .RefuseMessageSignatures();

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

    public static async Task<Created<FundsConsentResponse>> CreateConsentAsync(HttpContext httpContext, [AsParameters] FundsServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var (body, v) = await FundsConfirmationRules.ReadDataBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            DateTimeOffset? expiration = null;
            AccountReference? debtor = null;
            if (v.Object(body.RootElement, "Data", "Data", required: true, "ExpirationDateTime", "DebtorAccount") is { } data)
            {
                expiration = v.DateTime(data, "ExpirationDateTime", "Data.ExpirationDateTime");
                debtor = v.Account(data, "DebtorAccount", "Data.DebtorAccount", required: true, nameRequired: false);
            }

            var consent = await services.Rules.CreateConsentAsync(caller, Version, expiration, debtor, v, services.CancellationToken);
            var response = FundsConsentResponse.From(consent, services.Link($"/funds-confirmation-consents/{consent.Id}"));
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<FundsConsentResponse>> GetConsentAsync(string consentId, HttpContext httpContext, [AsParameters] FundsServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var consent = await services.Rules.ReadConsentAsync(consentId, caller, Version, services.CancellationToken);
        return TypedResults.Ok(FundsConsentResponse.From(consent, services.Link($"/funds-confirmation-consents/{consent.Id}")));
    }

    public static async Task<NoContent> DeleteConsentAsync(string consentId, HttpContext httpContext, [AsParameters] FundsServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        await services.Rules.DeleteConsentAsync(consentId, caller, Version, services.CancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Created<FundsConfirmationResponse>> ConfirmAsync(HttpContext httpContext, [AsParameters] FundsServices services)
    {
        var caller = CallerContext.From(httpContext.User);
        if (caller.ConsentId is null)
        {
            throw ObieException.Forbidden("Funds are confirmed with the customer's token, not a client-credentials token.");
        }

        var question = await FundsConfirmationRules.ReadQuestionAsync(httpContext.Request, services.CancellationToken);
        var confirmation = await services.Rules.ConfirmAsync(caller, Version, question, c => ConsentStatusWire.Name(c.Status), services.CancellationToken);
        var response = FundsConfirmationResponse.From(confirmation, services.Link($"/funds-confirmations/{confirmation.Id}"));
        return TypedResults.Created(response.Links.Self, response);
    }
}

public sealed record FundsServices(
    FundsConfirmationRules Rules,
    IOptions<OpenBankingOptions> Options,
    CancellationToken CancellationToken)
{
    public string Link(string path) => $"{Options.Value.PublicBaseUrl.TrimEnd('/')}{FundsConfirmationsApi.BasePath}{path}";
}
