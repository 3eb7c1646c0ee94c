using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.Pipeline;

namespace OpenBanking.Sandbox.UnitTests.Payments;

public sealed class PostToLedgerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Apply_AnAcceptedPayment_DebitsThePayerIntoClearing_WithItsAccountTransaction()
    {
        await using var database = await PaymentsDatabase.CreateAsync(payerBalanceMinor: 10_000);
        var payment = await DecidedAsync(database, new RiskAssessment(0, []));

        Assert.Equal((PaymentStatus.Pending, true, null), (payment.Status, payment.Debited, payment.StatusReason));
        await using var db = database.Context();
        Assert.Equal(8_750, await db.Accounts.Where(a => a.Id == database.Payer.Id).Select(a => a.BookedBalanceMinor).SingleAsync(Ct));
        var lines = await db.LedgerEntries.Where(e => e.PaymentId == payment.Id).ToListAsync(Ct);
        Assert.Equal(0, lines.Sum(l => l.AmountMinor));
        Assert.Contains(lines, l => l.LedgerAccount == LedgerAccounts.Clearing("GBP") && l.AmountMinor == 1_250);
        Assert.Equal(8_750, await db.Transactions.Where(t => t.TransactionId == payment.Id).Select(t => t.BalanceAfterMinor).SingleAsync(Ct));
    }

    [Theory]
    [InlineData(RiskAssessment.ReviewFrom, PaymentStatus.Pending, PaymentStatusReasons.HeldForReview)]
    [InlineData(RiskAssessment.RejectFrom, PaymentStatus.Rejected, PaymentStatusReasons.RiskRejected)]
    public async Task Apply_APaymentHeldOrRejectedByRisk_MovesNoMoney(int score, PaymentStatus status, string reason)
    {
        await using var database = await PaymentsDatabase.CreateAsync(payerBalanceMinor: 10_000);
        var payment = await DecidedAsync(database, new RiskAssessment(score, ["test"]));

        Assert.Equal((status, reason, false), (payment.Status, payment.StatusReason, payment.Debited));
        await using var db = database.Context();
        Assert.Equal(10_000, await db.Accounts.Where(a => a.Id == database.Payer.Id).Select(a => a.BookedBalanceMinor).SingleAsync(Ct));
        Assert.False(await db.LedgerEntries.AnyAsync(Ct));
    }

    [Fact]
    public async Task Apply_BeyondTheArrangedLimit_RejectsForFunds_AndMovesNoMoney()
    {
        await using var database = await PaymentsDatabase.CreateAsync(payerBalanceMinor: 1_000);
        var payment = await DecidedAsync(database, new RiskAssessment(0, []));

        Assert.Equal((PaymentStatus.Rejected, PaymentStatusReasons.InsufficientFunds, false), (payment.Status, payment.StatusReason, payment.Debited));
        await using var db = database.Context();
        Assert.Equal(1_000, await db.Accounts.Where(a => a.Id == database.Payer.Id).Select(a => a.BookedBalanceMinor).SingleAsync(Ct));
    }

    private static async Task<DomesticPayment> DecidedAsync(PaymentsDatabase database, RiskAssessment assessment)
    {
        var consent = await database.AuthorisedConsentAsync();
        var payment = database.Payment(consent.Id);
        await using var db = database.Context();
        await new CheckAndConsumeConsent(db, new NoFaultsHere()).CheckAsync(payment, Ct);
        payment.Assessment = assessment;
        await using var transaction = await db.Database.BeginTransactionAsync(Ct);

        await new PostToLedger(new NoFaultsHere()).ApplyAsync(payment, db, Ct);

        await db.SaveChangesAsync(Ct);
        await transaction.CommitAsync(Ct);
        return payment.RequirePayment();
    }
}
