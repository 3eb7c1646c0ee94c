using System.Net;
using OpenBanking.Gateway.Infrastructure;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests;

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
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(_ct));
    }

    [Fact]
    public async Task Startup_OnAnEmptyDataFolder_CreatesTheSqliteFileAndAppliesEveryMigration()
    {
        _ = factory.Server;

        await DatabaseAssertions.AssertFullyMigratedAsync<GatewayDbContext>(factory.Services);
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "gateway.db")));
    }

    [Fact]
    public async Task UnroutedPath_Returns404()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/not-a-route", _ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
