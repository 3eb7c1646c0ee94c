using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenBanking.Identity.Accounts;
using OpenBanking.Identity.Retention;
using OpenBanking.TestKit;
using OpenIddict.Abstractions;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// Issue 22: Identity deletes tokens and authorizations that no longer work once past their retention (never a working
/// one), and Development's mail files after a week. Real SQLite, real tokens; the retention's clock is the test's.
/// </summary>
public sealed class RetentionTests(ConsentJourneyFixture platform) : IClassFixture<ConsentJourneyFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task RevokedTokensAndAuthorizations_ArePruned_AfterTheirRetention_WhileWorkingOnesStay()
    {
        var before = await AuthorizationIdsAsync();
        await _wallet.AuthorisedTokensAsync();
        var afterFirst = await AuthorizationIdsAsync();
        await _wallet.AuthorisedTokensAsync();
        var ended = Assert.Single(afterFirst.Except(before));
        var working = Assert.Single((await AuthorizationIdsAsync()).Except(afterFirst));
        await using (var scope = platform.Identity.Services.CreateAsyncScope())
        {
            var authorizations = scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
            await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().RevokeByAuthorizationIdAsync(ended, _ct);
            Assert.True(await authorizations.TryRevokeAsync((await authorizations.FindByIdAsync(ended, _ct))!, _ct));
        }

        var clock = new Clock();
        var retention = Retention(clock);

        clock.Now = DateTimeOffset.UtcNow.AddDays(13);
        await retention.RunOnceAsync(_ct);
        Assert.NotEqual(0, await TokenCountAsync(ended));

        clock.Now = DateTimeOffset.UtcNow.AddDays(15);
        var counts = await retention.RunOnceAsync(_ct);

        Assert.Equal(0, await TokenCountAsync(ended));
        Assert.False(await AuthorizationExistsAsync(ended));
        Assert.True(counts["tokens"] > 0);
        // The other consent's refresh token still works, so neither it nor its authorization goes.
        Assert.NotEqual(0, await TokenCountAsync(working));
        Assert.True(await AuthorizationExistsAsync(working));
    }

    [Fact]
    public async Task MailFiles_AreDeletedAfterAWeek()
    {
        var drop = platform.Identity.Services.GetRequiredService<MailDrop>();
        Directory.CreateDirectory(drop.Directory);
        var now = DateTimeOffset.UtcNow;
        var old = Path.Combine(drop.Directory, $"{now.AddDays(-8).UtcDateTime:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}.json");
        var recent = Path.Combine(drop.Directory, $"{now.AddDays(-6).UtcDateTime:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(old, "{}", _ct);
        await File.WriteAllTextAsync(recent, "{}", _ct);

        var counts = await Retention(new Clock { Now = now }).RunOnceAsync(_ct);

        Assert.False(File.Exists(old));
        Assert.True(File.Exists(recent));
        Assert.True(counts["mail files"] >= 1);
    }

    private IdentityRetention Retention(TimeProvider clock) => new(
        platform.Identity.Services.GetRequiredService<IServiceScopeFactory>(), platform.Identity.Services.GetRequiredService<MailDrop>(), clock,
        Options.Create(new IdentityRetentionOptions()), NullLogger<IdentityRetention>.Instance);

    /// <summary>The authorizations that have tokens.</summary>
    private async Task<HashSet<string>> AuthorizationIdsAsync()
    {
        await using var scope = platform.Identity.Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var token in tokens.ListAsync(count: null, offset: null, _ct))
        {
            if (await tokens.GetAuthorizationIdAsync(token, _ct) is { } id)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private async Task<int> TokenCountAsync(string authorizationId)
    {
        await using var scope = platform.Identity.Services.CreateAsyncScope();
        var count = 0;
        await foreach (var _ in scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().FindByAuthorizationIdAsync(authorizationId, _ct))
        {
            count++;
        }

        return count;
    }

    private async Task<bool> AuthorizationExistsAsync(string id)
    {
        await using var scope = platform.Identity.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().FindByIdAsync(id, _ct) is not null;
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
