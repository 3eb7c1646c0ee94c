using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Payee;
using OpenBanking.Sandbox.UnitTests.Payments;

namespace OpenBanking.Sandbox.UnitTests.Payee;

/// <summary>The partner's own accounts on SQLite: answered per tenant, and cached for a minute (the payment's hot path).</summary>
public sealed class PayeeChecksCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAnswer_IsCachedForAMinute_PerTenant()
    {
        await using var database = await PaymentsDatabase.CreateAsync();
        await using (var setup = database.Context())
        {
            await setup.Accounts.Where(a => a.Id == database.Payee.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Identification, "60837187654321").SetProperty(a => a.Name, "Jane Payee"), Ct);
        }

        var clock = new MovableClock();
        var checks = new PayeeChecks(PayeeDirectory.Seeded(), clock);
        var query = new PayeeQuery("608371", "87654321", "Jane Payee", PayeeAccountType.Personal);
        await using var db = database.Context();

        Assert.True((await checks.CheckAsync(db, database.TenantId, query, Ct)).Matched);
        Assert.Equal("AC01", (await checks.CheckAsync(db, Guid.NewGuid(), query, Ct)).ReasonCode);

        await db.Accounts.Where(a => a.Id == database.Payee.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Name, "Someone Else"), Ct);
        Assert.True((await checks.CheckAsync(db, database.TenantId, query, Ct)).Matched);
        // The same name written differently is the same question.
        Assert.True((await checks.CheckAsync(db, database.TenantId, query with { Name = "jane  payee." }, Ct)).Matched);

        clock.Now += PayeeChecks.CacheFor + TimeSpan.FromSeconds(1);
        Assert.Equal("ANNM", (await checks.CheckAsync(db, database.TenantId, query, Ct)).ReasonCode);
    }

    private sealed class MovableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
