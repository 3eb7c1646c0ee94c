using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Funds.V3_1;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Funds.V4_0;

/// <summary>
/// Confirmation of Funds API v4.0 (<c>/open-banking/v4.0/cbpii</c>): the v3.1.11 operations over the same consents
/// and rules (<see cref="FundsConfirmationRules"/>), with v4.0's status codes. A consent created through v3.1.11 is
/// read and used here too (the version-compatibility rule); one created here is not usable through v3.1.11.
/// </summary>
public static class FundsConfirmationsApi
{
    public const string BasePath = ObieApi.V4BasePath + "/cbpii";

    private const ApiVersion Version = ApiVersion.V4_0;

    public static RouteGroupBuilder MapFundsConfirmationsApiV4(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath)
            .WithTags("Confirmation of Funds v4.0")
            .RequireAuthorization(PlatformScopes.FundsConfirmations)
            .WithObieContentNegotiation()
            .RefuseMessageSignatures();

        group.MapPost("/funds-confirmation-consents", CreateConsentAsync).WithName("CreateFundsConfirmationConsentsV4")
            .WithSummary("Create a funds-confirmation consent (AWAU)");
        group.MapGet("/funds-confirmation-consents/{consentId}", GetConsentAsync).WithName("GetFundsConfirmationConsentsConsentIdV4")
            .WithSummary("Read a funds-confirmation consent (also one created through v3.1.11)");
        group.MapDelete("/funds-confirmation-consents/{consentId}", DeleteConsentAsync).WithName("DeleteFundsConfirmationConsentsConsentIdV4")
            .WithSummary("Delete a funds-confirmation consent");
        group.MapPost("/funds-confirmations", ConfirmAsync).WithName("CreateFundsConfirmationsV4")
            .WithSummary("Whether the consented account can cover an amount (customer token)");
        return group;
    }

    public static async Task<Created<FundsConsentResponse>> CreateConsentAsync(HttpContext httpContext, [AsParameters] FundsServicesV4 services)
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
                debtor = v.Account(data, "DebtorAccount", "Data.DebtorAccount", required: true, nameRequired: false, "Proxy");
                RefuseProxy(data, v);
            }

            var consent = await services.Rules.CreateConsentAsync(caller, Version, expiration, debtor, v, services.CancellationToken);
            var response = FundsConsentResponse.From(consent, services.Link($"/funds-confirmation-consents/{consent.Id}"));
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<FundsConsentResponse>> GetConsentAsync(string consentId, HttpContext httpContext, [AsParameters] FundsServicesV4 services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var consent = await services.Rules.ReadConsentAsync(consentId, caller, Version, services.CancellationToken);
        return TypedResults.Ok(FundsConsentResponse.From(consent, services.Link($"/funds-confirmation-consents/{consent.Id}")));
    }

    public static async Task<NoContent> DeleteConsentAsync(string consentId, HttpContext httpContext, [AsParameters] FundsServicesV4 services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        await services.Rules.DeleteConsentAsync(consentId, caller, Version, services.CancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Created<FundsConfirmationResponse>> ConfirmAsync(HttpContext httpContext, [AsParameters] FundsServicesV4 services)
    {
        var caller = CallerContext.From(httpContext.User);
        if (caller.ConsentId is null)
        {
            throw ObieException.Forbidden("Funds are confirmed with the customer's token, not a client-credentials token.");
        }

        var question = await FundsConfirmationRules.ReadQuestionAsync(httpContext.Request, services.CancellationToken);
        var confirmation = await services.Rules.ConfirmAsync(caller, Version, question, c => FundsCodes.ConsentStatus(c.Status), services.CancellationToken);
        var response = FundsConfirmationResponse.From(confirmation, services.Link($"/funds-confirmations/{confirmation.Id}"));
        return TypedResults.Created(response.Links.Self, response);
    }

    /// <summary>
    /// v4.0 lets a DebtorAccount carry a Proxy (OBProxy1). The bank identifies accounts by scheme and identification
    /// only and keeps no proxy with the consent, so it refuses one rather than drop it from what it echoes.
    /// </summary>
    private static void RefuseProxy(JsonElement data, ObieValidator v)
    {
        if (data.TryGetProperty("DebtorAccount", out var account) && account.ValueKind == JsonValueKind.Object && account.TryGetProperty("Proxy", out _))
        {
            v.Add(ObieErrorCodes.UnsupportedAccountIdentifier, "This bank does not resolve account proxies; name the account by SchemeName and Identification.",
                "Data.DebtorAccount.Proxy");
        }
    }
}

/// <summary>What the v4.0 funds endpoints need besides the request.</summary>
public sealed record FundsServicesV4(FundsConfirmationRules Rules, IOptions<OpenBankingOptions> Options, CancellationToken CancellationToken)
{
    public string Link(string path) => $"{Options.Value.PublicBaseUrl.TrimEnd('/')}{FundsConfirmationsApi.BasePath}{path}";
}
