using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.Pipeline;

namespace OpenBanking.Sandbox.UnitTests.Payments;

public sealed class ScheduleSettlementTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Apply_ADebitedPayment_IsRecordedAndDueForSettlementAfterTheAcceptDelay()
    {
        await using var database = await PaymentsDatabase.CreateAsync();
        var payment = database.Payment("pdc-1");
        payment.Payment = TestPayments.New(database, "pdc-1");
        payment.Payment.Debited = true;
        payment.Assessment = new RiskAssessment(15, ["NewPayee (+15)"]);
        await using var db = database.Context();

        await new ScheduleSettlement(database.Options).ApplyAsync(payment, db, Ct);
        await db.SaveChangesAsync(Ct);

        Assert.Equal(database.Now + database.Options.Value.AcceptAfter, payment.Payment.NextActionAt);
        var change = await db.PaymentStatusChanges.AsNoTracking().SingleAsync(c => c.PaymentId == payment.Payment.Id, Ct);
        Assert.Equal(PaymentStatus.Pending, change.Status);
        Assert.StartsWith("Accepted for settlement. Risk score 15/100", change.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Schedule_TheSlowSettlementScenario_WaitsLonger_AndAnUndebitedPaymentWaitsForNothing()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new PaymentOptions());
        var now = DateTime.UtcNow;
        var slow = new DomesticPayment { Id = "dp-1", ClientId = "c", ConsentId = "pdc", CustomerId = "c", DebtorAccountId = "a", Currency = "GBP", CreditorName = "n", CreditorIdentification = "i", RiskReasons = "", Debited = true, Scenario = nameof(Scenario.SlowSettlement) };
        var rejected = new DomesticPayment { Id = "dp-2", ClientId = "c", ConsentId = "pdc", CustomerId = "c", DebtorAccountId = "a", Currency = "GBP", CreditorName = "n", CreditorIdentification = "i", RiskReasons = "", Debited = false, NextActionAt = now };

        new ScheduleSettlement(options).Schedule(slow, now);
        new ScheduleSettlement(options).Schedule(rejected, now);

        Assert.Equal(now + options.Value.AcceptAfter * options.Value.SlowFactor, slow.NextActionAt);
        Assert.Null(rejected.NextActionAt);
    }
}
