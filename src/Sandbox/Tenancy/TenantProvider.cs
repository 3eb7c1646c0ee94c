using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Tenancy;

/// <summary>Finds the caller's tenant — one per partner organisation — creating it on first use.</summary>
public sealed class TenantProvider(SandboxDbContext db, TimeProvider clock)
{
    public async Task<Tenant> GetOrCreateAsync(string organisationId, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.OrganisationId == organisationId, cancellationToken);
        if (tenant is not null)
        {
            return tenant;
        }

        tenant = new Tenant
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = organisationId,
            Seed = Tenant.SeedFor(organisationId),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Tenants.Add(tenant);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            db.Entry(tenant).State = EntityState.Detached;
            return tenant;
        }
        catch (DbUpdateException)
        {
            // Another request created it first (unique OrganisationId): use theirs.
            db.Entry(tenant).State = EntityState.Detached;
            return await db.Tenants.AsNoTracking().SingleAsync(t => t.OrganisationId == organisationId, cancellationToken);
        }
    }
}
