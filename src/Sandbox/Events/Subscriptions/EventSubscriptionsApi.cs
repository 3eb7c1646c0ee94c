using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.Events.Subscriptions;

/// <summary>
/// The Event Subscription API (events-openapi.yaml) at <c>/open-banking/v3.1/event-subscriptions</c> and
/// <c>/open-banking/v4.0/event-subscriptions</c>: one set of endpoints over <see cref="EventSubscriptionService"/>, each
/// version's differences in its <see cref="IEventsWire"/>. A client-credentials token with any of the bank's scopes,
/// as the YAML's security lists accounts, payments and fundsconfirmations. Not idempotent by key (no operation of the
/// YAML takes <c>x-idempotency-key</c>); a repeated POST is the 409 of a second subscription. POST and PUT take
/// <c>x-jws-signature</c> and every response is signed (docs/message-signing.md).
/// </summary>
public static class EventSubscriptionsApi
{
    public const string Path = "/event-subscriptions";

    public static IEndpointRouteBuilder MapEventSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        Map(app, V3_1.EventsWire.Instance);
        Map(app, V4_0.EventsWire.Instance);
        return app;
    }

    private static RouteGroupBuilder Map(IEndpointRouteBuilder app, IEventsWire wire)
    {
        var group = app.MapGroup(wire.BasePath + Path)
            .WithTags("Event Subscriptions")
            .RequireAuthorization(ClockApi.SandboxControl)
            .WithObieContentNegotiation()
            .WithMessageSigning();
        group.MapPost("", (HttpContext h, [AsParameters] SubscriptionServices s) => CreateAsync(h, s, wire))
            .WithName("CreateEventSubscriptions" + wire.NameSuffix).WithSummary("Subscribe the app to event notifications (one subscription per app)");
        group.MapGet("", (HttpContext h, [AsParameters] SubscriptionServices s) => ListAsync(h, s, wire))
            .WithName("GetEventSubscriptions" + wire.NameSuffix).WithSummary("The app's event subscription, in a list");
        group.MapPut("/{eventSubscriptionId}", (string eventSubscriptionId, HttpContext h, [AsParameters] SubscriptionServices s) => ChangeAsync(eventSubscriptionId, h, s, wire))
            .WithName("ChangeEventSubscriptionsEventSubscriptionId" + wire.NameSuffix).WithSummary("Replace the app's event subscription");
        group.MapDelete("/{eventSubscriptionId}", (string eventSubscriptionId, HttpContext h, [AsParameters] SubscriptionServices s) => DeleteAsync(eventSubscriptionId, h, s))
            .WithName("DeleteEventSubscriptionsEventSubscriptionId" + wire.NameSuffix).WithSummary("Delete the app's event subscription");
        return group;
    }

    public static async Task<IResult> CreateAsync(HttpContext httpContext, SubscriptionServices services, IEventsWire wire)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var (_, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var request = SubscriptionRequests.ParseCreate(body.RootElement, services.Policy);
            var subscription = await services.Subscriptions.CreateAsync(caller, wire.Version, request, services.CancellationToken);
            var self = services.Link(wire, $"{Path}/{subscription.Id}");
            httpContext.Response.Headers.Location = self;
            return TypedResults.Json(new EventSubscriptionResponse(EventSubscriptionData.From(subscription, services.Callbacks), new Links(self), new Meta()),
                EventsJsonContext.Default.EventSubscriptionResponse, statusCode: StatusCodes.Status201Created);
        }
    }

    public static async Task<IResult> ListAsync(HttpContext httpContext, SubscriptionServices services, IEventsWire wire)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var subscriptions = await services.Subscriptions.ListAsync(caller, services.CancellationToken);
        return TypedResults.Json(new EventSubscriptionsResponse(
                new EventSubscriptionsData(subscriptions.Select(s => EventSubscriptionData.From(s, services.Callbacks)).ToList()), new Links(services.Link(wire, Path)), new Meta()),
            EventsJsonContext.Default.EventSubscriptionsResponse);
    }

    public static async Task<IResult> ChangeAsync(string eventSubscriptionId, HttpContext httpContext, SubscriptionServices services, IEventsWire wire)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var (_, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var request = SubscriptionRequests.ParseChange(body.RootElement, services.Policy, eventSubscriptionId);
            var subscription = await services.Subscriptions.ChangeAsync(caller, wire.Version, eventSubscriptionId, request, services.CancellationToken);
            return TypedResults.Json(new EventSubscriptionResponse(EventSubscriptionData.From(subscription, services.Callbacks), new Links(services.Link(wire, $"{Path}/{subscription.Id}")), new Meta()),
                EventsJsonContext.Default.EventSubscriptionResponse);
        }
    }

    public static async Task<IResult> DeleteAsync(string eventSubscriptionId, HttpContext httpContext, SubscriptionServices services)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        await services.Subscriptions.DeleteAsync(caller, eventSubscriptionId, services.CancellationToken);
        return TypedResults.NoContent();
    }
}

/// <summary>What the subscription endpoints need besides the request.</summary>
public sealed record SubscriptionServices(
    EventSubscriptionService Subscriptions,
    CallbackPolicy Policy,
    CallbackProtection Callbacks,
    IOptions<OpenBankingOptions> Options,
    CancellationToken CancellationToken)
{
    public string Link(IEventsWire wire, string path) => $"{Options.Value.PublicBaseUrl.TrimEnd('/')}{wire.BasePath}{path}";
}
