using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace OpenBanking.Sandbox.Fraud.Training;

/// <summary>What the model file's JSON sidecar says: version, provenance, features, thresholds and evaluation.</summary>
public sealed record FraudModelCard(
    string Version, DateTimeOffset TrainedAt, int TrainingSeed, int TrainingCustomers, int TrainingPayments, int TrainingFrauds,
    IReadOnlyList<string> Features, FraudThresholds Thresholds, FraudEvaluation Evaluation)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}

/// <summary>A trained model with its thresholds, ready to evaluate or save.</summary>
public sealed record TrainedFraudModel(MLContext Ml, ITransformer Model, DataViewSchema Schema, FraudThresholds Thresholds);

/// <summary>
/// Trains the LightGBM fraud model (ML.NET) on generated payments, picks its thresholds on a calibration share of the
/// training customers, and measures rules, model and combined engine on a held-out set (docs/fraud.md). Seeded and
/// single-threaded, so the same command gives the same model.
/// </summary>
public static class FraudModelTrainer
{
    /// <summary>The combined engine's false-positive budget on the calibration set (the goal is at most 1 % held-out).</summary>
    public const double TargetFalsePositiveRate = 0.006;

    /// <summary>How much recall (on the calibration set) the thresholds may give up to hold fewer genuine payments.</summary>
    public const double RecallTolerance = 0.01;

    public static TrainedFraudModel Train(IReadOnlyList<FraudSample> samples, int seed, int iterations = 200)
    {
        // The last fifth of the customers choose the thresholds; the model never sees them.
        var split = samples.Count == 0 ? 0 : samples[^1].Customer * 4 / 5;
        var train = samples.Where(s => s.Customer < split).ToList();
        var calibration = samples.Where(s => s.Customer >= split).ToList();

        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(train.Select(s => new FraudRow { Features = s.Features, Label = s.IsFraud }));
        var trainer = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfLeaves = 15,
            MinimumExampleCountPerLeaf = 10,
            LearningRate = 0.05,
            NumberOfIterations = iterations,
            NumberOfThreads = 1,
            Seed = seed,
            Silent = true,
            UnbalancedSets = false,
        });
        var scorer = trainer.Fit(data);
        var contributions = ml.Transforms.CalculateFeatureContribution(scorer, numberOfPositiveContributions: FraudFeatures.Count, numberOfNegativeContributions: 0)
            .Fit(scorer.Transform(data));
        ITransformer model = new TransformerChain<ITransformer>(scorer, contributions);

        var probabilities = Predict(ml, model, calibration);
        var thresholds = ChooseThresholds(calibration, probabilities);
        return new TrainedFraudModel(ml, model, data.Schema, thresholds);
    }

    public static double[] Predict(MLContext ml, ITransformer model, IReadOnlyList<FraudSample> samples)
    {
        var scored = model.Transform(ml.Data.LoadFromEnumerable(samples.Select(s => new FraudRow { Features = s.Features, Label = s.IsFraud })));
        return [.. scored.GetColumn<float>("Probability").Select(p => (double)p)];
    }

    /// <summary>
    /// Reject where one genuine payment in a thousand scores higher; then the review threshold and the level below
    /// which the model lifts the rules' soft holds that catch the most fraud while the combined engine stays within
    /// <see cref="TargetFalsePositiveRate"/> (a grid over quantiles of the genuine payments' probabilities).
    /// </summary>
    public static FraudThresholds ChooseThresholds(IReadOnlyList<FraudSample> calibration, IReadOnlyList<double> p)
    {
        var genuine = Enumerable.Range(0, calibration.Count).Where(i => !calibration[i].IsFraud).Select(i => p[i]).Order().ToArray();
        var heldByRules = Enumerable.Range(0, calibration.Count)
            .Where(i => !calibration[i].IsFraud && calibration[i].RuleScore is >= Payments.RiskAssessment.ReviewFrom and < Payments.RiskAssessment.RejectFrom)
            .Select(i => p[i]).Order().ToArray();
        if (genuine.Length == 0 || calibration.All(s => !s.IsFraud))
        {
            return new FraudThresholds(0.5, 0.9, 0);
        }

        var reject = Math.Max(Quantile(genuine, 0.999), 0.5);
        var candidates = new List<(FraudThresholds Thresholds, double Recall, double FalsePositiveRate)>();
        foreach (var q in new[] { 0.95, 0.96, 0.97, 0.98, 0.985, 0.99, 0.992, 0.994, 0.996, 0.998, 0.999 })
        {
            var review = Math.Min(Quantile(genuine, q), reject);
            foreach (var c in new[] { 0.0, 0.25, 0.5, 0.75, 0.9, 0.95 })
            {
                var clear = c == 0 || heldByRules.Length == 0 ? 0 : Math.Min(Quantile(heldByRules, c), review / 2);
                var t = new FraudThresholds(review, reject, clear);
                var rates = Rates(calibration, p, t);
                if (rates.FalsePositiveRate <= TargetFalsePositiveRate)
                {
                    candidates.Add((t, rates.Recall, rates.FalsePositiveRate));
                }
            }
        }

        // Of the thresholds that catch (within a point) the most fraud, the one that holds the fewest genuine payments:
        // a partner's ordinary test payments should not be held for a fraction of a point of recall.
        FraudThresholds? best = null;
        if (candidates.Count > 0)
        {
            var most = candidates.Max(x => x.Recall);
            best = candidates.Where(x => x.Recall >= most - RecallTolerance)
                .OrderBy(x => x.FalsePositiveRate).ThenByDescending(x => x.Recall).ThenByDescending(x => x.Thresholds.Review)
                .First().Thresholds;
        }

        return best ?? new FraudThresholds(reject, reject, 0);
    }

    /// <summary>The three engines' figures on a held-out set: rules alone (score ≥ 40), the model alone (≥ review threshold), combined.</summary>
    public static FraudEvaluation Evaluate(TrainedFraudModel model, IReadOnlyList<FraudSample> heldOut, string seeds)
    {
        var p = Predict(model.Ml, model.Model, heldOut);
        var labels = heldOut.Select(s => s.IsFraud).ToArray();
        var rules = heldOut.Select(s => (double)s.RuleScore).ToArray();
        var combined = Enumerable.Range(0, heldOut.Count).Select(i => (double)FraudEngine.Combine(heldOut[i].RuleScore, p[i], model.Thresholds).Score).ToArray();
        return new FraudEvaluation(heldOut.Count, labels.Count(l => l), seeds,
        [
            Row("rules", rules, labels, Payments.RiskAssessment.ReviewFrom),
            Row("model", p, labels, model.Thresholds.Review),
            Row("combined", combined, labels, Payments.RiskAssessment.ReviewFrom),
        ]);
    }

    /// <summary>Per scenario (genuine and each fraud type): payments, and the share each engine flags.</summary>
    public static IReadOnlyList<(string Scenario, int Payments, double Rules, double Model, double Combined)> Breakdown(TrainedFraudModel model, IReadOnlyList<FraudSample> samples)
    {
        var p = Predict(model.Ml, model.Model, samples);
        return [.. Enumerable.Range(0, samples.Count).GroupBy(i => samples[i].Scenario).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (
            g.Key, g.Count(),
            g.Average(i => samples[i].RuleScore >= Payments.RiskAssessment.ReviewFrom ? 1.0 : 0),
            g.Average(i => p[i] >= model.Thresholds.Review ? 1.0 : 0),
            g.Average(i => FraudEngine.Combine(samples[i].RuleScore, p[i], model.Thresholds).Score >= Payments.RiskAssessment.ReviewFrom ? 1.0 : 0)))];
    }

    public static (string Model, string Card) Save(TrainedFraudModel model, string directory, FraudModelCard card)
    {
        Directory.CreateDirectory(directory);
        var modelPath = Path.Combine(directory, $"fraud-model-{card.Version}.zip");
        var cardPath = Path.ChangeExtension(modelPath, ".json");
        model.Ml.Model.Save(model.Model, model.Schema, modelPath);
        File.WriteAllText(cardPath, JsonSerializer.Serialize(card, FraudModelCard.Json) + Environment.NewLine);
        return (modelPath, cardPath);
    }

    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        // Mann–Whitney: the chance a random fraud scores above a random genuine payment (ties count half).
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positives = labels.Count(l => l), negatives = labels.Count - positives, rankSum = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j < order.Length && scores[order[j]] == scores[order[i]])
            {
                j++;
            }

            var rank = (i + j + 1) / 2.0;
            for (var k = i; k < j; k++)
            {
                rankSum += labels[order[k]] ? rank : 0;
            }

            i = j;
        }

        return positives == 0 || negatives == 0 ? 0.5 : (rankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }

    private static FraudEvaluationRow Row(string engine, double[] scores, bool[] labels, double threshold)
    {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var flagged = scores[i] >= threshold;
            _ = (flagged, labels[i]) switch
            {
                (true, true) => tp++,
                (true, false) => fp++,
                (false, true) => fn++,
                _ => tn++,
            };
        }

        return new FraudEvaluationRow(engine, Math.Round(RocAuc(scores, labels), 4), Math.Round(threshold, 4),
            Math.Round(tp + fp == 0 ? 0 : tp / (double)(tp + fp), 4), Math.Round(tp + fn == 0 ? 0 : tp / (double)(tp + fn), 4),
            Math.Round(fp + tn == 0 ? 0 : fp / (double)(fp + tn), 5));
    }

    private static (double Recall, double FalsePositiveRate) Rates(IReadOnlyList<FraudSample> samples, IReadOnlyList<double> p, FraudThresholds t)
    {
        int tp = 0, fp = 0, positives = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            var flagged = FraudEngine.Combine(samples[i].RuleScore, p[i], t).Score >= Payments.RiskAssessment.ReviewFrom;
            positives += samples[i].IsFraud ? 1 : 0;
            tp += flagged && samples[i].IsFraud ? 1 : 0;
            fp += flagged && !samples[i].IsFraud ? 1 : 0;
        }

        return (positives == 0 ? 0 : tp / (double)positives, fp / (double)Math.Max(1, samples.Count - positives));
    }

    private static double Quantile(double[] sorted, double q) => sorted[Math.Clamp((int)(q * sorted.Length), 0, sorted.Length - 1)];
}
