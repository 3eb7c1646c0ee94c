using OpenBanking.Sandbox.Fraud;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.UnitTests.Fraud;

public sealed class FraudEngineTests
{
    private static readonly FraudThresholds Thresholds = new(Review: 0.1, Reject: 0.6, ClearBelow: 0.01);

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.05, 20)]
    [InlineData(0.1, 40)]
    [InlineData(0.35, 55)]
    [InlineData(0.6, 70)]
    [InlineData(1.0, 100)]
    public void ModelPoints_PutTheProbabilityOnTheRulesScale(double probability, int points)
        => Assert.Equal(points, FraudEngine.ModelPoints(probability, Thresholds));

    [Fact]
    public void Combine_TheHigherScoreDecides()
    {
        Assert.Equal((RiskDecision.Review, 40), Decide(15, 0.1));
        Assert.Equal((RiskDecision.Reject, 100), Decide(15, 1.0));
        Assert.Equal((RiskDecision.Accept, 15), Decide(15, 0.02));
    }

    [Fact]
    public void Combine_ASoftRulesHold_IsLiftedWhenTheModelIsSureItIsGenuine()
    {
        var lifted = FraudEngine.Combine(50, 0.001, Thresholds);

        Assert.Equal((RiskDecision.Accept, 39, true), (lifted.Decision, lifted.Score, lifted.Cleared));
        Assert.Equal(RiskDecision.Review, FraudEngine.Combine(50, 0.05, Thresholds).Decision);
    }

    [Fact]
    public void Combine_RulesRejectionsAndScenarioOrScreeningVerdicts_AlwaysStand()
    {
        Assert.Equal(RiskDecision.Reject, FraudEngine.Combine(75, 0.0, Thresholds).Decision);
        Assert.Equal((RiskDecision.Review, 55), Decided(FraudEngine.Combine(55, 0.0, Thresholds, rulesFinal: true)));
        Assert.Equal((RiskDecision.Accept, 0), Decided(FraudEngine.Combine(0, 1.0, Thresholds, rulesFinal: true)));
    }

    [Fact]
    public void Combine_WithClearingOff_NeverLowersTheRules()
        => Assert.Equal(RiskDecision.Review, FraudEngine.Combine(50, 0.0, Thresholds with { ClearBelow = 0 }).Decision);

    private static (RiskDecision, int) Decide(int rules, double p) => Decided(FraudEngine.Combine(rules, p, Thresholds));

    private static (RiskDecision, int) Decided(CombinedScore score) => (score.Decision, score.Score);
}
