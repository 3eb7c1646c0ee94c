using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Fraud;

namespace OpenBanking.Sandbox.UnitTests.Fraud;

public sealed class FraudModelTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 3, 0, 0, DateTimeKind.Utc);

    private static FraudModel Load(string? path = null, bool enabled = true)
        => new(Options.Create(new FraudOptions { Enabled = enabled, ModelPath = path ?? new FraudOptions().ModelPath }), NullLogger<FraudModel>.Instance);

    [Fact]
    public void ShippedModel_LoadsWithItsVersionAndEvaluation()
    {
        var model = Load();

        Assert.True(model.Loaded, model.Current.FallbackReason);
        Assert.Equal("v1", model.Current.Version);
        Assert.Equal(["rules", "model", "combined"], model.Current.Evaluation!.Engines.Select(e => e.Engine));
        Assert.InRange(model.Thresholds.Review, 0.0001, model.Thresholds.Reject);
    }

    [Fact]
    public void ShippedModel_MeetsTheGoal_OnItsHeldOutSet()
    {
        var engines = Load().Current.Evaluation!.Engines.ToDictionary(e => e.Engine);

        Assert.True(engines["combined"].Recall >= 0.9, $"combined recall {engines["combined"].Recall}");
        Assert.True(engines["combined"].FalsePositiveRate <= 0.01, $"combined FPR {engines["combined"].FalsePositiveRate}");
        Assert.True(engines["combined"].Recall > engines["rules"].Recall && engines["combined"].FalsePositiveRate < engines["rules"].FalsePositiveRate);
    }

    [Fact]
    public void ShippedModel_HoldsAnAccountTakeover_AndSaysWhyInWords()
    {
        var history = new FraudHistory(180, 3_000, 1_500, 250_000, null, null, 0, 0, 0, 0, "GBP");
        var payment = new FraudPayment(240_000, "GBP", "60000112345678", Now, 3, Now.AddMinutes(-1), "PartyToParty", RuleScore: 60);

        var score = Load().Score(payment, history)!;

        Assert.True(score.Probability > 0.5, $"p = {score.Probability}");
        Assert.InRange(score.TopFeatures.Count, 1, 3);
        Assert.Contains(score.TopFeatures, r => r.StartsWith("amount 80× usual", StringComparison.Ordinal) || r.StartsWith("takes 96%", StringComparison.Ordinal)
            || r.StartsWith("sent at 03:00", StringComparison.Ordinal) || r == "first payment to a new payee");
    }

    [Fact]
    public void ShippedModel_AcceptsAnOrdinaryPaymentToAKnownPayee()
    {
        var history = new FraudHistory(180, 3_000, 1_500, 250_000, Now.AddDays(-200), null, 0, 1, 0, 0, "GBP");
        var payment = new FraudPayment(2_500, "GBP", "60000112345678", Now.AddHours(11), 14, Now.AddHours(11).AddMinutes(-1), "PartyToParty", RuleScore: 0);

        var model = Load();
        var score = model.Score(payment, history)!;

        Assert.True(score.Probability < model.Thresholds.Review, $"p = {score.Probability}");
    }

    [Fact]
    public void BrokenModelPath_FallsBackToTheRules_AndSaysWhy()
    {
        var missing = Load("/nonexistent/fraud-model-v9.zip");
        var corrupt = Path.Combine(Path.GetTempPath(), $"fraud-model-{Guid.NewGuid():N}.zip");
        File.WriteAllText(corrupt, "not a model");
        File.Copy(Path.ChangeExtension(Path.Combine(AppContext.BaseDirectory, new FraudOptions().ModelPath), ".json"), Path.ChangeExtension(corrupt, ".json"));
        var broken = Load(corrupt);

        Assert.All(new[] { missing, broken }, m =>
        {
            Assert.False(m.Loaded);
            Assert.False(m.Current.Loaded);
            Assert.Contains("rules decide alone", m.Current.FallbackReason, StringComparison.Ordinal);
            Assert.Null(m.Score(new FraudPayment(100, "GBP", "x", Now, 3, null, null, 0), new FraudHistory(0, 0, 0, 0, null, null, 0, 0, 0, 0, null)));
        });
    }

    [Fact]
    public void TurnedOff_TheRulesDecideAlone()
    {
        var off = Load(enabled: false);

        Assert.False(off.Loaded);
        Assert.Contains("turned off", off.Current.FallbackReason, StringComparison.Ordinal);
    }
}
