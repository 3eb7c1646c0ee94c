using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Ledger;

namespace OpenBanking.Sandbox.Internal;

/// <summary>The ledger's invariant, checked on demand (operators and the benchmarks).</summary>
public static class InternalLedgerApi
{
    public static RouteGroupBuilder MapInternalLedgerApi(this RouteGroupBuilder group)
    {
        group.MapGet("/ledger/check", CheckLedgerAsync).WithName("CheckLedger");
        group.MapGet("/tenants/{organisationId}/ledger/check", CheckLedgerAsync).WithName("CheckTenantLedger");
        return group;
    }

    /// <summary>The ledger invariant, for every tenant or one: 200 when it holds, 409 with the problems when not.</summary>
    public static async Task<Results<Ok<LedgerCheck>, Conflict<LedgerCheck>, NotFound>> CheckLedgerAsync(
        string? organisationId, SandboxDbContext db, CancellationToken ct)
    {
        Guid? tenantId = null;
        if (organisationId is not null)
        {
            tenantId = await db.Tenants.AsNoTracking().Where(t => t.OrganisationId == organisationId).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(ct);
            if (tenantId is null)
            {
                return TypedResults.NotFound();
            }
        }

        var check = await LedgerCheck.RunAsync(db, tenantId, ct);
        return check.Holds ? TypedResults.Ok(check) : TypedResults.Conflict(check);
    }
}
