using Microsoft.AspNetCore.Http.HttpResults;
using OpenBanking.Sandbox.Tenancy;

namespace OpenBanking.Sandbox.Internal;

/// <summary>A tenant as a whole: the Portal's reset of a partner's sandbox bank.</summary>
public static class InternalTenantsApi
{
    public static RouteGroupBuilder MapInternalTenantsApi(this RouteGroupBuilder group)
    {
        group.MapPost("/tenants/{organisationId}/reset", ResetAsync).WithName("ResetTenant");
        return group;
    }

    public static async Task<Results<NoContent, NotFound>> ResetAsync(string organisationId, TenantService tenants, CancellationToken ct)
        => await tenants.ResetAsync(organisationId, ct) is null ? TypedResults.NotFound() : TypedResults.NoContent();
}
