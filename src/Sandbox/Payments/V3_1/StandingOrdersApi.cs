using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.StandingOrders;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Payments.V3_1;

/// <summary>
/// Domestic standing orders of the Payment Initiation API v3.1.11: the consent created and read with a
/// client-credentials token and authorised by the customer through Identity; the order made with the customer's token
/// bound to it; the order and its payments read with a client-credentials token.
/// </summary>
public static class StandingOrdersApi
{
    private const ApiVersion Version = ApiVersion.V3_1_11;

    public static RouteGroupBuilder MapStandingOrdersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PaymentsApi.BasePath)
            .WithTags("Domestic Standing Orders")
            .RequireAuthorization(PlatformScopes.Payments)
            .WithObieContentNegotiation()
            .WithMessageSigning();
        group.MapPost("/domestic-standing-order-consents", CreateConsentAsync).WithName("CreateDomesticStandingOrderConsents")
            .WithSummary("Create a domestic standing-order consent (AwaitingAuthorisation); idempotent by x-idempotency-key");
        group.MapGet("/domestic-standing-order-consents/{consentId}", GetConsentAsync).WithName("GetDomesticStandingOrderConsentsConsentId")
            .WithSummary("Read a domestic standing-order consent");
        group.MapPost("/domestic-standing-orders", CreateOrderAsync).WithName("CreateDomesticStandingOrders")
            .WithSummary("Make the standing order of an authorised consent (customer token); idempotent by x-idempotency-key");
        group.MapGet("/domestic-standing-orders/{orderId}", GetOrderAsync).WithName("GetDomesticStandingOrdersDomesticStandingOrderId")
            .WithSummary("Read a domestic standing order");
        group.MapGet("/domestic-standing-orders/{orderId}/payment-details", GetPaymentDetailsAsync)
            .WithName("GetDomesticStandingOrdersDomesticStandingOrderIdPaymentDetails")
            .WithSummary("The standing order's payments so far, each with its status");
        return group;
    }

    public static async Task<Created<StandingOrderConsentResponse>> CreateConsentAsync(HttpContext httpContext, [AsParameters] StandingOrderServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var terms = StandingOrderConsentRequest.Parse(body.RootElement, services.Orders.Now);
            var consent = await services.Orders.CreateConsentAsync(caller, Version, key, hash, terms, services.CancellationToken);
            var response = StandingOrderConsentResponse.From(consent, await services.Orders.DebtorAsync(consent.DebtorAccountId, services.CancellationToken),
                services.Link($"/domestic-standing-order-consents/{consent.Id}"));
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<StandingOrderConsentResponse>> GetConsentAsync(string consentId, HttpContext httpContext, [AsParameters] StandingOrderServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var consent = await services.Orders.FindConsentAsync(consentId, caller, Version, services.CancellationToken);
        return TypedResults.Ok(StandingOrderConsentResponse.From(consent, await services.Orders.DebtorAsync(consent.DebtorAccountId, services.CancellationToken),
            services.Link($"/domestic-standing-order-consents/{consent.Id}")));
    }

    public static async Task<Created<StandingOrderResponse>> CreateOrderAsync(HttpContext httpContext, [AsParameters] StandingOrderServices services)
    {
        var caller = CallerContext.From(httpContext.User);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var request = DomesticPaymentRequest.Parse(body.RootElement);
            var (order, consent) = await services.Orders.SubmitAsync(caller, Version, key, hash, request.ToInstruction(), services.CancellationToken);
            var response = StandingOrderResponse.From(order, consent, (await services.Orders.DebtorAsync(order.DebtorAccountId, services.CancellationToken))!,
                services.Link($"/domestic-standing-orders/{order.Id}"));
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<StandingOrderResponse>> GetOrderAsync(string orderId, HttpContext httpContext, [AsParameters] StandingOrderServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var (order, consent) = await services.Orders.FindOrderAsync(orderId, caller, Version, services.CancellationToken);
        return TypedResults.Ok(StandingOrderResponse.From(order, consent, (await services.Orders.DebtorAsync(order.DebtorAccountId, services.CancellationToken))!,
            services.Link($"/domestic-standing-orders/{order.Id}")));
    }

    /// <summary>Each payment the order has made, with its current status (a standing order has no status history of its own to show).</summary>
    public static async Task<Ok<PaymentDetailsResponse>> GetPaymentDetailsAsync(string orderId, HttpContext httpContext, [AsParameters] StandingOrderServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var (order, _) = await services.Orders.FindOrderAsync(orderId, caller, Version, services.CancellationToken);
        var payments = await services.Orders.PaymentsAsync(order.Id, services.CancellationToken);
        var entries = payments.Select(p => new PaymentStatusEntry(p.Id, p.Status, PaymentResponse.Utc(p.StatusUpdateDateTime), new PaymentStatusDetail(
            null, p.Status.ToString(),
            p.Status switch
            {
                PaymentStatus.Rejected => "ProprietaryRejection",
                PaymentStatus.Pending or PaymentStatus.AcceptedSettlementInProcess => "PendingSettlement",
                _ => null,
            },
            $"Payment of {Money.Display(p.AmountMinor, p.Currency)} on {PaymentResponse.Utc(p.CreationDateTime):d MMMM yyyy}"
                + (p.StatusReason is null ? "." : $" ({p.StatusReason})."))))
            .ToList();
        return TypedResults.Ok(new PaymentDetailsResponse(new PaymentDetailsData(entries),
            new Links(services.Link($"/domestic-standing-orders/{order.Id}/payment-details")), new Meta()));
    }
}

/// <summary>What the standing-order endpoints of either version need besides the request.</summary>
public sealed record StandingOrderServices(StandingOrderService Orders, IOptions<OpenBankingOptions> Options, HttpContext HttpContext, CancellationToken CancellationToken)
{
    /// <summary>A link under the base path of the version the request came through.</summary>
    public string Link(string path)
        => $"{Options.Value.PublicBaseUrl.TrimEnd('/')}{ApiVersions.FromPath(HttpContext.Request.Path)?.BasePath() ?? ApiVersions.V3_1_11BasePath}/pisp{path}";
}

/// <summary>OBWriteDomesticStandingOrderConsentResponse6.</summary>
public sealed record StandingOrderConsentResponse(StandingOrderConsentData Data, JsonElement Risk, Links Links, Meta Meta)
{
    public static StandingOrderConsentResponse From(DomesticStandingOrderConsent consent, Account? debtor, string self) => new(
        new StandingOrderConsentData(consent.Id, consent.CreationDateTime, consent.Status.ToString(), consent.StatusUpdateDateTime, "Create",
            consent.ReadRefundAccount, PaymentConsentResponse.Parse(consent.InitiationJson),
            consent.AuthorisationJson is null ? null : PaymentConsentResponse.Parse(consent.AuthorisationJson),
            consent.ScaSupportDataJson is null ? null : PaymentConsentResponse.Parse(consent.ScaSupportDataJson),
            debtor is null ? null : ObPaymentAccount.Of(debtor)),
        PaymentConsentResponse.Parse(consent.RiskJson), new Links(self), new Meta());
}

/// <summary>The Data of a standing-order consent response; Status is the version's word for the consent's status.</summary>
public sealed record StandingOrderConsentData(
    string ConsentId, DateTimeOffset CreationDateTime, string Status, DateTimeOffset StatusUpdateDateTime, string Permission,
    string? ReadRefundAccount, JsonElement Initiation, JsonElement? Authorisation, JsonElement? SCASupportData, ObPaymentAccount? Debtor);

/// <summary>OBWriteDomesticStandingOrderResponse6.</summary>
public sealed record StandingOrderResponse(StandingOrderData Data, Links Links, Meta Meta)
{
    public static StandingOrderResponse From(DomesticStandingOrder order, DomesticStandingOrderConsent consent, Account debtor, string self, Func<StandingOrderStatus, string>? status = null) => new(
        new StandingOrderData(order.Id, order.ConsentId, PaymentResponse.Utc(order.CreationDateTime), (status ?? (s => s.ToString()))(order.Status),
            PaymentResponse.Utc(order.StatusUpdateDateTime), consent.ReadRefundAccount == "Yes" ? new ObRefund(ObPaymentAccount.Of(debtor)) : null,
            PaymentConsentResponse.Parse(consent.InitiationJson), ObPaymentAccount.Of(debtor)),
        new Links(self), new Meta());
}

public sealed record StandingOrderData(
    string DomesticStandingOrderId, string ConsentId, DateTimeOffset CreationDateTime, string Status, DateTimeOffset StatusUpdateDateTime,
    ObRefund? Refund, JsonElement Initiation, ObPaymentAccount Debtor);
