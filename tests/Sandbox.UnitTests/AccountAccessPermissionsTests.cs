using OpenBanking.Sandbox.Consents;

namespace OpenBanking.Sandbox.UnitTests;

public sealed class AccountAccessPermissionsTests
{
    [Theory]
    [InlineData("ReadAccountsBasic")]
    [InlineData("ReadAccountsBasic ReadAccountsDetail")]
    [InlineData("ReadAccountsDetail ReadTransactionsBasic ReadTransactionsCredits")]
    [InlineData("ReadAccountsDetail ReadTransactionsDetail ReadTransactionsDebits")]
    public void ValidCombinations_HaveNoProblems(string permissions)
        => Assert.Empty(AccountAccessPermissions.CombinationProblems(permissions.Split(' ')));

    [Theory]
    [InlineData("ReadBalances")]
    [InlineData("ReadAccountsBasic ReadTransactionsBasic")]
    [InlineData("ReadAccountsBasic ReadTransactionsCredits")]
    public void InvalidCombinations_AreReported(string permissions)
        => Assert.NotEmpty(AccountAccessPermissions.CombinationProblems(permissions.Split(' ')));

    [Fact]
    public void TheSpecificationsTwentyOnePermissions_AreKnown()
        => Assert.Equal(21, AccountAccessPermissions.All.Count);
}
