using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Scheduled;
using OpenBanking.Sandbox.Payments.V3_1;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Payments.V4_0;

/// <summary>
/// Domestic scheduled payments of the Payment Initiation API v4.0: the operations of the v3.1.11 side over the same
/// domain, with v4.0's shapes and ISO codes; 409 for a reused idempotency key with another body (both POSTs list it).
/// </summary>
public static class ScheduledPaymentsApi
{
    private const ApiVersion Version = ApiVersion.V4_0;

    public static RouteGroupBuilder MapScheduledPaymentsApiV4(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PaymentsApi.BasePath)
            .WithTags("Domestic Scheduled Payments v4.0")
            .RequireAuthorization(PlatformScopes.Payments)
            .WithObieContentNegotiation()
            .WithMessageSigning();

        group.MapPost("/domestic-scheduled-payment-consents", CreateConsentAsync).WithName("CreateDomesticScheduledPaymentConsentsV4")
            .WithSummary("Create a domestic scheduled payment consent (AWAU); idempotent by x-idempotency-key (409 for another body)");
        group.MapGet("/domestic-scheduled-payment-consents/{consentId}", GetConsentAsync).WithName("GetDomesticScheduledPaymentConsentsConsentIdV4")
            .WithSummary("Read a domestic scheduled payment consent");
        group.MapPost("/domestic-scheduled-payments", CreatePaymentAsync).WithName("CreateDomesticScheduledPaymentsV4")
            .WithSummary("Submit the scheduled payment of an authorised consent (customer token); RCVD until its time");
        group.MapGet("/domestic-scheduled-payments/{paymentId}", GetPaymentAsync).WithName("GetDomesticScheduledPaymentsDomesticScheduledPaymentIdV4")
            .WithSummary("Read a domestic scheduled payment's status, with the reason when it failed or was cancelled");
        group.MapGet("/domestic-scheduled-payments/{paymentId}/payment-details", GetPaymentDetailsAsync)
            .WithName("GetDomesticScheduledPaymentsDomesticScheduledPaymentIdPaymentDetailsV4")
            .WithSummary("A domestic scheduled payment's history");
        return group;
    }

    public static async Task<Created<ScheduledConsentResponseV4>> CreateConsentAsync(HttpContext httpContext, [AsParameters] ScheduledPaymentServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var terms = DomesticConsentRequest.ParseScheduled(body.RootElement);
            var consent = await services.Payments.CreateConsentAsync(caller, Version, key, hash, terms, services.CancellationToken);
            var response = ScheduledConsentResponseV4.From(consent, await PaymentEndpoints.DebtorAsync(services.Db, consent.DebtorAccountId, services.CancellationToken),
                services.Link(Version, $"/domestic-scheduled-payment-consents/{consent.Id}"));
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<ScheduledConsentResponseV4>> GetConsentAsync(string consentId, HttpContext httpContext, [AsParameters] ScheduledPaymentServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var consent = await ScheduledPaymentEndpoints.FindConsentAsync(services.Db, consentId, caller, Version, services.CancellationToken);
        return TypedResults.Ok(ScheduledConsentResponseV4.From(consent, await PaymentEndpoints.DebtorAsync(services.Db, consent.DebtorAccountId, services.CancellationToken),
            services.Link(Version, $"/domestic-scheduled-payment-consents/{consent.Id}")));
    }

    public static async Task<Created<ScheduledPaymentResponseV4>> CreatePaymentAsync(HttpContext httpContext, [AsParameters] ScheduledPaymentServices services)
    {
        var caller = CallerContext.From(httpContext.User);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var instruction = DomesticPaymentRequest.Parse(body.RootElement);
            var payment = await services.Payments.SubmitAsync(caller, Version, key, hash, instruction, services.CancellationToken);
            var (consent, debtor) = await ScheduledPaymentEndpoints.PartiesAsync(services.Db, payment, services.CancellationToken);
            var response = ScheduledPaymentResponseV4.From(payment, consent, debtor, services.Link(Version, $"/domestic-scheduled-payments/{payment.Id}"));
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<ScheduledPaymentResponseV4>> GetPaymentAsync(string paymentId, HttpContext httpContext, [AsParameters] ScheduledPaymentServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var (payment, consent, debtor) = await ScheduledPaymentEndpoints.FindPaymentAsync(services.Db, paymentId, caller, Version, services.CancellationToken);
        return TypedResults.Ok(ScheduledPaymentResponseV4.From(payment, consent, debtor, services.Link(Version, $"/domestic-scheduled-payments/{payment.Id}")));
    }

    public static async Task<Ok<PaymentDetailsResponse>> GetPaymentDetailsAsync(string paymentId, HttpContext httpContext, [AsParameters] ScheduledPaymentServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var (payment, consent, _) = await ScheduledPaymentEndpoints.FindPaymentAsync(services.Db, paymentId, caller, Version, services.CancellationToken);
        var steps = await ScheduledPaymentEndpoints.HistoryAsync(services.Db, payment, services.CancellationToken);
        var instrument = ScheduledPaymentServices.LocalInstrument(consent);
        var entries = steps.Select(s =>
        {
            var (status, reason) = s switch
            {
                { Cancelled: true } => ("RJCT", "DS02"),
                { Execution: null } => ("PDNG", (string?)null),
                { Execution: PaymentStatus.Rejected } => ("RJCT", PaymentCodes.Reason(s.Reason)?.StatusReasonCode),
                _ => (PaymentCodes.PaymentStatus(s.Execution!.Value), null),
            };
            return new PaymentDetails(new PaymentStatusEntry(s.TransactionId, status, V3_1.PaymentResponse.Utc(s.At),
                new PaymentStatusDetail(instrument, status, reason, s.Detail)));
        }).ToList();
        return TypedResults.Ok(new PaymentDetailsResponse(entries, new Links(services.Link(Version, $"/domestic-scheduled-payments/{payment.Id}/payment-details")), new Meta()));
    }
}

/// <summary>
/// How v4.0 names a scheduled payment's states: its enum is RCVD/ACSP/RJCT, so pending is RCVD (received, waiting for
/// its date), completed ACSP (its execution accepted for settlement), and both failure and cancellation RJCT with an
/// ISO reason — AM04 insufficient funds, DS02 order cancelled.
/// </summary>
public static class ScheduledPaymentCodes
{
    public static string Status(ScheduledPaymentStatus status) => status switch
    {
        ScheduledPaymentStatus.InitiationPending => "RCVD",
        ScheduledPaymentStatus.InitiationCompleted => "ACSP",
        ScheduledPaymentStatus.InitiationFailed or ScheduledPaymentStatus.Cancelled => "RJCT",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A scheduled payment status without a v4.0 code."),
    };

    public static IReadOnlyList<ObStatusReason>? Reasons(DomesticScheduledPayment payment) => payment.Status switch
    {
        ScheduledPaymentStatus.Cancelled => [new ObStatusReason("DS02", "Cancelled by the customer before its execution.")],
        ScheduledPaymentStatus.InitiationFailed when PaymentCodes.Reason(payment.StatusReason) is { } reason => [reason],
        _ => null,
    };
}

/// <summary>OBWriteDomesticScheduledConsentResponse5 of v4.0.</summary>
public sealed record ScheduledConsentResponseV4(ScheduledConsentDataV4 Data, JsonElement Risk, Links Links, Meta Meta)
{
    public static ScheduledConsentResponseV4 From(DomesticScheduledPaymentConsent consent, Account? debtor, string self) => new(
        new ScheduledConsentDataV4(
            consent.Id,
            consent.CreationDateTime,
            PaymentCodes.ConsentStatus(consent.Status),
            consent.StatusUpdateDateTime,
            "Create",
            consent.ReadRefundAccount,
            V3_1.PaymentResponse.Utc(consent.RequestedExecutionDateTime),
            V3_1.PaymentConsentResponse.Parse(consent.InitiationJson),
            consent.AuthorisationJson is null ? null : V3_1.PaymentConsentResponse.Parse(consent.AuthorisationJson),
            consent.ScaSupportDataJson is null ? null : V3_1.PaymentConsentResponse.Parse(consent.ScaSupportDataJson),
            debtor is null ? null : ObPaymentAccount.Of(debtor)),
        V3_1.PaymentConsentResponse.Parse(consent.RiskJson),
        new Links(self),
        new Meta());
}

public sealed record ScheduledConsentDataV4(
    string ConsentId,
    DateTimeOffset CreationDateTime,
    string Status,
    DateTimeOffset StatusUpdateDateTime,
    string Permission,
    string? ReadRefundAccount,
    DateTimeOffset ExpectedExecutionDateTime,
    JsonElement Initiation,
    JsonElement? Authorisation,
    JsonElement? SCASupportData,
    ObPaymentAccount? Debtor);

/// <summary>OBWriteDomesticScheduledResponse5 of v4.0.</summary>
public sealed record ScheduledPaymentResponseV4(ScheduledPaymentDataV4 Data, Links Links, Meta Meta)
{
    public static ScheduledPaymentResponseV4 From(DomesticScheduledPayment payment, DomesticScheduledPaymentConsent consent, Account debtor, string self) => new(
        new ScheduledPaymentDataV4(
            payment.Id,
            payment.ConsentId,
            V3_1.PaymentResponse.Utc(payment.CreationDateTime),
            ScheduledPaymentCodes.Status(payment.Status),
            V3_1.PaymentResponse.Utc(payment.StatusUpdateDateTime),
            ScheduledPaymentCodes.Reasons(payment),
            V3_1.PaymentResponse.Utc(payment.RequestedExecutionDateTime),
            consent.ReadRefundAccount == "Yes" ? new ObRefund(ObPaymentAccount.Of(debtor)) : null,
            V3_1.PaymentConsentResponse.Parse(consent.InitiationJson),
            ObPaymentAccount.Of(debtor)),
        new Links(self),
        new Meta());
}

public sealed record ScheduledPaymentDataV4(
    string DomesticScheduledPaymentId,
    string ConsentId,
    DateTimeOffset CreationDateTime,
    string Status,
    DateTimeOffset StatusUpdateDateTime,
    IReadOnlyList<ObStatusReason>? StatusReason,
    DateTimeOffset ExpectedExecutionDateTime,
    ObRefund? Refund,
    JsonElement Initiation,
    ObPaymentAccount Debtor);
