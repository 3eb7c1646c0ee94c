using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Fraud;

/// <summary>
/// What the fraud model adds to a payment (issue 21, target under 0.2 ms): feature extraction alone, and a full
/// score — extraction, the pooled prediction engine, and the top features in words — for an ordinary payment and an
/// account takeover. Run: <c>dotnet run -c Release --project bench/Sandbox.Benchmarks -- fraud --job short --inProcess --filter '*'</c>.
/// </summary>
[MemoryDiagnoser]
public class FraudScoringBench
{
    private static readonly DateTime Now = new(2026, 3, 2, 14, 0, 0, DateTimeKind.Utc);
    private readonly float[] _features = new float[FraudFeatures.Count];
    private FraudModel _model = null!;
    private FraudHistory _history = null!;
    private FraudPayment _ordinary = null!;
    private FraudPayment _takeover = null!;

    public static int Run(string[] args)
    {
        BenchmarkSwitcher.FromTypes([typeof(FraudScoringBench)]).Run(args);
        return 0;
    }

    [GlobalSetup]
    public void Setup()
    {
        _model = new FraudModel(Options.Create(new FraudOptions()), NullLogger<FraudModel>.Instance);
        if (!_model.Loaded)
        {
            throw new InvalidOperationException(_model.Current.FallbackReason);
        }

        _history = new FraudHistory(190, 3_200, 2_100, 240_000, Now.AddDays(-120), null, 1, 3, 0, 0, "GBP");
        _ordinary = new FraudPayment(2_750, "GBP", "20000012345678", Now, 14, Now.AddMinutes(-1), "PartyToParty", 0);
        _takeover = new FraudPayment(230_000, "GBP", "60161331926819", Now, 3, Now.AddMinutes(-1), "PartyToParty", 60);
    }

    [Benchmark]
    public float ExtractFeatures()
    {
        FraudFeatures.Extract(_ordinary, _history, _features);
        return _features[FraudFeatures.AmountToUsual];
    }

    [Benchmark]
    public double ScoreOrdinaryPayment() => _model.Score(_ordinary, _history)!.Probability;

    [Benchmark]
    public double ScoreAccountTakeover() => _model.Score(_takeover, _history with { PayeeFirstSeen = null })!.Probability;
}
