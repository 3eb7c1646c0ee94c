using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.Pipeline;

namespace OpenBanking.Sandbox.UnitTests.Payments;

public sealed class ScreenRiskTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Check_AnOrdinaryPaymentToANewPayee_IsAcceptedWithItsReasonRecorded()
    {
        await using var database = await PaymentsDatabase.CreateAsync();
        var payment = await ScreenedAsync(database, await database.AuthorisedConsentAsync());

        Assert.Equal(RiskDecision.Accept, payment.RequireAssessment().Decision);
        Assert.Equal(15, payment.RequirePayment().RiskScore);
        Assert.StartsWith("NewPayee", payment.RequirePayment().RiskReasons, StringComparison.Ordinal);
        Assert.Null(payment.RequirePayment().Scenario);
    }

    [Fact]
    public async Task Check_TheRiskRejectionScenarioPayee_IsRejected()
    {
        await using var database = await PaymentsDatabase.CreateAsync();
        var consent = await database.AuthorisedConsentAsync();
        var payment = database.Payment(consent.Id);
        await using var db = database.Context();
        await new CheckAndConsumeConsent(db, new NoFaultsHere()).CheckAsync(payment, Ct);
        payment.RequirePayment().CreditorName = "Risky Payee Ltd";

        await Step(database, db).CheckAsync(payment, Ct);

        Assert.Equal((RiskDecision.Reject, Scenario.RiskRejection, "RiskRejection"),
            (payment.RequireAssessment().Decision, payment.Scenario, payment.RequirePayment().Scenario));
    }

    [Fact]
    public async Task Committed_PaymentsCountTowardsTheirPayersVelocity_AtOnce()
    {
        await using var database = await PaymentsDatabase.CreateAsync();
        var cache = new RiskProfileCache();
        await using var db = database.Context();
        var step = new ScreenRisk(new RiskProfiles(db, cache, FixedClock.At(database.Now)), database.Options, TimeProvider.System);
        var consent = await database.AuthorisedConsentAsync();
        for (var i = 0; i < database.Options.Value.Velocity.PerTenMinutes; i++)
        {
            var made = database.Payment(consent.Id, "key-" + i);
            await new CheckAndConsumeConsent(db, new NoFaultsHere()).CheckAsync(made, Ct);
            await step.CheckAsync(made, Ct);
            Assert.DoesNotContain("Velocity", made.RequirePayment().RiskReasons, StringComparison.Ordinal);
            step.Committed(made);
        }

        var next = database.Payment(consent.Id, "key-next");
        await new CheckAndConsumeConsent(db, new NoFaultsHere()).CheckAsync(next, Ct);
        await step.CheckAsync(next, Ct);

        Assert.Contains("Velocity: 10 payments in 10 minutes", next.RequirePayment().RiskReasons, StringComparison.Ordinal);
    }

    private static async Task<PaymentContext> ScreenedAsync(PaymentsDatabase database, DomesticPaymentConsent consent)
    {
        var payment = database.Payment(consent.Id);
        await using var db = database.Context();
        await new CheckAndConsumeConsent(db, new NoFaultsHere()).CheckAsync(payment, Ct);
        await Step(database, db).CheckAsync(payment, Ct);
        return payment;
    }

    private static ScreenRisk Step(PaymentsDatabase database, Sandbox.Infrastructure.SandboxDbContext db)
        => new(new RiskProfiles(db, new RiskProfileCache(), FixedClock.At(database.Now)), database.Options, TimeProvider.System);
}
