using Microsoft.AspNetCore.Http.HttpResults;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.V3_1;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Payments.V4_0;

/// <summary>
/// Domestic payments of the Payment Initiation API v4.0 (<c>/open-banking/v4.0/pisp</c>): the operations of the
/// v3.1.11 side over the same domain and pipeline, with v4.0's request and response shapes and ISO codes. Consents
/// and payments made here are used and read only here (<see cref="PaymentVersions"/>).
/// </summary>
public static class PaymentsApi
{
    public const string BasePath = ObieApi.V4BasePath + "/pisp";

    private const ApiVersion Version = ApiVersion.V4_0;

    public static RouteGroupBuilder MapPaymentsApiV4(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath)
            .WithTags("Domestic Payments v4.0")
            .RequireAuthorization(PlatformScopes.Payments)
            .WithObieContentNegotiation()
            .WithMessageSigning();

        group.MapPost("/domestic-payment-consents", CreateConsentAsync).WithName("CreateDomesticPaymentConsentsV4")
            .WithSummary("Create a domestic payment consent (AWAU); idempotent by x-idempotency-key");
        group.MapGet("/domestic-payment-consents/{consentId}", GetConsentAsync).WithName("GetDomesticPaymentConsentsConsentIdV4")
            .WithSummary("Read a domestic payment consent");
        group.MapGet("/domestic-payment-consents/{consentId}/funds-confirmation", GetConsentFundsAsync)
            .WithName("GetDomesticPaymentConsentsConsentIdFundsConfirmationV4")
            .WithSummary("Whether the payer's account can cover the consented payment now (customer token)");
        group.MapPost("/domestic-payments", CreatePaymentAsync).WithName("CreateDomesticPaymentsV4")
            .WithSummary("Submit the payment of an authorised consent (customer token); idempotent by x-idempotency-key (409 for another body)");
        group.MapGet("/domestic-payments/{paymentId}", GetPaymentAsync).WithName("GetDomesticPaymentsDomesticPaymentIdV4")
            .WithSummary("Read a domestic payment's status, with the reason when it is pending or rejected for one");
        group.MapGet("/domestic-payments/{paymentId}/payment-details", GetPaymentDetailsAsync)
            .WithName("GetDomesticPaymentsDomesticPaymentIdPaymentDetailsV4")
            .WithSummary("A domestic payment's status history");
        return group;
    }

    public static async Task<Created<PaymentConsentResponse>> CreateConsentAsync(HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var terms = DomesticConsentRequest.Parse(body.RootElement);
            var consent = await services.Payments.CreateConsentAsync(caller, Version, key, hash, terms.ToConsent(caller.ClientId), services.CancellationToken);
            var response = PaymentConsentResponse.From(consent, await PaymentEndpoints.DebtorAsync(services.Db, consent.DebtorAccountId, services.CancellationToken),
                Link(services, $"/domestic-payment-consents/{consent.Id}"));
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<PaymentConsentResponse>> GetConsentAsync(string consentId, HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var consent = await PaymentEndpoints.FindConsentAsync(services.Db, consentId, caller, Version, services.CancellationToken);
        return TypedResults.Ok(PaymentConsentResponse.From(consent, await PaymentEndpoints.DebtorAsync(services.Db, consent.DebtorAccountId, services.CancellationToken),
            Link(services, $"/domestic-payment-consents/{consent.Id}")));
    }

    public static async Task<Ok<ConsentFundsResponse>> GetConsentFundsAsync(string consentId, HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var (consent, available) = await PaymentEndpoints.ConsentFundsAsync(
            httpContext, services.Db, consentId, Version, PaymentCodes.ConsentStatus, services.CancellationToken);
        // OBWriteFundsConfirmationResponse1 is unchanged in v4.0.
        return TypedResults.Ok(new ConsentFundsResponse(
            new ConsentFundsData(new FundsAvailableResult(Timestamps.WholeSeconds(services.Clock.GetUtcNow()), available)),
            new Links(Link(services, $"/domestic-payment-consents/{consent.Id}/funds-confirmation")), new Meta()));
    }

    public static async Task<Created<PaymentResponse>> CreatePaymentAsync(HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var caller = CallerContext.From(httpContext.User);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var instruction = DomesticPaymentRequest.Parse(body.RootElement);
            var (payment, consent, debtor) = await services.Payments.SubmitAsync(caller, Version, key, hash, instruction, services.CancellationToken);
            if (consent is null || debtor is null)
            {
                (consent, debtor) = await PaymentEndpoints.PartiesAsync(services.Db, payment, services.CancellationToken);
            }

            var response = PaymentResponse.From(payment, consent, debtor, Link(services, $"/domestic-payments/{payment.Id}"));
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<PaymentResponse>> GetPaymentAsync(string paymentId, HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var payment = await PaymentEndpoints.FindPaymentAsync(services.Db, paymentId, caller, Version, services.CancellationToken);
        var (consent, debtor) = await PaymentEndpoints.PartiesAsync(services.Db, payment, services.CancellationToken);
        return TypedResults.Ok(PaymentResponse.From(payment, consent, debtor, Link(services, $"/domestic-payments/{payment.Id}")));
    }

    public static async Task<Ok<PaymentDetailsResponse>> GetPaymentDetailsAsync(string paymentId, HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var payment = await PaymentEndpoints.FindPaymentAsync(services.Db, paymentId, caller, Version, services.CancellationToken);
        var changes = await PaymentEndpoints.HistoryAsync(services.Db, payment.Id, services.CancellationToken);
        var instrument = await PaymentEndpoints.LocalInstrumentAsync(services.Db, payment.ConsentId, services.CancellationToken);
        var entries = changes.Select(c => new PaymentDetails(new PaymentStatusEntry(payment.Id, PaymentCodes.PaymentStatus(c.Status),
            V3_1.PaymentResponse.Utc(c.At),
            new PaymentStatusDetail(instrument, PaymentCodes.PaymentStatus(c.Status), PaymentCodes.HistoryReason(c.Status, payment), c.Detail)))).ToList();
        return TypedResults.Ok(new PaymentDetailsResponse(entries, new Links(Link(services, $"/domestic-payments/{payment.Id}/payment-details")), new Meta()));
    }

    private static string Link(PaymentServices services, string path) => $"{services.Options.Value.PublicBaseUrl.TrimEnd('/')}{BasePath}{path}";
}
