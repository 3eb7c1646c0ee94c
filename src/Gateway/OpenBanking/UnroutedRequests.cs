namespace OpenBanking.Gateway.OpenBanking;

/// <summary>
/// Anything no route matches: 404 — without a body under <c>/open-banking</c> (either version, or one the gateway does
/// not serve), as both specifications give 404 for endpoints they do not define; problem details elsewhere.
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
                    detail: "The bank APIs are under /open-banking/v3.1/{aisp|pisp|cbpii}/ (v3.1.11) and /open-banking/v4.0/{aisp|pisp|cbpii}/ (v4.0).").ExecuteAsync(context);
        }).AllowAnonymous().ExcludeFromDescription();
}
