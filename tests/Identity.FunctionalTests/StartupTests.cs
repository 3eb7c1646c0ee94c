using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Identity.Infrastructure;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

public sealed class StartupTests(ServiceFactory<Program> factory)
    : ServiceStartupTests<Program, IdentityDbContext>(factory, "identity.db"), IClassFixture<ServiceFactory<Program>>
{
    [Theory]
    [InlineData(DevelopmentSeed.AdminEmail, "Admin!2345", Roles.Admin)]
    [InlineData(DevelopmentSeed.PartnerEmail, "Partner!2345", Roles.Partner)]
    public async Task Startup_InDevelopment_SeedsTheDocumentedUsers(string email, string password, string role)
    {
        _ = Factory.Server;
        await using var scope = Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();

        var user = await users.FindByEmailAsync(email);

        Assert.NotNull(user);
        Assert.True(await users.CheckPasswordAsync(user, password));
        Assert.True(await users.IsInRoleAsync(user, role));
    }

    [Fact]
    public async Task Startup_GeneratesPersistedSigningKeysInTheDataFolder()
    {
        _ = Factory.Server;

        Assert.True(File.Exists(Path.Combine(Factory.DataDirectory, "keys", "signing.pfx")));
        Assert.True(File.Exists(Path.Combine(Factory.DataDirectory, "keys", "encryption.pfx")));
    }
}
