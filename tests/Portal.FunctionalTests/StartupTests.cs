using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Portal.FunctionalTests;

public sealed class StartupTests(ServiceFactory<Program> factory)
    : ServiceStartupTests<Program, PortalDbContext>(factory, "portal.db"), IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task Startup_InDevelopment_SeedsTheApprovedDemoOrganisationWithAnAuditEntry()
    {
        _ = Factory.Server;
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var id = Guid.Parse(DevelopmentSeed.DemoOrganisationId);

        var organisation = await db.Organisations.SingleAsync(o => o.Id == id, Ct);
        var audit = await db.AuditEntries.Where(a => a.EntityId == id.ToString()).ToListAsync(Ct);

        Assert.Equal(DevelopmentSeed.DemoOrganisationName, organisation.LegalName);
        Assert.Equal(OrganisationStatus.Approved, organisation.Status);
        Assert.Single(audit);
    }

    [Fact]
    public async Task HomePage_Prerendered_ShowsThePlatformNameAndNavigation()
    {
        using var client = Factory.CreateClient();

        var html = await client.GetStringAsync("/", Ct);

        Assert.Contains("Open Banking Developer Platform", html);
        Assert.Contains("mud-appbar", html);
        Assert.Contains("mud-drawer", html);
        Assert.Contains("_content/MudBlazor/MudBlazor.min", html);
    }

    [Fact]
    public async Task UnknownPage_Returns404WithAFriendlyPage()
    {
        using var client = Factory.CreateClient();

        using var response = await client.GetAsync("/no/such/page", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(Ct));
    }
}
