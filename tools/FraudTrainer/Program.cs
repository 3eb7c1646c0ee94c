using System.Diagnostics;
using System.Globalization;
using OpenBanking.Sandbox.Fraud;
using OpenBanking.Sandbox.Fraud.Training;

// Trains the Sandbox's fraud model (docs/fraud.md):
//   dotnet run --project tools/FraudTrainer -- --seed 1 --customers 12000 --out src/Sandbox/Fraud/Model/
// The held-out set is generated with other seeds (seed+1000 and seed+2000), never seen in training.
var arguments = Arguments.Parse(args);
if (arguments is null)
{
    Console.Error.WriteLine("usage: FraudTrainer [--seed 1] [--customers 12000] [--holdout-customers 8000] [--version v1] [--iterations 200] --out <directory>");
    return 2;
}

var clock = Stopwatch.StartNew();
var training = new FraudDataGenerator(arguments.Seed).Generate(arguments.Customers);
Console.WriteLine($"training: {training.Count} payments, {training.Count(s => s.IsFraud)} fraud ({clock.Elapsed.TotalSeconds:0.0}s)");
var model = FraudModelTrainer.Train(training, arguments.Seed, arguments.Iterations);
Console.WriteLine($"trained: thresholds review {model.Thresholds.Review:0.0000}, reject {model.Thresholds.Reject:0.0000}, clear below {model.Thresholds.ClearBelow:0.00000} ({clock.Elapsed.TotalSeconds:0.0}s)");

int[] heldOutSeeds = [arguments.Seed + 1000, arguments.Seed + 2000];
var heldOut = heldOutSeeds.SelectMany(s => new FraudDataGenerator(s).Generate(arguments.HoldoutCustomers / heldOutSeeds.Length)).ToList();
var evaluation = FraudModelTrainer.Evaluate(model, heldOut, string.Join(",", heldOutSeeds));
Console.WriteLine($"held-out: {evaluation.Payments} payments, {evaluation.Frauds} fraud (seeds {evaluation.Seeds})");
Console.WriteLine("engine    ROC-AUC  threshold  precision  recall   FPR");
foreach (var row in evaluation.Engines)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{row.Engine,-9} {row.RocAuc,7:0.0000}  {row.Threshold,9:0.0000}  {row.Precision,9:0.0000}  {row.Recall,6:0.0000}  {row.FalsePositiveRate:0.00000}"));
}

Console.WriteLine("scenario          payments  rules   model   combined (share flagged)");
foreach (var (scenario, payments, rules, byModel, combined) in FraudModelTrainer.Breakdown(model, heldOut))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{scenario,-17} {payments,8}  {rules,6:0.0000}  {byModel,6:0.0000}  {combined,6:0.0000}"));
}

var card = new FraudModelCard(arguments.Version, DateTimeOffset.UtcNow, arguments.Seed, arguments.Customers, training.Count, training.Count(s => s.IsFraud),
    FraudFeatures.Names, model.Thresholds, evaluation);
var (modelPath, cardPath) = FraudModelTrainer.Save(model, arguments.Out, card);
Console.WriteLine($"wrote {modelPath} ({new FileInfo(modelPath).Length / 1024} KB) and {cardPath} ({clock.Elapsed.TotalSeconds:0.0}s)");
return 0;

internal sealed record Arguments(int Seed, int Customers, int HoldoutCustomers, string Version, int Iterations, string Out)
{
    public static Arguments? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return null;
            }

            values[args[i][2..]] = args[i + 1];
        }

        int Int(string name, int fallback) => values.TryGetValue(name, out var v) && int.TryParse(v, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;
        return values.TryGetValue("out", out var output) && args.Length % 2 == 0
            ? new Arguments(Int("seed", 1), Int("customers", 12000), Int("holdout-customers", 8000), values.GetValueOrDefault("version", "v1"), Int("iterations", 200), output)
            : null;
    }
}
