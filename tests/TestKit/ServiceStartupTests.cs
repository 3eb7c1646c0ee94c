using System.Net;
using Microsoft.EntityFrameworkCore;

namespace OpenBanking.TestKit;

/// <summary>
/// What every service must do when it starts on an empty data folder: create its SQLite file, apply every
/// migration, answer <c>/health</c> and <c>/alive</c>, and send no server banner. Each service's test class derives
/// from this and adds its own checks.
/// </summary>
public abstract class ServiceStartupTests<TEntryPoint, TContext>(ServiceFactory<TEntryPoint> factory, string databaseFile)
    where TEntryPoint : class
    where TContext : DbContext
{
    protected ServiceFactory<TEntryPoint> Factory { get; } = factory;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task HealthEndpoints_AfterStart_ReportHealthy(string path)
    {
        using var client = Factory.CreateClient();

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(Ct));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Startup_OnAnEmptyDataFolder_CreatesTheSqliteFileAndAppliesEveryMigration()
    {
        _ = Factory.Server;

        await DatabaseAssertions.AssertFullyMigratedAsync<TContext>(Factory.Services);
        Assert.True(File.Exists(Path.Combine(Factory.DataDirectory, databaseFile)));
    }
}
