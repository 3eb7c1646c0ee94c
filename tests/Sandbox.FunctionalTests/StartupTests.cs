using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests;

public sealed class StartupTests(ServiceFactory<Program> factory)
    : ServiceStartupTests<Program, SandboxDbContext>(factory, "sandbox.db"), IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task Startup_InDevelopment_SeedsTheDemoOrganisationsTenantOnce()
    {
        _ = Factory.Server;
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();

        var tenants = await db.Tenants.Where(t => t.OrganisationId == DevelopmentSeed.DemoOrganisationId).ToListAsync(Ct);

        var tenant = Assert.Single(tenants);
        Assert.Equal(Domain.Tenant.SeedFor(DevelopmentSeed.DemoOrganisationId), tenant.Seed);
    }

    [Fact]
    public async Task UnknownPath_Returns404ProblemDetails()
    {
        using var client = Factory.CreateClient();

        using var response = await client.GetAsync("/no-such-endpoint", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
