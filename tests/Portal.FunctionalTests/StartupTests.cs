using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Portal.FunctionalTests;

public sealed class StartupTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task HealthEndpoints_AfterStart_ReportHealthy(string path)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(path, _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Startup_OnAnEmptyDataFolder_CreatesTheSqliteFileAndAppliesEveryMigration()
    {
        _ = factory.Server;

        await DatabaseAssertions.AssertFullyMigratedAsync<PortalDbContext>(factory.Services);
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "portal.db")));
    }

    [Fact]
    public async Task Startup_InDevelopment_SeedsTheApprovedDemoOrganisationWithAnAuditEntry()
    {
        _ = factory.Server;
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var id = Guid.Parse(DevelopmentSeed.DemoOrganisationId);

        var organisation = await db.Organisations.SingleAsync(o => o.Id == id, _ct);
        var audit = await db.AuditEntries.Where(a => a.EntityId == id.ToString()).ToListAsync(_ct);

        Assert.Equal(DevelopmentSeed.DemoOrganisationName, organisation.LegalName);
        Assert.Equal(OrganisationStatus.Approved, organisation.Status);
        Assert.Single(audit);
    }

    [Fact]
    public async Task HomePage_Prerendered_ShowsThePlatformNameAndNavigation()
    {
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync("/", _ct);

        Assert.Contains("Open Banking Developer Platform", html);
        Assert.Contains("mud-appbar", html);
        Assert.Contains("mud-drawer", html);
        Assert.Contains("_content/MudBlazor/MudBlazor.min", html);
    }

    [Fact]
    public async Task UnknownPage_Returns404WithAFriendlyPage()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/no/such/page", _ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(_ct));
    }
}
