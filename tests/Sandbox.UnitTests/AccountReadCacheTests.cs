using OpenBanking.Sandbox.Accounts;
using OpenBanking.Sandbox.Consents;

namespace OpenBanking.Sandbox.UnitTests;

public sealed class AccountReadCacheTests
{
    [Fact]
    public void ValueReadBeforeAnInvalidation_IsNotKept()
    {
        var cache = new PendingDebitsCache();
        var generation = cache.Generation;

        cache.Invalidate(["acc-1"]); // a change commits while the read is under way
        cache.Add("acc-1", 500, generation);

        Assert.False(cache.TryGet("acc-1", out _));
    }

    [Fact]
    public void ValueReadWithNoChangeSince_IsKept_UntilInvalidated()
    {
        var cache = new PendingDebitsCache();
        cache.Add("acc-1", 500, cache.Generation);
        Assert.True(cache.TryGet("acc-1", out var kept));

        cache.Invalidate(["acc-1"]);

        Assert.Equal(500, kept);
        Assert.False(cache.TryGet("acc-1", out _));
    }

    [Fact]
    public void InvalidateAll_ForgetsEveryEntry()
    {
        var cache = new PendingDebitsCache();
        cache.Add("acc-1", 1, cache.Generation);
        cache.Add("acc-2", 2, cache.Generation);

        cache.InvalidateAll();

        Assert.False(cache.TryGet("acc-1", out _));
        Assert.False(cache.TryGet("acc-2", out _));
    }
}

public sealed class AccountAccessPermissionTests
{
    [Fact]
    public void EveryPermissionCode_ParsesToOneFlag_AndBack()
    {
        foreach (var code in AccountAccessPermissions.All)
        {
            Assert.True(AccountAccessPermissions.TryParse(code, out var permission));
            Assert.True(System.Numerics.BitOperations.IsPow2((int)permission));
            Assert.Equal(code, AccountAccessPermissions.Name(permission));
        }
    }

    [Fact]
    public void Parse_IgnoresUnknownCodes()
        => Assert.Equal(AccountAccessPermission.ReadBalances | AccountAccessPermission.ReadPAN,
            AccountAccessPermissions.Parse(["ReadBalances", "ReadNothing", "ReadPAN"]));
}
