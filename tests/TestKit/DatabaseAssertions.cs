using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace OpenBanking.TestKit;

/// <summary>Checks that a hosted service's database is fully migrated.</summary>
public static class DatabaseAssertions
{
    public static async Task AssertFullyMigratedAsync<TContext>(IServiceProvider services) where TContext : DbContext
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();

        var all = context.Database.GetMigrations().ToList();
        var applied = (await context.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).ToList();

        Assert.NotEmpty(all);
        Assert.Equal(all, applied);
        Assert.True(context.Database.IsSqlite(), "functional tests run on a real SQLite database");
    }
}
