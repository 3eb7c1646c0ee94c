using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Retention;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// Issue 22: the Sandbox deletes an ended account-access consent, with its status history, a stated time after it ended
/// — and not a day sooner, nor a current consent. Real SQLite; the retention's clock is the test's.
/// </summary>
public sealed class RetentionTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly SandboxClient _sandbox = new(factory);

    [Fact]
    public async Task EndedConsents_AreDeletedWithTheirHistory_OnlyOnceTheirRetentionHasPassed()
    {
        var (withdrawn, _, _) = await _sandbox.AuthorisedAsync("ReadAccountsBasic", username: "erin");
        var (current, _, _) = await _sandbox.AuthorisedAsync("ReadAccountsBasic", username: "erin");
        var expiresAt = DateTimeOffset.UtcNow.AddDays(10);
        var (expiring, _, _) = await _sandbox.AuthorisedAsync("ReadAccountsBasic", username: "erin",
            extraData: $",\"ExpirationDateTime\":\"{expiresAt:yyyy-MM-ddTHH:mm:ssZ}\"");
        using (var identity = _sandbox.Client(SandboxFactory.InternalToken()))
        using (var revoke = await identity.PostAsJsonAsync($"/internal/consents/{withdrawn}/revoke", new { customerId = await _sandbox.CustomerIdAsync("erin") }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        var clock = new Clock();
        var retention = new SandboxRetention(factory.Services.GetRequiredService<IServiceScopeFactory>(), clock,
            Options.Create(new SandboxRetentionOptions { EndedConsentDays = 90, BatchSize = 1 }), NullLogger<SandboxRetention>.Instance);

        clock.Now = DateTimeOffset.UtcNow.AddDays(89);
        await retention.RunOnceAsync(Ct);
        Assert.Equal((true, true), await ExistsAsync(withdrawn));

        clock.Now = DateTimeOffset.UtcNow.AddDays(91);
        var counts = await retention.RunOnceAsync(Ct);
        Assert.Equal((false, false), await ExistsAsync(withdrawn));
        Assert.Equal((true, true), await ExistsAsync(expiring));
        Assert.True(counts["account-access consents"] >= 1);
        Assert.True(counts["consent status changes"] >= 3);

        // Expiry is an end too: ninety days after it, the consent goes.
        clock.Now = expiresAt.AddDays(91);
        await retention.RunOnceAsync(Ct);
        Assert.Equal((false, false), await ExistsAsync(expiring));
        Assert.Equal((true, true), await ExistsAsync(current));
    }

    /// <summary>Whether the consent and any of its history rows are still stored.</summary>
    private async Task<(bool Consent, bool History)> ExistsAsync(string consentId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        return (await db.AccountAccessConsents.AnyAsync(c => c.Id == consentId, Ct), await db.ConsentStatusChanges.AnyAsync(h => h.ConsentId == consentId, Ct));
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
