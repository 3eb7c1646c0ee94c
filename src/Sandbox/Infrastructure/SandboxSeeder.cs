using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Domain;
using OpenBanking.ServiceDefaults.Data;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Infrastructure;

/// <summary>Development seed: the demo organisation's tenant exists from the first start.</summary>
internal sealed class SandboxSeeder(TimeProvider clock) : IDatabaseSeeder<SandboxDbContext>
{
    public async Task SeedAsync(SandboxDbContext context, CancellationToken cancellationToken)
    {
        if (await context.Tenants.AnyAsync(t => t.OrganisationId == DevelopmentSeed.DemoOrganisationId, cancellationToken))
        {
            return;
        }

        context.Tenants.Add(new Tenant
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = DevelopmentSeed.DemoOrganisationId,
            Seed = Tenant.SeedFor(DevelopmentSeed.DemoOrganisationId),
            CreatedAt = clock.GetUtcNow(),
        });
        await context.SaveChangesAsync(cancellationToken);
    }
}
