using Microsoft.AspNetCore.Http.HttpResults;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.StandingOrders;
using OpenBanking.Sandbox.Payments.V3_1;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Payments.V4_0;

/// <summary>
/// Domestic standing orders of v4.0 (<c>/open-banking/v4.0/pisp</c>): the v3.1.11 operations over the same domain,
/// with v4.0's request shape (the schedule in MandateRelatedInformation) and ISO codes (consent AWAU/AUTH/RJCT/COND;
/// order RCVD while it is live or done, CANC once cancelled). Consents and orders made here are used only here.
/// </summary>
public static class StandingOrdersApi
{
    private const ApiVersion Version = ApiVersion.V4_0;

    public static RouteGroupBuilder MapStandingOrdersApiV4(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PaymentsApi.BasePath)
            .WithTags("Domestic Standing Orders v4.0")
            .RequireAuthorization(PlatformScopes.Payments)
            .WithObieContentNegotiation()
            .WithMessageSigning();
        group.MapPost("/domestic-standing-order-consents", CreateConsentAsync).WithName("CreateDomesticStandingOrderConsentsV4")
            .WithSummary("Create a domestic standing-order consent (AWAU); idempotent by x-idempotency-key");
        group.MapGet("/domestic-standing-order-consents/{consentId}", GetConsentAsync).WithName("GetDomesticStandingOrderConsentsConsentIdV4")
            .WithSummary("Read a domestic standing-order consent");
        group.MapPost("/domestic-standing-orders", CreateOrderAsync).WithName("CreateDomesticStandingOrdersV4")
            .WithSummary("Make the standing order of an authorised consent (customer token); idempotent by x-idempotency-key (409 for another body)");
        group.MapGet("/domestic-standing-orders/{orderId}", GetOrderAsync).WithName("GetDomesticStandingOrdersDomesticStandingOrderIdV4")
            .WithSummary("Read a domestic standing order");
        group.MapGet("/domestic-standing-orders/{orderId}/payment-details", GetPaymentDetailsAsync)
            .WithName("GetDomesticStandingOrdersDomesticStandingOrderIdPaymentDetailsV4")
            .WithSummary("The standing order's payments so far, each with its status");
        return group;
    }

    /// <summary>The order's status: RCVD (received and in force, or done), CANC once the customer cancelled it.</summary>
    public static string OrderStatus(StandingOrderStatus status) => status == StandingOrderStatus.Cancelled ? "CANC" : "RCVD";

    public static async Task<Created<StandingOrderConsentResponse>> CreateConsentAsync(HttpContext httpContext, [AsParameters] StandingOrderServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var terms = StandingOrderConsentRequest.Parse(body.RootElement, services.Orders.Now);
            var consent = await services.Orders.CreateConsentAsync(caller, Version, key, hash, terms, services.CancellationToken);
            var response = ConsentResponse(consent, await services.Orders.DebtorAsync(consent.DebtorAccountId, services.CancellationToken), services);
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<StandingOrderConsentResponse>> GetConsentAsync(string consentId, HttpContext httpContext, [AsParameters] StandingOrderServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var consent = await services.Orders.FindConsentAsync(consentId, caller, Version, services.CancellationToken);
        return TypedResults.Ok(ConsentResponse(consent, await services.Orders.DebtorAsync(consent.DebtorAccountId, services.CancellationToken), services));
    }

    public static async Task<Created<StandingOrderResponse>> CreateOrderAsync(HttpContext httpContext, [AsParameters] StandingOrderServices services)
    {
        var caller = CallerContext.From(httpContext.User);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var instruction = DomesticPaymentRequest.Parse(body.RootElement);
            var (order, consent) = await services.Orders.SubmitAsync(caller, Version, key, hash, instruction, services.CancellationToken);
            var response = StandingOrderResponse.From(order, consent, (await services.Orders.DebtorAsync(order.DebtorAccountId, services.CancellationToken))!,
                services.Link($"/domestic-standing-orders/{order.Id}"), OrderStatus);
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<StandingOrderResponse>> GetOrderAsync(string orderId, HttpContext httpContext, [AsParameters] StandingOrderServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var (order, consent) = await services.Orders.FindOrderAsync(orderId, caller, Version, services.CancellationToken);
        return TypedResults.Ok(StandingOrderResponse.From(order, consent, (await services.Orders.DebtorAsync(order.DebtorAccountId, services.CancellationToken))!,
            services.Link($"/domestic-standing-orders/{order.Id}"), OrderStatus));
    }

    public static async Task<Ok<PaymentDetailsResponse>> GetPaymentDetailsAsync(string orderId, HttpContext httpContext, [AsParameters] StandingOrderServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var (order, _) = await services.Orders.FindOrderAsync(orderId, caller, Version, services.CancellationToken);
        var payments = await services.Orders.PaymentsAsync(order.Id, services.CancellationToken);
        var entries = payments.Select(p => new PaymentDetails(new PaymentStatusEntry(p.Id, PaymentCodes.PaymentStatus(p.Status),
            V3_1.PaymentResponse.Utc(p.StatusUpdateDateTime),
            new PaymentStatusDetail(null, PaymentCodes.PaymentStatus(p.Status), PaymentCodes.HistoryReason(p.Status, p),
                $"Payment of {Money.Display(p.AmountMinor, p.Currency)} on {V3_1.PaymentResponse.Utc(p.CreationDateTime):d MMMM yyyy}.")))).ToList();
        return TypedResults.Ok(new PaymentDetailsResponse(entries, new Links(services.Link($"/domestic-standing-orders/{order.Id}/payment-details")), new Meta()));
    }

    private static StandingOrderConsentResponse ConsentResponse(DomesticStandingOrderConsent consent, Account? debtor, StandingOrderServices services)
    {
        var response = StandingOrderConsentResponse.From(consent, debtor, services.Link($"/domestic-standing-order-consents/{consent.Id}"));
        return response with { Data = response.Data with { Status = PaymentCodes.ConsentStatus(consent.Status) } };
    }
}
