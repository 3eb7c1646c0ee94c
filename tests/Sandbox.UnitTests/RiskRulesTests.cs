using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.UnitTests;

public sealed class RiskRulesTests
{
    private static readonly RiskHistory Usual = new(DebitCount: 200, MeanDebitMinor: 3_000, StdDevDebitMinor: 1_500,
        PaymentsLast10Minutes: 0, PaymentsLastHour: 0, KnownPayee: true, UsualCurrency: "GBP");

    [Fact]
    public void OrdinaryPayment_ToAKnownPayee_InTheDay_ScoresZero()
    {
        var risk = RiskRules.Assess(2_500, "GBP", 14, Usual);
        Assert.Equal(0, risk.Score);
        Assert.Equal(RiskDecision.Accept, risk.Decision);
    }

    [Fact]
    public void AmountFarAboveTheCustomersUsual_IsHeldWithANewPayee()
    {
        var risk = RiskRules.Assess(50_000, "GBP", 14, Usual with { KnownPayee = false });
        Assert.Equal(50, risk.Score);
        Assert.Equal(RiskDecision.Review, risk.Decision);
        Assert.Contains(risk.Reasons, r => r.StartsWith("AmountFarAboveUsual", StringComparison.Ordinal));
    }

    [Fact]
    public void AmountAboveUsual_ButWithinTheCustomersSpread_IsNotFlagged()
        => Assert.Equal(0, RiskRules.Assess(8_000, "GBP", 14, Usual).Score);

    [Fact]
    public void WithoutHistory_OnlyLargeAmountsCount()
    {
        var none = Usual with { DebitCount = 0, MeanDebitMinor = 0, StdDevDebitMinor = 0 };
        Assert.Equal(0, RiskRules.Assess(99_999, "GBP", 14, none).Score);
        Assert.Equal(25, RiskRules.Assess(100_000, "GBP", 14, none).Score);
    }

    [Fact]
    public void Velocity_UnusualHour_CrossCurrency_AddUp_ToARejection()
    {
        var busy = Usual with { PaymentsLast10Minutes = 12, PaymentsLastHour = 31, KnownPayee = false };
        var risk = RiskRules.Assess(2_000, "EUR", 3, busy);
        Assert.Equal(25 + 20 + 15 + 10 + 10, risk.Score);
        Assert.Equal(RiskDecision.Reject, risk.Decision);
        Assert.Equal(5, risk.Reasons.Count);
    }

    [Fact]
    public void VelocityLimits_AreConfigurable()
    {
        var busy = Usual with { PaymentsLast10Minutes = 12 };
        Assert.Equal(25, RiskRules.Assess(2_000, "GBP", 14, busy).Score);
        Assert.Equal(0, RiskRules.Assess(2_000, "GBP", 14, busy, velocity: new VelocityLimits { PerTenMinutes = 100 }).Score);
    }

    [Fact]
    public void VeryLargeAmount_AddsOnItsOwn()
        => Assert.Contains(RiskRules.Assess(RiskRules.LargeAmountMinor, "GBP", 14, Usual with { MeanDebitMinor = 1_000_000, StdDevDebitMinor = 1_000_000 }).Reasons,
            r => r.StartsWith("VeryLargeAmount", StringComparison.Ordinal));

    [Fact]
    public void ScoreIsCappedAt100()
        => Assert.Equal(100, RiskRules.Assess(RiskRules.LargeAmountMinor * 10, "EUR", 2,
            Usual with { PaymentsLast10Minutes = 50, PaymentsLastHour = 50, KnownPayee = false }).Score);

    [Theory]
    [InlineData(Scenario.RiskRejection, RiskDecision.Reject)]
    [InlineData(Scenario.HeldForReview, RiskDecision.Review)]
    [InlineData(Scenario.SlowSettlement, RiskDecision.Accept)]
    public void ScenarioTriggers_ForceTheirOutcome(Scenario scenario, RiskDecision decision)
        => Assert.Equal(decision, RiskRules.Assess(1_000, "GBP", 14, Usual, scenario).Decision);

    [Theory]
    [InlineData(991, "Jane", Scenario.InsufficientFunds)]
    [InlineData(995, "Jane", Scenario.SettlementFailure)]
    [InlineData(1000, " risky payee ltd ", Scenario.RiskRejection)]
    [InlineData(1000, "Slow Payee Ltd", Scenario.SlowSettlement)]
    [InlineData(99_100, "Jane", Scenario.None)]
    public void Scenarios_MatchByAmountOrPayeeName(long amountMinor, string name, Scenario expected)
        => Assert.Equal(expected, Scenarios.Match(amountMinor, name));
}
