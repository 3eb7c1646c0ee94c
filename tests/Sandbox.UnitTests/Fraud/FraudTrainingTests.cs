using OpenBanking.Sandbox.Fraud;
using OpenBanking.Sandbox.Fraud.Training;

namespace OpenBanking.Sandbox.UnitTests.Fraud;

public sealed class FraudTrainingTests
{
    [Fact]
    public void Generator_IsReproducible_AndFraudIsRareButPresentInEveryScenario()
    {
        var first = new FraudDataGenerator(7).Generate(300);
        var again = new FraudDataGenerator(7).Generate(300);
        var many = new FraudDataGenerator(8) { EpisodeRate = 0.5 }.Generate(200);

        Assert.Equal(first.Count, again.Count);
        Assert.True(first.Zip(again).All(p => p.First.IsFraud == p.Second.IsFraud && p.First.Features.SequenceEqual(p.Second.Features)));
        Assert.InRange(first.Count(s => s.IsFraud) / (double)first.Count, 0.0, 0.01);
        Assert.Equal(["account-takeover", "app-scam", "card-testing", "genuine", "mule"], many.Select(s => s.Scenario).Distinct().Order(StringComparer.Ordinal));
        Assert.All(many, s => Assert.Equal(s.Scenario != "genuine", s.IsFraud));
    }

    [Fact]
    public void Trainer_OnASmallSet_ReachesAnAucOfAtLeast095OnAHeldOutSetOfOtherSeeds()
    {
        // Small and quick: 800 customers with one fraud episode in ten, 60 boosting rounds.
        var training = new FraudDataGenerator(11) { EpisodeRate = 0.1 }.Generate(800);
        var heldOut = new FraudDataGenerator(12) { EpisodeRate = 0.1 }.Generate(400);

        var model = FraudModelTrainer.Train(training, seed: 11, iterations: 60);
        var evaluation = FraudModelTrainer.Evaluate(model, heldOut, "12");

        var byEngine = evaluation.Engines.ToDictionary(e => e.Engine);
        Assert.True(byEngine["model"].RocAuc >= 0.95, $"model AUC {byEngine["model"].RocAuc}");
        Assert.True(byEngine["combined"].Recall > byEngine["rules"].Recall, $"combined recall {byEngine["combined"].Recall} vs rules {byEngine["rules"].Recall}");
        Assert.True(evaluation.Frauds > 20, $"{evaluation.Frauds} frauds held out");
    }

    [Fact]
    public void RocAuc_IsTheChanceAFraudOutscoresAGenuinePayment()
    {
        Assert.Equal(1, FraudModelTrainer.RocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true]));
        Assert.Equal(0.5, FraudModelTrainer.RocAuc([0.5, 0.5, 0.5, 0.5], [false, true, false, true]));
        Assert.Equal(0.75, FraudModelTrainer.RocAuc([0.1, 0.6, 0.5, 0.9], [false, false, true, true]));
    }
}
