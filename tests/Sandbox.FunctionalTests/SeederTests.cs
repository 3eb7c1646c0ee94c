using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.ServiceDefaults.Data;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests;

public sealed class SeederTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task Seeders_RunAgain_AddNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        _ = factory.Server;
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        var before = await db.Tenants.CountAsync(ct);

        foreach (var seeder in scope.ServiceProvider.GetServices<IDatabaseSeeder<SandboxDbContext>>())
        {
            await seeder.SeedAsync(db, ct);
        }

        Assert.Equal(before, await db.Tenants.CountAsync(ct));
    }
}
