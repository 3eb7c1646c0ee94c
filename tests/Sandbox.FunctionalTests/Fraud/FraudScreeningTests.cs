using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Fraud;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.FunctionalTests.Fraud;

/// <summary>The fraud model beside the rules, through the real payment API (docs/fraud.md).</summary>
public sealed class FraudScreeningTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly PaymentsClient _payments = new(factory);

    [Fact]
    public async Task Payment_IsScoredByTheShippedModel_AndItsScreeningRecordsRulesModelAndDecision()
    {
        var (id, payment) = await PayAsync("12.34");

        var screening = await ScreeningAsync(_payments, id);
        Assert.Equal("v1", screening.ModelVersion);
        Assert.InRange(screening.ModelScore!.Value, 0, 1);
        Assert.Equal(RiskDecision.Accept, screening.Decision);
        Assert.Equal(payment.RiskReasons, screening.Reasons);
        Assert.Contains("Model v1: ", screening.Reasons, StringComparison.Ordinal);
        Assert.Equal((PaymentStatus.Pending, true), (payment.Status, payment.Debited));
    }

    [Fact]
    public async Task RunOfOrdinaryPayments_ToOneKnownPayee_IsAccepted()
    {
        // A partner's tests (and a customer paying a trader in parts) make many ordinary payments in a row.
        foreach (var amount in new[] { "4.20", "15.00", "7.85", "22.40", "3.99", "11.11", "18.75", "6.50", "9.00", "13.37" })
        {
            var (id, payment) = await PayAsync(amount);
            Assert.True(payment is { Status: PaymentStatus.Pending, Debited: true }, $"{amount}: {payment.Status} {payment.StatusReason} — {payment.RiskReasons}");
            Assert.Equal(RiskDecision.Accept, (await ScreeningAsync(_payments, id)).Decision);
        }
    }

    [Fact]
    public async Task DrainingTheAccountIntoANewPayee_IsHeld_WithTheModelsReasonsInWords()
    {
        var account = await _payments.AccountAsync("carol");
        var accountId = account.GetProperty("AccountId").GetString()!;
        var available = await _payments.WithDbAsync(db => db.Accounts.Where(a => a.Id == accountId).Select(a => a.BookedBalanceMinor + a.CreditLimitMinor).SingleAsync(Ct));
        var amount = (available * 95 / 100 / 100).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".00";

        var (id, payment) = await PayAsync(amount, "carol", "Quick Cash Holdings", "60161331926819", accountId);

        var screening = await ScreeningAsync(_payments, id);
        Assert.NotEqual(RiskDecision.Accept, screening.Decision);
        Assert.False(payment.Debited);
        // The model alone would hold it (its probability is past its review threshold).
        var review = factory.Services.GetRequiredService<FraudModel>().Thresholds.Review;
        Assert.True(screening.ModelScore >= review, $"model {screening.ModelScore} (review from {review}): {screening.Reasons}");
        Assert.Matches(@"Model v1: .*(amount \d+× usual|takes 95% of the available balance|first payment to a new payee)", screening.Reasons);
        Assert.Matches(@"Model v1: \d+\.\d% likely fraud \(\+\d+\): ", payment.RiskReasons);
    }

    [Theory]
    [InlineData("9.93", RiskDecision.Review, 55)]
    [InlineData("9.92", RiskDecision.Reject, 95)]
    public async Task ScenarioTriggers_DecideExactlyAsTheRulesSay_WhateverTheModelThinks(string amount, RiskDecision decision, int score)
    {
        var (id, payment) = await PayAsync(amount);

        var screening = await ScreeningAsync(_payments, id);
        Assert.Equal((decision, score, score), (screening.Decision, screening.Score, payment.RiskScore));
        Assert.NotNull(screening.ModelScore);
    }

    [Fact]
    public async Task Health_IsHealthy_AndTheStatusShowsTheLoadedModel()
    {
        using var client = factory.CreateClient();

        Assert.Equal("Healthy", await client.GetStringAsync("/health", Ct));
        var status = factory.Services.GetRequiredService<IFraudModelStatus>().Current;
        Assert.True(status.Loaded);
        Assert.Equal("v1", status.Version);
        Assert.NotNull(status.Evaluation);
    }

    [Fact]
    public async Task BrokenModel_HealthIsDegraded_AndPaymentsGoOnScreenedByTheRulesAlone()
    {
        await using var broken = new SandboxFactory();
        broken.WithSetting("Sandbox:Fraud:ModelPath", Path.Combine(Path.GetTempPath(), "no-such-dir", "fraud-model-v1.zip"));
        var payments = new PaymentsClient(broken);
        using var client = broken.CreateClient();

        var health = await client.GetAsync("/health", Ct);
        Assert.Equal((HttpStatusCode.OK, "Degraded"), (health.StatusCode, await health.Content.ReadAsStringAsync(Ct)));
        var status = broken.Services.GetRequiredService<IFraudModelStatus>().Current;
        Assert.False(status.Loaded);
        Assert.Contains("rules decide alone", status.FallbackReason, StringComparison.Ordinal);

        var (consentId, token, initiation, _) = await payments.AuthorisedAsync(amount: "12.34");
        var (code, text, body) = await payments.SubmitAsync(token, consentId, initiation);
        Assert.True(code == HttpStatusCode.Created, text);
        var screening = await ScreeningAsync(payments, body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!);
        Assert.Equal((null, null, RiskDecision.Accept), (screening.ModelScore, screening.ModelVersion, screening.Decision));
        Assert.Equal(screening.RuleScore, screening.Score);
        Assert.DoesNotContain("Model", screening.Reasons, StringComparison.Ordinal);
    }

    private async Task<(string Id, DomesticPayment Payment)> PayAsync(
        string amount, string username = "alice", string creditorName = "Jane Smith", string creditorIdentification = "20000012345678", string? accountId = null)
    {
        var (consentId, token, initiation, _) = await _payments.AuthorisedAsync(username, amount, creditorName, creditorIdentification, accountId: accountId);
        var (status, text, body) = await _payments.SubmitAsync(token, consentId, initiation);
        Assert.True(status == HttpStatusCode.Created, text);
        var id = body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;
        return (id, await _payments.WithDbAsync(db => db.DomesticPayments.AsNoTracking().SingleAsync(p => p.Id == id, Ct)));
    }

    private static Task<PaymentScreening> ScreeningAsync(PaymentsClient payments, string paymentId)
        => payments.WithDbAsync(db => db.PaymentScreenings.AsNoTracking().SingleAsync(s => s.PaymentId == paymentId, Ct));
}
