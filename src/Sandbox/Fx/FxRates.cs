namespace OpenBanking.Sandbox.Fx;

/// <summary>
/// The FX desk's market as a pure function of a tenant's seed and the tenant's time (docs/fx.md): no history is
/// stored, so any instant — minutes or five years after the clock was advanced — is computed the same way, and the
/// same seed and time always give the same rate.
/// <para>
/// Each currency's value against the US dollar is its base mid times <c>exp(x)</c>, where <c>x</c> is a sum of five
/// octaves of value noise over whole minutes of tenant time (1 minute, 15 minutes, 4 hours, 2 days, 30 days). The
/// octaves' amplitudes follow the square-root-of-time rule for the currency's annual volatility, so a rate wanders as
/// markets do — small steps each minute, larger swings over days — and, being a bounded sum, never runs away.
/// </para>
/// </summary>
public static class FxRates
{
    /// <summary>Where bucket 0 starts; earlier instants get negative buckets (the noise is defined everywhere).</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A rate stays the same for a whole minute of tenant time.</summary>
    public static readonly TimeSpan Bucket = TimeSpan.FromMinutes(1);

    /// <summary>Rates carry six decimal places, rounded half to even.</summary>
    public const int Decimals = 6;

    /// <summary>One traded currency: units per US dollar at the base, annual volatility, the spread it brings to a pair (bps).</summary>
    public sealed record DeskCurrency(string Code, decimal BasePerUsd, double AnnualVolatility, int SpreadBps);

    /// <summary>
    /// The desk's currencies in a fixed order (the index seeds each one's noise: never reorder, only append). AED and
    /// BHD are pegged to the dollar: their volatility is tiny, so they stay within a fraction of a percent of the peg.
    /// </summary>
    public static readonly IReadOnlyList<DeskCurrency> Table =
    [
        new("USD", 1.000000m, 0.0, 35),
        new("GBP", 0.787400m, 0.08, 35),
        new("EUR", 0.920000m, 0.07, 35),
        new("CHF", 0.880000m, 0.07, 50),
        new("JPY", 150.000000m, 0.10, 50),
        new("PLN", 3.950000m, 0.10, 75),
        new("SEK", 10.500000m, 0.09, 50),
        new("INR", 83.500000m, 0.05, 100),
        new("AED", 3.672500m, 0.0005, 50),
        new("BHD", 0.376000m, 0.0005, 75),
    ];

    /// <summary>The desk's currencies in the order of <see cref="Table"/>: GBP, EUR, USD first in what people read.</summary>
    public static readonly IReadOnlyList<string> Codes = ["GBP", "EUR", "USD", "CHF", "JPY", "PLN", "SEK", "INR", "AED", "BHD"];

    private static readonly Dictionary<string, int> IndexOf = Table.Select((c, i) => (c.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);

    /// <summary>Octave lengths in buckets: 1 minute, 15 minutes, 4 hours, 2 days, 30 days.</summary>
    private static readonly long[] Octaves = [1, 15, 240, 2_880, 43_200];

    private static readonly double MinutesPerYear = TimeSpan.FromDays(365).TotalMinutes;

    public static bool Trades(string currency) => IndexOf.ContainsKey(currency);

    public static DeskCurrency Of(string currency) => Table[IndexOf[currency]];

    /// <summary>The minute of tenant time an instant falls in (negative before <see cref="Epoch"/>).</summary>
    public static long BucketOf(DateTimeOffset at)
    {
        // Whole ticks, floored: exact at every boundary, however far the clock is advanced.
        var bucket = Math.DivRem((at - Epoch).Ticks, Bucket.Ticks, out var within);
        return within < 0 ? bucket - 1 : bucket;
    }

    /// <summary>The start of that minute.</summary>
    public static DateTimeOffset BucketStart(long bucket) => Epoch + (Bucket * bucket);

    /// <summary>Units of <paramref name="currency"/> per US dollar at this minute, unrounded.</summary>
    public static double PerUsd(int seed, string currency, long bucket)
    {
        var index = IndexOf[currency];
        var entry = Table[index];
        return (double)entry.BasePerUsd * Math.Exp(Deviation(seed, index, entry.AnnualVolatility, bucket));
    }

    /// <summary>
    /// The mid rate: units of <paramref name="quote"/> per one <paramref name="unit"/>, six decimal places, half to even.
    /// </summary>
    public static decimal Mid(int seed, string unit, string quote, long bucket)
    {
        if (unit == quote)
        {
            return 1m;
        }

        return Round((decimal)(PerUsd(seed, quote, bucket) / PerUsd(seed, unit, bucket)));
    }

    public static decimal Mid(int seed, string unit, string quote, DateTimeOffset at) => Mid(seed, unit, quote, BucketOf(at));

    /// <summary>The customer's rate when buying the quote currency (an outgoing payment): the mid less the spread.</summary>
    public static decimal Buy(decimal mid, int spreadBps) => Round(mid * (1m - (spreadBps / 10_000m)));

    /// <summary>The customer's rate when selling the quote currency: the mid plus the spread.</summary>
    public static decimal Sell(decimal mid, int spreadBps) => Round(mid * (1m + (spreadBps / 10_000m)));

    /// <summary>Six decimal places, half to even, without trailing zeros (1.5, not 1.500000, on the wire).</summary>
    public static decimal Round(decimal value) => Normalise(Math.Round(value, Decimals, MidpointRounding.ToEven));

    /// <summary>The same value with no trailing zeros in its scale.</summary>
    public static decimal Normalise(decimal value) => value / 1.0000000000000000000000000000m;

    /// <summary>The sum of the octaves for one currency: 0 for the dollar, the numeraire.</summary>
    private static double Deviation(int seed, int index, double annualVolatility, long bucket)
    {
        if (annualVolatility == 0)
        {
            return 0;
        }

        var x = 0.0;
        for (var k = 0; k < Octaves.Length; k++)
        {
            var length = Octaves[k];
            // σ√t: an octave spanning L minutes moves about as much as the market does in L minutes.
            var amplitude = annualVolatility * Math.Sqrt(length / MinutesPerYear);
            var i = Math.DivRem(bucket, length, out var within);
            if (within < 0)
            {
                i--;
                within += length;
            }

            var f = within / (double)length;
            var a = Gaussian(seed, index, k, i);
            var b = Gaussian(seed, index, k, i + 1);
            x += amplitude * (a + ((b - a) * f * f * (3 - (2 * f))));
        }

        return x;
    }

    /// <summary>A standard normal number fixed by (seed, currency, octave, node): Box–Muller over two SplitMix64 draws.</summary>
    private static double Gaussian(int seed, int currency, int octave, long node)
    {
        // Chained, so that no two (seed, currency, octave, node) share a stream, negative nodes included.
        var state = Mix(Mix(Mix((ulong)(uint)seed) ^ (ulong)currency) ^ (ulong)octave) ^ unchecked((ulong)node);
        var u1 = Unit(SplitMix64(ref state));
        var u2 = Unit(SplitMix64(ref state));
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A uniform number in (0, 1] from the top 53 bits (never 0, so the logarithm is finite).</summary>
    private static double Unit(ulong bits) => ((bits >> 11) + 1) * (1.0 / (1UL << 53));

    private static ulong Mix(ulong value) => SplitMix64(ref value);

    /// <summary>SplitMix64 (Steele, Lea, Flood 2014): a fast, well-mixed 64-bit sequence from any state.</summary>
    public static ulong SplitMix64(ref ulong state)
    {
        unchecked
        {
            var z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
