using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Events.Subscriptions;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.Events.Polling;

/// <summary>
/// Aggregated polling (events-openapi.yaml <c>POST /events</c>) at <c>/open-banking/v3.1/events</c> and
/// <c>/open-banking/v4.0/events</c>, with a client-credentials token of any of the bank's scopes. Answers 200 (the
/// YAML allows 200 "Read awaiting events" or 201): a poll reads and acknowledges, it creates nothing.
/// </summary>
public static class EventPollingApi
{
    public const string Path = "/events";

    public static IEndpointRouteBuilder MapEventPollingApi(this IEndpointRouteBuilder app)
    {
        Map(app, V3_1.EventsWire.Instance);
        Map(app, V4_0.EventsWire.Instance);
        return app;
    }

    private static void Map(IEndpointRouteBuilder app, IEventsWire wire)
        => app.MapPost(wire.BasePath + Path, PollAsync)
            .WithTags("Events")
            .RequireAuthorization(ClockApi.SandboxControl)
            .WithObieContentNegotiation()
            .RefuseMessageSignatures()
            .WithName("CreateEvents" + wire.NameSuffix)
            .WithSummary("Poll the app's event notifications, acknowledging those received (long poll unless returnImmediately)");

    public static async Task<IResult> PollAsync(HttpContext httpContext, EventPolling polling, CancellationToken cancellationToken)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var (_, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, cancellationToken);
        PollRequest request;
        using (body)
        {
            request = PollRequest.Parse(body.RootElement);
        }

        var response = await polling.PollAsync(caller, request, cancellationToken);
        return TypedResults.Json(response, EventsJsonContext.Default.EventPollingResponse);
    }
}
