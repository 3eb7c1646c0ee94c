using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Retention;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Portal.FunctionalTests;

/// <summary>
/// Issue 22: the Portal deletes audit entries after six years, notifications after ninety days and invitations nobody
/// accepted a month after they expired — nothing sooner, in batches. Real SQLite; the retention's clock is the test's.
/// </summary>
public sealed class RetentionTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Guid Organisation = Guid.Parse(DevelopmentSeed.DemoOrganisationId);

    [Fact]
    public async Task Retention_DeletesAuditNotificationsAndExpiredInvitations_OnlyPastTheirPeriods()
    {
        _ = factory.Server;
        var now = DateTimeOffset.UtcNow;
        var later = now.AddDays(6 * 365 + 3);
        long oldAudit, recentAudit, oldNotice, recentNotice;
        Guid expiredInvite, openInvite, member;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            // Rows are written as things happen, so ids grow with time: the old ones first.
            var a1 = Audit(now);
            var n1 = Notice(now);
            var i1 = Invite(expiresAt: now.AddDays(7), accepted: null);
            var i2 = Invite(expiresAt: later.AddDays(10), accepted: null);
            var m = Invite(expiresAt: now.AddDays(7), accepted: now.AddDays(1));
            db.AddRange(a1, n1, i1, i2, m);
            await db.SaveChangesAsync(Ct);
            var a2 = Audit(later.AddDays(-1));
            var n2 = Notice(later.AddDays(-89));
            db.AddRange(a2, n2);
            await db.SaveChangesAsync(Ct);
            (oldAudit, recentAudit, oldNotice, recentNotice, expiredInvite, openInvite, member) = (a1.Id, a2.Id, n1.Id, n2.Id, i1.Id, i2.Id, m.Id);
        }

        var retention = new PortalRetention(factory.Services.GetRequiredService<IServiceScopeFactory>(), new Clock(later),
            Options.Create(new PortalRetentionOptions { BatchSize = 1 }), NullLogger<PortalRetention>.Instance);
        var counts = await retention.RunOnceAsync(Ct);

        await using var check = factory.Services.CreateAsyncScope();
        var after = check.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.False(await after.AuditEntries.AnyAsync(a => a.Id == oldAudit, Ct));
        Assert.True(await after.AuditEntries.AnyAsync(a => a.Id == recentAudit, Ct));
        Assert.False(await after.Notifications.AnyAsync(n => n.Id == oldNotice, Ct));
        Assert.True(await after.Notifications.AnyAsync(n => n.Id == recentNotice, Ct));
        Assert.False(await after.Memberships.AnyAsync(x => x.Id == expiredInvite, Ct));
        Assert.True(await after.Memberships.AnyAsync(x => x.Id == openInvite, Ct));
        Assert.True(await after.Memberships.AnyAsync(x => x.Id == member, Ct));
        Assert.True(counts["audit entries"] >= 1);
        Assert.True(counts["notifications"] >= 1);
        Assert.True(counts["expired invitations"] >= 1);
    }

    [Fact]
    public async Task Retention_BeforeAnyPeriodHasPassed_DeletesNothing()
    {
        _ = factory.Server;
        var retention = new PortalRetention(factory.Services.GetRequiredService<IServiceScopeFactory>(), new Clock(DateTimeOffset.UtcNow),
            Options.Create(new PortalRetentionOptions()), NullLogger<PortalRetention>.Instance);

        var counts = await retention.RunOnceAsync(Ct);

        Assert.Equal(0, counts["audit entries"]);
        Assert.Equal(0, counts["notifications"]);
    }

    private static AuditEntry Audit(DateTimeOffset at) => new()
    {
        Timestamp = at, Actor = "user-" + Guid.NewGuid().ToString("N"), Action = "test", EntityType = "Organisation", EntityId = Organisation.ToString(), OrganisationId = Organisation,
    };

    private static Notification Notice(DateTimeOffset at) => new() { OrganisationId = Organisation, Message = "Retention test", CreatedAt = at };

    private static Membership Invite(DateTimeOffset expiresAt, DateTimeOffset? accepted) => new()
    {
        OrganisationId = Organisation, Email = $"{Guid.NewGuid():N}@example.test", Role = TeamRole.Viewer, CreatedAt = expiresAt.AddDays(-7),
        ExpiresAt = expiresAt, AcceptedAt = accepted, UserId = accepted is null ? null : Guid.NewGuid().ToString(),
    };

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
