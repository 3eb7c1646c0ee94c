using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Internal;

/// <summary>
/// Endpoints for the platform's own services, never routed by the gateway and protected by the internal scope:
/// Identity drives the customer's consent journey through them; the Portal's partner tooling lists test customers,
/// reviews payments and resets a tenant. Errors are problem details. One class per resource maps its routes.
/// </summary>
public static class InternalApi
{
    public static RouteGroupBuilder MapInternalApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/internal")
            .WithTags("Internal")
            .RequireAuthorization(PlatformScopes.SandboxInternal);

        group.MapInternalCustomersApi();
        group.MapInternalTenantsApi();
        group.MapInternalConsentsApi();
        group.MapInternalConsentHistoryApi();
        group.MapInternalLedgerApi();
        group.MapInternalPaymentsApi();
        group.MapInternalEventsApi();
        group.MapInternalConsentInspectorApi();
        group.MapInternalFraudApi();
        return group;
    }
}
