using System.Text.Json;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;
using Microsoft.ML;
using OpenBanking.Sandbox.Fraud.Training;

namespace OpenBanking.Sandbox.Fraud;

/// <summary>The model's verdict on one payment: its probability of fraud and, in words, the features that raised it most.</summary>
public sealed record FraudScore(double Probability, string Version, IReadOnlyList<string> TopFeatures);

/// <summary>
/// The trained fraud model, loaded once at start (a singleton). A prediction engine is not thread-safe, so engines come
/// from a pool. A model that fails to load leaves the rules deciding alone: logged once, reported by
/// <see cref="Current"/> and as Degraded on <c>/health</c> — payments never fail for it.
/// </summary>
public sealed class FraudModel : IFraudModelStatus
{
    private readonly ObjectPool<PredictionEngine<FraudRow, FraudPrediction>>? _engines;

    public FraudModel(IOptions<FraudOptions> options, ILogger<FraudModel> logger)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            Current = new FraudModelInfo(false, null, null, "The fraud model is turned off (Sandbox:Fraud:Enabled); the rules decide alone.", null);
            return;
        }

        var path = Path.IsPathRooted(settings.ModelPath) ? settings.ModelPath : Path.Combine(AppContext.BaseDirectory, settings.ModelPath);
        try
        {
            var card = JsonSerializer.Deserialize<FraudModelCard>(File.ReadAllText(Path.ChangeExtension(path, ".json")), FraudModelCard.Json)
                ?? throw new InvalidDataException("The model's JSON sidecar is empty.");
            if (!card.Features.SequenceEqual(FraudFeatures.Names))
            {
                throw new InvalidDataException("The model was trained on other features than this Sandbox extracts; retrain it.");
            }

            var ml = new MLContext(card.TrainingSeed);
            var model = ml.Model.Load(path, out _);
            _engines = new DefaultObjectPool<PredictionEngine<FraudRow, FraudPrediction>>(new EnginePolicy(ml, model), Environment.ProcessorCount * 2);
            // One prediction now: a file that loads but cannot score fails here, at start, not on a payment.
            var engine = _engines.Get();
            engine.Predict(new FraudRow { Features = new float[FraudFeatures.Count] });
            _engines.Return(engine);
            Version = card.Version;
            Thresholds = new FraudThresholds(settings.ReviewThreshold ?? card.Thresholds.Review, settings.RejectThreshold ?? card.Thresholds.Reject,
                settings.ClearBelow ?? card.Thresholds.ClearBelow);
            Current = new FraudModelInfo(true, card.Version, card.TrainedAt, null, card.Evaluation);
            logger.LogInformation("Fraud model {Version} loaded from {Path}", card.Version, path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _engines = null;
            Current = new FraudModelInfo(false, null, null, $"The fraud model could not be loaded ({e.GetType().Name}: {e.Message}); the rules decide alone.", null);
            logger.LogError(e, "Fraud model {Path} could not be loaded; payments are screened by the rules alone", path);
        }
    }

    public FraudModelInfo Current { get; }

    public bool Loaded => _engines is not null;

    public string? Version { get; }

    public FraudThresholds Thresholds { get; } = new(1, 1, 0);

    /// <summary>The probability of fraud and the top three features that raised it (in words); null when no model is loaded.</summary>
    public FraudScore? Score(FraudPayment payment, FraudHistory history)
    {
        if (_engines is null)
        {
            return null;
        }

        var features = FraudFeatures.Extract(payment, history);
        var engine = _engines.Get();
        try
        {
            var prediction = engine.Predict(new FraudRow { Features = features });
            return new FraudScore(prediction.Probability, Version!, TopFeatures(prediction.FeatureContributions, payment, history, features));
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    private static List<string> TopFeatures(float[] contributions, FraudPayment payment, FraudHistory history, float[] features)
    {
        var reasons = new List<string>(3);
        Span<int> order = stackalloc int[FraudFeatures.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Largest contribution first (20 features: an insertion sort is all it takes).
        for (var i = 1; i < order.Length; i++)
        {
            for (var j = i; j > 0 && contributions[order[j]] > contributions[order[j - 1]]; j--)
            {
                (order[j], order[j - 1]) = (order[j - 1], order[j]);
            }
        }

        foreach (var feature in order)
        {
            if (reasons.Count == 3 || contributions[feature] <= 0)
            {
                break;
            }

            if (FraudFeatures.Describe(feature, payment, history, features) is { } words && !reasons.Contains(words))
            {
                reasons.Add(words);
            }
        }

        return reasons;
    }

    private sealed class EnginePolicy(MLContext ml, ITransformer model) : PooledObjectPolicy<PredictionEngine<FraudRow, FraudPrediction>>
    {
        public override PredictionEngine<FraudRow, FraudPrediction> Create() => ml.Model.CreatePredictionEngine<FraudRow, FraudPrediction>(model);

        public override bool Return(PredictionEngine<FraudRow, FraudPrediction> obj) => true;
    }
}
