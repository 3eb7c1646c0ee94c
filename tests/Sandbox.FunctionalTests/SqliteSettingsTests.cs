using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.FunctionalTests;

public sealed class SqliteSettingsTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    [Fact]
    public async Task Connections_UseWal_WithSynchronousNormal()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        var synchronous = await db.Database.SqlQueryRaw<long>("PRAGMA synchronous").ToListAsync(TestContext.Current.CancellationToken);
        var journal = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal([1L], synchronous);
        Assert.Equal(["wal"], journal);
    }
}
