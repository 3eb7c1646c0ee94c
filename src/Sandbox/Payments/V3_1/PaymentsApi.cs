using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Payments.V3_1;

/// <summary>
/// Domestic payments of the Payment Initiation API v3.1.11 (<c>/pisp</c>): consents created and read by the app
/// with a client-credentials token and authorised by the customer through Identity; the payment submitted with the
/// customer's token bound to the consent; status and details read with a client-credentials token.
/// </summary>
public static class PaymentsApi
{
    public const string BasePath = ObieApi.BasePath + "/pisp";

    private const ApiVersion Version = ApiVersion.V3_1_11;

    public static RouteGroupBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath)
            .WithTags("Domestic Payments")
            .RequireAuthorization(PlatformScopes.Payments)
            .WithObieContentNegotiation()
            .WithMessageSigning();

        group.MapPost("/domestic-payment-consents", CreateConsentAsync).WithName("CreateDomesticPaymentConsents")
            .WithSummary("Create a domestic payment consent (AwaitingAuthorisation); idempotent by x-idempotency-key");
        group.MapGet("/domestic-payment-consents/{consentId}", GetConsentAsync).WithName("GetDomesticPaymentConsentsConsentId")
            .WithSummary("Read a domestic payment consent");
        group.MapGet("/domestic-payment-consents/{consentId}/funds-confirmation", GetConsentFundsAsync)
            .WithName("GetDomesticPaymentConsentsConsentIdFundsConfirmation")
            .WithSummary("Whether the payer's account can cover the consented payment now (customer token)");
        group.MapPost("/domestic-payments", CreatePaymentAsync).WithName("CreateDomesticPayments")
            .WithSummary("Submit the payment of an authorised consent (customer token); idempotent by x-idempotency-key");
        group.MapGet("/domestic-payments/{paymentId}", GetPaymentAsync).WithName("GetDomesticPaymentsDomesticPaymentId")
            .WithSummary("Read a domestic payment's status");
        group.MapGet("/domestic-payments/{paymentId}/payment-details", GetPaymentDetailsAsync)
            .WithName("GetDomesticPaymentsDomesticPaymentIdPaymentDetails")
            .WithSummary("A domestic payment's status history, with its risk screening");
        return group;
    }

    public static async Task<Created<PaymentConsentResponse>> CreateConsentAsync(HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var request = DomesticConsentRequest.Parse(body.RootElement);
            var consent = await services.Payments.CreateConsentAsync(caller, Version, key, hash, request.ToConsent(caller.ClientId), services.CancellationToken);
            var response = PaymentConsentResponse.From(consent, await PaymentEndpoints.DebtorAsync(services.Db, consent.DebtorAccountId, services.CancellationToken),
                services.Link($"/domestic-payment-consents/{consent.Id}"));
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<PaymentConsentResponse>> GetConsentAsync(string consentId, HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var consent = await PaymentEndpoints.FindConsentAsync(services.Db, consentId, caller, Version, services.CancellationToken);
        return TypedResults.Ok(PaymentConsentResponse.From(consent, await PaymentEndpoints.DebtorAsync(services.Db, consent.DebtorAccountId, services.CancellationToken),
            services.Link($"/domestic-payment-consents/{consent.Id}")));
    }

    public static async Task<Ok<ConsentFundsResponse>> GetConsentFundsAsync(string consentId, HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var (consent, available) = await PaymentEndpoints.ConsentFundsAsync(httpContext, services.Db, consentId, Version, s => s.ToString(), services.CancellationToken);
        return TypedResults.Ok(new ConsentFundsResponse(
            new ConsentFundsData(new FundsAvailableResult(Timestamps.WholeSeconds(services.Clock.GetUtcNow()), available)),
            new Links(services.Link($"/domestic-payment-consents/{consent.Id}/funds-confirmation")), new Meta()));
    }

    public static async Task<Created<PaymentResponse>> CreatePaymentAsync(HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var caller = CallerContext.From(httpContext.User);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var request = DomesticPaymentRequest.Parse(body.RootElement);
            var (payment, consent, debtor) = await services.Payments.SubmitAsync(caller, Version, key, hash, request.ToInstruction(), services.CancellationToken);
            var response = consent is not null && debtor is not null
                ? PaymentResponse.From(payment, consent, debtor, services.Link($"/domestic-payments/{payment.Id}"))
                : await PaymentResponseAsync(services, payment);
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<PaymentResponse>> GetPaymentAsync(string paymentId, HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var payment = await PaymentEndpoints.FindPaymentAsync(services.Db, paymentId, caller, Version, services.CancellationToken);
        return TypedResults.Ok(await PaymentResponseAsync(services, payment));
    }

    public static async Task<Ok<PaymentDetailsResponse>> GetPaymentDetailsAsync(string paymentId, HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var payment = await PaymentEndpoints.FindPaymentAsync(services.Db, paymentId, caller, Version, services.CancellationToken);
        var changes = await PaymentEndpoints.HistoryAsync(services.Db, payment.Id, services.CancellationToken);
        var instrument = await PaymentEndpoints.LocalInstrumentAsync(services.Db, payment.ConsentId, services.CancellationToken);
        var entries = changes.Select(c => new PaymentStatusEntry(payment.Id, c.Status, PaymentResponse.Utc(c.At), new PaymentStatusDetail(
            instrument, c.Status.ToString(),
            c.Status switch
            {
                PaymentStatus.Rejected => "ProprietaryRejection",
                PaymentStatus.Pending when payment.StatusReason == PaymentStatusReasons.HeldForReview => "Suspended",
                PaymentStatus.Pending or PaymentStatus.AcceptedSettlementInProcess => "PendingSettlement",
                _ => null,
            },
            c.Detail))).ToList();
        return TypedResults.Ok(new PaymentDetailsResponse(new PaymentDetailsData(entries),
            new Links(services.Link($"/domestic-payments/{payment.Id}/payment-details")), new Meta()));
    }

    private static async Task<PaymentResponse> PaymentResponseAsync(PaymentServices services, DomesticPayment payment)
    {
        var (consent, debtor) = await PaymentEndpoints.PartiesAsync(services.Db, payment, services.CancellationToken);
        return PaymentResponse.From(payment, consent, debtor, services.Link($"/domestic-payments/{payment.Id}"));
    }
}

/// <summary>What the payment endpoints need besides the request.</summary>
public sealed record PaymentServices(
    SandboxDbContext Db,
    PaymentService Payments,
    TenantClock Clock,
    IOptions<OpenBankingOptions> Options,
    CancellationToken CancellationToken)
{
    public string Link(string path) => $"{Options.Value.PublicBaseUrl.TrimEnd('/')}{PaymentsApi.BasePath}{path}";
}
