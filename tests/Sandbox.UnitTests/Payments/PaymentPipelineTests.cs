using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.Pipeline;
using OpenBanking.ServiceDefaults.Data;

namespace OpenBanking.Sandbox.UnitTests.Payments;

/// <summary>The steps composed: one transaction for all their writes, a repeat answered, a second payment refused.</summary>
public sealed class PaymentPipelineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_MakesThePayment_ConsumesTheConsent_AndDebitsThePayer()
    {
        await using var database = await PaymentsDatabase.CreateAsync(payerBalanceMinor: 10_000);
        var consent = await database.AuthorisedConsentAsync();

        var payment = await RunAsync(database, database.Payment(consent.Id));

        Assert.Null(payment.Repeated);
        await using var db = database.Context();
        var stored = await db.DomesticPayments.AsNoTracking().SingleAsync(p => p.ConsentId == consent.Id, Ct);
        Assert.Equal((PaymentStatus.Pending, true), (stored.Status, stored.Debited));
        Assert.Equal(PaymentConsentStatus.Consumed, await db.DomesticPaymentConsents.Where(c => c.Id == consent.Id).Select(c => c.Status).SingleAsync(Ct));
        Assert.Equal(8_750, await db.Accounts.Where(a => a.Id == database.Payer.Id).Select(a => a.BookedBalanceMinor).SingleAsync(Ct));
        Assert.True(await db.IdempotencyRecords.AnyAsync(r => r.ResourceId == stored.Id, Ct));
    }

    [Fact]
    public async Task Run_TheSameRequestAgain_AnswersWithTheFirstPayment_AndMovesNoMoreMoney()
    {
        await using var database = await PaymentsDatabase.CreateAsync(payerBalanceMinor: 10_000);
        var consent = await database.AuthorisedConsentAsync();
        var first = await RunAsync(database, database.Payment(consent.Id, "key-1"));

        var again = await RunAsync(database, database.Payment(consent.Id, "key-1"));

        Assert.Equal(first.RequirePayment().Id, again.Repeated?.Id);
        await using var db = database.Context();
        Assert.Equal(8_750, await db.Accounts.Where(a => a.Id == database.Payer.Id).Select(a => a.BookedBalanceMinor).SingleAsync(Ct));
    }

    [Fact]
    public async Task Run_ASecondPaymentUnderAConsumedConsent_IsRefusedForTheConsentStatus()
    {
        await using var database = await PaymentsDatabase.CreateAsync(payerBalanceMinor: 10_000);
        var consent = await database.AuthorisedConsentAsync();
        await RunAsync(database, database.Payment(consent.Id, "key-1"));

        var refused = await Assert.ThrowsAsync<ObieException>(() => RunAsync(database, database.Payment(consent.Id, "key-2")));

        Assert.Equal(ObieErrorCodes.ResourceInvalidConsentStatus, refused.Errors[0].ErrorCode);
    }

    [Fact]
    public async Task Run_AFailureInALaterStep_LeavesNothing()
    {
        await using var database = await PaymentsDatabase.CreateAsync(payerBalanceMinor: 10_000);
        var consent = await database.AuthorisedConsentAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(database, database.Payment(consent.Id), new FailAfter("account-debited")));

        await using var db = database.Context();
        Assert.Equal(PaymentConsentStatus.Authorised, await db.DomesticPaymentConsents.Where(c => c.Id == consent.Id).Select(c => c.Status).SingleAsync(Ct));
        Assert.Equal(10_000, await db.Accounts.Where(a => a.Id == database.Payer.Id).Select(a => a.BookedBalanceMinor).SingleAsync(Ct));
        Assert.False(await db.IdempotencyRecords.AnyAsync(Ct));
    }

    private static async Task<PaymentContext> RunAsync(PaymentsDatabase database, PaymentContext payment, IFaultInjector? faults = null)
    {
        faults ??= new NoFaultsHere();
        await using var db = database.Context();
        var clock = FixedClock.At(database.Now);
        // Without the group committer (as on SQL Server): the pipeline's own transaction on this context.
        using var services = new ServiceCollection().BuildServiceProvider();
        using var committer = new GroupCommitter(new DatabaseSettings(DatabaseProvider.SqlServer, string.Empty), services.GetRequiredService<IServiceScopeFactory>(), new ReusedStatements());
        var profiles = new RiskProfiles(db, new RiskProfileCache(), clock);
        var pipeline = new PaymentPipeline(db, new WriteTransaction(db, committer),
            new ClaimIdempotencyKey(db, faults), new AuthoriseCaller(), new CheckAndConsumeConsent(db, faults),
            new ScreenRisk(profiles, database.Options, TimeProvider.System), new PostToLedger(faults), new ScheduleSettlement(database.Options), faults);
        return await pipeline.RunAsync(payment, Ct);
    }

    private sealed class FailAfter(string step) : IFaultInjector
    {
        public void After(string at)
        {
            if (at == step)
            {
                throw new InvalidOperationException($"Injected failure after {at}.");
            }
        }
    }
}
