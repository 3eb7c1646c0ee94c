using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests;

public sealed class StartupTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_AfterStart_ReportsHealthy()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health", _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(_ct));
    }

    [Fact]
    public async Task Alive_AfterStart_ReportsHealthy()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/alive", _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Startup_OnAnEmptyDataFolder_CreatesTheSqliteFileAndAppliesEveryMigration()
    {
        _ = factory.Server;

        await DatabaseAssertions.AssertFullyMigratedAsync<SandboxDbContext>(factory.Services);
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "sandbox.db")));
    }

    [Fact]
    public async Task Startup_InDevelopment_SeedsTheDemoOrganisationsTenantOnce()
    {
        _ = factory.Server;
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();

        var tenants = await db.Tenants.Where(t => t.OrganisationId == DevelopmentSeed.DemoOrganisationId).ToListAsync(_ct);

        var tenant = Assert.Single(tenants);
        Assert.Equal(Domain.Tenant.SeedFor(DevelopmentSeed.DemoOrganisationId), tenant.Seed);
    }

    [Fact]
    public async Task UnknownPath_Returns404ProblemDetails()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/no-such-endpoint", _ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Responses_CarryNoServerBanner()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health", _ct);

        Assert.False(response.Headers.Contains("Server"));
    }
}
