using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Identity.Infrastructure;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

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

        await DatabaseAssertions.AssertFullyMigratedAsync<IdentityDbContext>(factory.Services);
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "identity.db")));
    }

    [Theory]
    [InlineData(DevelopmentSeed.AdminEmail, "Admin!2345", Roles.Admin)]
    [InlineData(DevelopmentSeed.PartnerEmail, "Partner!2345", Roles.Partner)]
    public async Task Startup_InDevelopment_SeedsTheDocumentedUsers(string email, string password, string role)
    {
        _ = factory.Server;
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();

        var user = await users.FindByEmailAsync(email);

        Assert.NotNull(user);
        Assert.True(await users.CheckPasswordAsync(user, password));
        Assert.True(await users.IsInRoleAsync(user, role));
    }

    [Fact]
    public async Task Startup_GeneratesPersistedSigningKeysInTheDataFolder()
    {
        _ = factory.Server;

        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "keys", "signing.pfx")));
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "keys", "encryption.pfx")));
    }
}
