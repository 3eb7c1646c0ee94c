namespace OpenBanking.Gateway.OpenBanking;

/// <summary>
/// Anything no route matches: 404 — without a body under <c>/open-banking</c>, as the specification gives 404 for
/// endpoints it does not define; problem details elsewhere.
/// </summary>
public static class UnroutedRequests
{
    public static IEndpointConventionBuilder MapUnroutedRequests(this IEndpointRouteBuilder app)
        => app.MapFallback(static context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return ObieResponses.IsOpenBanking(context.Request)
                ? Task.CompletedTask
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                    detail: "The bank APIs are under /open-banking/v3.1/{aisp|pisp|cbpii}/.").ExecuteAsync(context);
        }).AllowAnonymous().ExcludeFromDescription();
}
