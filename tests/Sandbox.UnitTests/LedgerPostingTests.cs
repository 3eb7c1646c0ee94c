using OpenBanking.Sandbox.Ledger;

namespace OpenBanking.Sandbox.UnitTests;

public sealed class LedgerPostingTests
{
    [Fact]
    public void Posting_ThatDoesNotBalance_CannotBeBuilt()
        => Assert.Throws<ArgumentException>(() => Posting.Create("p", PostingKinds.PaymentDebit, "GBP", new PostingLine("a", -100), new PostingLine("b", 99)));

    [Fact]
    public void Posting_WithOneLineOrAZeroLine_CannotBeBuilt()
    {
        Assert.Throws<ArgumentException>(() => Posting.Create("p", PostingKinds.PaymentDebit, "GBP", new PostingLine("a", 0)));
        Assert.Throws<ArgumentException>(() => Posting.Create("p", PostingKinds.PaymentDebit, "GBP", new PostingLine("a", 0), new PostingLine("b", 0)));
    }

    [Fact]
    public void Posting_WhoseSumOverflows_IsRefused_NotWrapped()
        => Assert.Throws<OverflowException>(() => Posting.Create("p", PostingKinds.Opening, "GBP",
            new PostingLine("a", long.MaxValue), new PostingLine("b", long.MaxValue), new PostingLine("c", 2)));

    [Fact]
    public void PaymentDebit_MovesMoneyFromThePayerIntoClearing()
    {
        var posting = Posting.PaymentDebit("dp-1", "acc-1", "GBP", 1234);
        Assert.Equal([new PostingLine("acc-1", -1234), new PostingLine(LedgerAccounts.Clearing("GBP"), 1234)], posting.Lines);
        Assert.Equal(0, posting.Lines.Sum(l => l.AmountMinor));
    }

    [Fact]
    public void Settlement_PaysTheInternalPayee_OrTheSettlementAccount()
    {
        Assert.Equal("acc-2", Posting.PaymentSettlement("dp-1", "acc-2", "EUR", 5).Lines[1].LedgerAccount);
        Assert.Equal(LedgerAccounts.Settlement("EUR"), Posting.PaymentSettlement("dp-1", null, "EUR", 5).Lines[1].LedgerAccount);
    }

    [Fact]
    public void Reversal_IsTheOppositeLines_UnderANewId_LeavingTheOriginal()
    {
        var debit = Posting.PaymentDebit("dp-1", "acc-1", "GBP", 700);
        var reversal = debit.Reversal();
        Assert.NotEqual(debit.Id, reversal.Id);
        Assert.Equal(PostingKinds.Reversal, reversal.Kind);
        Assert.Equal(debit.Lines.Select(l => -l.AmountMinor), reversal.Lines.Select(l => l.AmountMinor));
        Assert.Equal(-700, debit.Lines[0].AmountMinor);
        // Together they leave every account where it was.
        Assert.All(debit.Lines.Concat(reversal.Lines).GroupBy(l => l.LedgerAccount), g => Assert.Equal(0, g.Sum(l => l.AmountMinor)));
    }

    [Fact]
    public void Opening_BooksTheBalanceAgainstEquity_AndNothingForZero()
    {
        var opening = Posting.Opening("acc-1", "USD", -250)!;
        Assert.Equal([new PostingLine("acc-1", -250), new PostingLine(LedgerAccounts.Equity("USD"), 250)], opening.Lines);
        Assert.Null(Posting.Opening("acc-1", "USD", 0));
    }

    [Fact]
    public void PaymentsMoveOnlyPositiveAmounts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Posting.PaymentDebit("dp", "a", "GBP", -5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Posting.PaymentSettlement("dp", "a", "GBP", 0));
    }

    [Theory]
    [InlineData(1000, 0, 1000, true)]
    [InlineData(1000, 0, 1001, false)]
    [InlineData(-400, 500, 100, true)]
    [InlineData(-400, 500, 101, false)]
    [InlineData(-600, 500, 1, false)]
    [InlineData(100, 0, 0, false)]
    public void Overdraft_AllowsDebitsOnlyWithinTheLimit(long balance, long limit, long debit, bool allowed)
        => Assert.Equal(allowed, Overdraft.Allows(balance, limit, debit));
}
