using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Fx;

namespace OpenBanking.Sandbox.UnitTests.Fx;

/// <summary>The desk's market: a pure function of a tenant's seed and time, moving in minute steps, bounded, pegs held.</summary>
public sealed class FxRatesTests
{
    private const int Seed = 123_456_789;
    private static readonly DateTimeOffset At = new(2026, 12, 3, 10, 15, 30, TimeSpan.Zero);

    [Fact]
    public void TheSameSeedAndTime_AlwaysGiveTheSameRate()
    {
        foreach (var currency in FxRates.Codes.Where(c => c != "GBP"))
        {
            Assert.Equal(FxRates.Mid(Seed, "GBP", currency, At), FxRates.Mid(Seed, "GBP", currency, At));
        }

        // Known values pin the function: a change to the noise would silently move every tenant's rates.
        Assert.Equal(1.146721m, FxRates.Mid(Seed, "GBP", "EUR", At));
        Assert.Equal(1.25936m, FxRates.Mid(Seed, "GBP", "USD", At));
        Assert.Equal(189.279348m, FxRates.Mid(Seed, "GBP", "JPY", At));
    }

    [Fact]
    public void TwoTenants_HaveDifferentRates()
    {
        var differing = FxRates.Codes.Where(c => c is not ("USD" or "GBP"))
            .Count(c => FxRates.Mid(Seed, "GBP", c, At) != FxRates.Mid(Seed + 1, "GBP", c, At));
        Assert.True(differing >= 6, $"only {differing} currencies differ");
    }

    [Fact]
    public void ARate_IsConstantWithinAMinute_AndMovesInSmallStepsBetweenMinutes()
    {
        var minute = new DateTimeOffset(2027, 5, 1, 8, 42, 0, TimeSpan.Zero);
        var first = FxRates.Mid(Seed, "GBP", "USD", minute);
        Assert.Equal(first, FxRates.Mid(Seed, "GBP", "USD", minute.AddSeconds(59.999)));
        Assert.Equal(FxRates.BucketOf(minute), FxRates.BucketOf(minute.AddSeconds(30)));

        var moved = 0;
        var previous = first;
        for (var i = 1; i <= 600; i++)
        {
            var next = FxRates.Mid(Seed, "GBP", "USD", minute.AddMinutes(i));
            Assert.InRange(Math.Abs(next / previous - 1), 0m, 0.002m);
            moved += next != previous ? 1 : 0;
            previous = next;
        }

        Assert.True(moved > 500, $"moved only {moved} times in 600 minutes");
    }

    [Fact]
    public void Buckets_AreWholeMinutes_FlooredAtEveryBoundary()
    {
        Assert.Equal(0, FxRates.BucketOf(FxRates.Epoch));
        Assert.Equal(-1, FxRates.BucketOf(FxRates.Epoch.AddTicks(-1)));
        Assert.Equal(0, FxRates.BucketOf(FxRates.Epoch.AddMinutes(1).AddTicks(-1)));
        Assert.Equal(1, FxRates.BucketOf(FxRates.Epoch.AddMinutes(1)));
        var far = FxRates.Epoch.AddYears(60).AddMinutes(7);
        Assert.Equal(far, FxRates.BucketStart(FxRates.BucketOf(far.AddSeconds(59.9999999))));
    }

    [Fact]
    public void BeforeTheEpoch_RatesAreDefinedToo()
    {
        var early = new DateTimeOffset(2025, 6, 1, 0, 0, 30, TimeSpan.Zero);
        Assert.True(FxRates.BucketOf(early) < 0);
        Assert.Equal(FxRates.BucketOf(early), FxRates.BucketOf(early.AddSeconds(29)));
        Assert.InRange(FxRates.Mid(Seed, "GBP", "EUR", early), 1.0m, 1.4m);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(2_000_000_000)]
    public void PeggedCurrencies_StayWithinATenthOfAPercentOfTheirPeg(int seed)
    {
        for (var t = At; t < At.AddYears(5); t = t.AddHours(7.3))
        {
            Assert.InRange(FxRates.Mid(seed, "USD", "AED", t) / 3.6725m, 0.999m, 1.001m);
            Assert.InRange(FxRates.Mid(seed, "USD", "BHD", t) / 0.376m, 0.999m, 1.001m);
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(99_999)]
    public void OverFiveYearsOfClock_EveryRateStaysNearItsBase(int seed)
    {
        foreach (var currency in FxRates.Table.Where(c => c.Code != "USD"))
        {
            var (low, high) = (decimal.MaxValue, decimal.MinValue);
            for (var t = At; t < At.AddYears(5); t = t.AddHours(5.5))
            {
                var ratio = FxRates.Mid(seed, "USD", currency.Code, t) / currency.BasePerUsd;
                (low, high) = (Math.Min(low, ratio), Math.Max(high, ratio));
            }

            Assert.InRange(low, 0.75m, 1m);
            Assert.InRange(high, 1m, 1.33m);
        }
    }

    [Fact]
    public void CrossRates_AreTheRatioOfDollarRates_AndInverseEachOther()
    {
        var gbpEur = FxRates.Mid(Seed, "GBP", "EUR", At);
        var eurGbp = FxRates.Mid(Seed, "EUR", "GBP", At);
        Assert.InRange(gbpEur * eurGbp, 0.999998m, 1.000002m);
        Assert.Equal(1m, FxRates.Mid(Seed, "GBP", "GBP", At));
    }

    [Theory]
    [InlineData("GBP", "EUR", 35)]
    [InlineData("EUR", "USD", 35)]
    [InlineData("GBP", "JPY", 50)]
    [InlineData("AED", "GBP", 50)]
    [InlineData("GBP", "PLN", 75)]
    [InlineData("BHD", "JPY", 75)]
    [InlineData("GBP", "INR", 100)]
    [InlineData("INR", "BHD", 100)]
    public void TheSpreadOfAPair_IsTheLargerOfItsCurrencies(string unit, string quote, int bps)
        => Assert.Equal(bps, new FxOptions().SpreadBps(unit, quote));

    [Fact]
    public void ASpreadOverride_AppliesToThePairInEitherOrder()
    {
        var options = new FxOptions { Spreads = { ["EUR/GBP"] = 20, ["usdjpy"] = 5 } };
        Assert.Equal(20, options.SpreadBps("GBP", "EUR"));
        Assert.Equal(20, options.SpreadBps("EUR", "GBP"));
        Assert.Equal(5, options.SpreadBps("JPY", "USD"));
        Assert.Equal(35, options.SpreadBps("GBP", "USD"));
        Assert.Equal(0, options.SpreadBps("GBP", "GBP"));
    }

    [Fact]
    public void TheBriefsWorkedExample_RoundsHalfToEvenAtSixPlaces()
    {
        // At the base mids (no noise): GBP→EUR 0.92 / 0.7874.
        var mid = FxRates.Round(0.92m / 0.7874m);
        Assert.Equal(1.168402m, mid);
        var customer = FxRates.Buy(mid, 35);
        Assert.Equal(1.164313m, customer);
        Assert.Equal(1.172491m, FxRates.Sell(mid, 35));

        // EUR 100.00 sent (shape A): the debit, and the spread against the mid, in pence.
        Assert.Equal(8589, Currencies.ToMinor(100.00m / customer, "GBP"));
        Assert.Equal(8559, Currencies.ToMinor(100.00m / mid, "GBP"));
        // GBP 100.00 to JPY and to BHD (shape B): 0, and 3 decimals.
        var jpy = FxRates.Buy(FxRates.Round(150m / 0.7874m), 50);
        Assert.Equal(189.547879m, jpy);
        Assert.Equal(18955, Currencies.ToMinor(100.00m * jpy, "JPY"));
        var bhd = FxRates.Buy(FxRates.Round(0.376m / 0.7874m), 75);
        Assert.Equal(0.473940m, bhd);
        Assert.Equal(47394, Currencies.ToMinor(100.00m * bhd, "BHD"));
    }

    [Theory]
    [InlineData("1.0000005", "1")]
    [InlineData("1.0000015", "1.000002")]
    [InlineData("1.0000025", "1.000002")]
    [InlineData("0.1234565", "0.123456")]
    [InlineData("2.500000", "2.5")]
    public void Rounding_IsHalfToEvenAtSixPlaces_WithoutTrailingZeros(string value, string expected)
    {
        var rounded = FxRates.Round(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, rounded.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void SplitMix64_MatchesTheReferenceSequence()
    {
        // Reference values of SplitMix64 from state 0 (Vigna's splitmix64.c).
        ulong state = 0;
        Assert.Equal(0xE220A8397B1DCDAFUL, FxRates.SplitMix64(ref state));
        Assert.Equal(0x6E789E6AA1B965F4UL, FxRates.SplitMix64(ref state));
    }
}
