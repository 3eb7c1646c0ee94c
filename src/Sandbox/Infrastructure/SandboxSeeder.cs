using OpenBanking.Sandbox.Tenancy;
using OpenBanking.ServiceDefaults.Data;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Infrastructure;

/// <summary>Development seed: the demo organisation's bank exists, with its data, from the first start.</summary>
internal sealed class SandboxSeeder(TenantService tenants) : IDatabaseSeeder<SandboxDbContext>
{
    public async Task SeedAsync(SandboxDbContext context, CancellationToken cancellationToken)
        => await tenants.GetOrCreateAsync(DevelopmentSeed.DemoOrganisationId, cancellationToken);
}
