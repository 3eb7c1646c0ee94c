using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Scheduled;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Payments.V3_1;

/// <summary>
/// Domestic scheduled payments of the Payment Initiation API v3.1.11: the consent created and read with a
/// client-credentials token and authorised by the customer through Identity; the payment submitted with the
/// customer's token bound to it and executed at its RequestedExecutionDateTime on the tenant's clock.
/// </summary>
public static class ScheduledPaymentsApi
{
    private const ApiVersion Version = ApiVersion.V3_1_11;

    public static RouteGroupBuilder MapScheduledPaymentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PaymentsApi.BasePath)
            .WithTags("Domestic Scheduled Payments")
            .RequireAuthorization(PlatformScopes.Payments)
            .WithObieContentNegotiation()
            .WithMessageSigning();

        group.MapPost("/domestic-scheduled-payment-consents", CreateConsentAsync).WithName("CreateDomesticScheduledPaymentConsents")
            .WithSummary("Create a domestic scheduled payment consent (AwaitingAuthorisation); idempotent by x-idempotency-key");
        group.MapGet("/domestic-scheduled-payment-consents/{consentId}", GetConsentAsync).WithName("GetDomesticScheduledPaymentConsentsConsentId")
            .WithSummary("Read a domestic scheduled payment consent");
        group.MapPost("/domestic-scheduled-payments", CreatePaymentAsync).WithName("CreateDomesticScheduledPayments")
            .WithSummary("Submit the scheduled payment of an authorised consent (customer token); InitiationPending until its time");
        group.MapGet("/domestic-scheduled-payments/{paymentId}", GetPaymentAsync).WithName("GetDomesticScheduledPaymentsDomesticScheduledPaymentId")
            .WithSummary("Read a domestic scheduled payment's status");
        group.MapGet("/domestic-scheduled-payments/{paymentId}/payment-details", GetPaymentDetailsAsync)
            .WithName("GetDomesticScheduledPaymentsDomesticScheduledPaymentIdPaymentDetails")
            .WithSummary("A domestic scheduled payment's history: scheduled, then its execution's steps or its cancellation");
        return group;
    }

    public static async Task<Created<ScheduledConsentResponse>> CreateConsentAsync(HttpContext httpContext, [AsParameters] ScheduledPaymentServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var terms = DomesticConsentRequest.ParseScheduled(body.RootElement);
            var consent = await services.Payments.CreateConsentAsync(caller, Version, key, hash, terms, services.CancellationToken);
            var response = ScheduledConsentResponse.From(consent, await PaymentEndpoints.DebtorAsync(services.Db, consent.DebtorAccountId, services.CancellationToken),
                services.Link(Version, $"/domestic-scheduled-payment-consents/{consent.Id}"));
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<ScheduledConsentResponse>> GetConsentAsync(string consentId, HttpContext httpContext, [AsParameters] ScheduledPaymentServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var consent = await ScheduledPaymentEndpoints.FindConsentAsync(services.Db, consentId, caller, Version, services.CancellationToken);
        return TypedResults.Ok(ScheduledConsentResponse.From(consent, await PaymentEndpoints.DebtorAsync(services.Db, consent.DebtorAccountId, services.CancellationToken),
            services.Link(Version, $"/domestic-scheduled-payment-consents/{consent.Id}")));
    }

    public static async Task<Created<ScheduledPaymentResponse>> CreatePaymentAsync(HttpContext httpContext, [AsParameters] ScheduledPaymentServices services)
    {
        var caller = CallerContext.From(httpContext.User);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var request = DomesticPaymentRequest.Parse(body.RootElement);
            var payment = await services.Payments.SubmitAsync(caller, Version, key, hash, request.ToInstruction(), services.CancellationToken);
            var (consent, debtor) = await ScheduledPaymentEndpoints.PartiesAsync(services.Db, payment, services.CancellationToken);
            var response = ScheduledPaymentResponse.From(payment, consent, debtor, services.Link(Version, $"/domestic-scheduled-payments/{payment.Id}"));
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<ScheduledPaymentResponse>> GetPaymentAsync(string paymentId, HttpContext httpContext, [AsParameters] ScheduledPaymentServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var (payment, consent, debtor) = await ScheduledPaymentEndpoints.FindPaymentAsync(services.Db, paymentId, caller, Version, services.CancellationToken);
        return TypedResults.Ok(ScheduledPaymentResponse.From(payment, consent, debtor, services.Link(Version, $"/domestic-scheduled-payments/{payment.Id}")));
    }

    public static async Task<Ok<ScheduledDetailsResponse>> GetPaymentDetailsAsync(string paymentId, HttpContext httpContext, [AsParameters] ScheduledPaymentServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var (payment, consent, _) = await ScheduledPaymentEndpoints.FindPaymentAsync(services.Db, paymentId, caller, Version, services.CancellationToken);
        var steps = await ScheduledPaymentEndpoints.HistoryAsync(services.Db, payment, services.CancellationToken);
        return TypedResults.Ok(ScheduledDetailsResponse.From(steps, ScheduledPaymentServices.LocalInstrument(consent),
            services.Link(Version, $"/domestic-scheduled-payments/{payment.Id}/payment-details")));
    }
}

/// <summary>What the scheduled-payment endpoints of both versions need besides the request.</summary>
public sealed record ScheduledPaymentServices(
    SandboxDbContext Db,
    ScheduledPaymentService Payments,
    IOptions<OpenBankingOptions> Options,
    CancellationToken CancellationToken)
{
    public string Link(ApiVersion version, string path) => $"{Options.Value.PublicBaseUrl.TrimEnd('/')}{version.BasePath()}/pisp{path}";

    /// <summary>The LocalInstrument of the consent's Initiation, if it names one (the same field in both versions).</summary>
    public static string? LocalInstrument(DomesticScheduledPaymentConsent consent)
    {
        using var initiation = System.Text.Json.JsonDocument.Parse(consent.InitiationJson);
        return initiation.RootElement.TryGetProperty("LocalInstrument", out var instrument) ? instrument.GetString() : null;
    }
}
