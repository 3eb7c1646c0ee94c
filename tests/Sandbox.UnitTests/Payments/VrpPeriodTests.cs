using OpenBanking.Sandbox.Payments.Vrp;

namespace OpenBanking.Sandbox.UnitTests.Payments;

/// <summary>The period arithmetic of VRP limits (UK local time) and, over seeded random payment sequences, that limits hold.</summary>
public sealed class VrpPeriodTests
{
    private static DateTimeOffset Utc(int y, int m, int d, int h = 0, int min = 0) => new(y, m, d, h, min, 0, TimeSpan.Zero);

    private static VrpControls Controls(DateTimeOffset anchor, long maximum, params VrpPeriodicLimit[] limits)
        => new(maximum, "GBP", limits, [VrpControls.Other], ["UK.OBIE.SCA"], null, null, null, anchor);

    [Fact]
    public void CalendarYear_BegunOn5June_IsProRatedAsTheSpecShows()
    {
        var limit = new VrpPeriodicLimit("Year", "Calendar", 50_000, "GBP");
        var period = VrpControls.Period(limit, Utc(2021, 6, 5, 9), Utc(2021, 6, 5, 10));
        Assert.Equal(28_630, period.LimitMinor); // £500 × 209 / 365 = £286.30
        Assert.Equal(Utc(2021, 1, 1), period.Start);
        Assert.Equal(Utc(2022, 1, 1), period.End);
        // The next calendar year is whole.
        Assert.Equal(50_000, VrpControls.Period(limit, Utc(2021, 6, 5, 9), Utc(2022, 3, 1)).LimitMinor);
    }

    [Fact]
    public void CalendarPeriods_StartAtLondonMidnight_InSummerAnHourBeforeUtcMidnight()
    {
        var anchor = Utc(2027, 1, 1);
        var day = VrpControls.Period(new VrpPeriodicLimit("Day", "Calendar", 100, "GBP"), anchor, Utc(2027, 7, 14, 23, 30));
        Assert.Equal(Utc(2027, 7, 14, 23), day.Start); // 15 July 00:00 BST
        var month = VrpControls.Period(new VrpPeriodicLimit("Month", "Calendar", 100, "GBP"), anchor, Utc(2027, 7, 14));
        Assert.Equal(Utc(2027, 6, 30, 23), month.Start);
        Assert.Equal(Utc(2027, 7, 31, 23), month.End);
        var week = VrpControls.Period(new VrpPeriodicLimit("Week", "Calendar", 100, "GBP"), anchor, Utc(2027, 1, 7)); // a Thursday
        Assert.Equal(Utc(2027, 1, 4), week.Start); // Monday
        var half = VrpControls.Period(new VrpPeriodicLimit("Half-year", "Calendar", 100, "GBP"), anchor, Utc(2027, 8, 1));
        Assert.Equal(Utc(2027, 6, 30, 23), half.Start);
        Assert.Equal(Utc(2028, 1, 1), half.End);
        var fortnight = VrpControls.Period(new VrpPeriodicLimit("Fortnight", "Calendar", 100, "GBP"), anchor, Utc(2024, 1, 20));
        Assert.Equal(Utc(2024, 1, 15), fortnight.Start);
    }

    [Fact]
    public void ConsentAlignedMonths_FollowTheAnchorsDate()
    {
        var limit = new VrpPeriodicLimit("Month", "Consent", 100, "GBP");
        var anchor = Utc(2027, 1, 31, 12);
        var february = VrpControls.Period(limit, anchor, Utc(2027, 3, 1));
        Assert.Equal(Utc(2027, 2, 28, 12), february.Start);
        Assert.Equal(Utc(2027, 3, 31, 11), february.End); // 31 March 12:00 BST
        Assert.Equal(100, february.LimitMinor);
        var first = VrpControls.Period(new VrpPeriodicLimit("Week", "Consent", 100, "GBP"), anchor, Utc(2027, 2, 3));
        Assert.Equal(anchor, first.Start);
        Assert.Equal(anchor.AddDays(7), first.End);
    }

    [Fact]
    public void Breach_NamesEachControl()
    {
        var controls = Controls(Utc(2027, 1, 1), 10_000, new VrpPeriodicLimit("Month", "Calendar", 50_000, "GBP"));
        Assert.Null(VrpRules.Breach(controls, 10_000, "GBP", Utc(2027, 1, 2), []));
        Assert.Contains("MaximumIndividualAmount", VrpRules.Breach(controls, 10_001, "GBP", Utc(2027, 1, 2), []));
        Assert.Contains("GBP only", VrpRules.Breach(controls, 100, "EUR", Utc(2027, 1, 2), []));
        Assert.Contains("Month", VrpRules.Breach(controls, 100, "GBP", Utc(2027, 1, 20), [(Utc(2027, 1, 3), 49_950)]));
        Assert.Null(VrpRules.Breach(controls, 100, "GBP", Utc(2027, 2, 1), [(Utc(2027, 1, 3), 49_950)]));
        var bounded = controls with { ValidFrom = Utc(2027, 1, 10), ValidTo = Utc(2027, 2, 1) };
        Assert.Contains("valid from", VrpRules.Breach(bounded, 100, "GBP", Utc(2027, 1, 9), []));
        Assert.Contains("valid until", VrpRules.Breach(bounded, 100, "GBP", Utc(2027, 2, 1), []));
    }

    /// <summary>
    /// Property: over seeded random sequences of payments and clock moves, with every period type and both
    /// alignments at once, (1) the accepted payments in any period of any limit never sum above that period's limit,
    /// and (2) a payment is refused only when, added to its periods' accepted payments, it would break a limit.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void RandomSequences_NeverExceedALimit_AndAreRefusedOnlyWhenTheyWould(int seed)
    {
        var random = new Random(seed);
        var anchor = Utc(2026, 1, 1).AddMinutes(random.Next(0, 365 * 24 * 60));
        var limits = new List<VrpPeriodicLimit>();
        foreach (var type in VrpControls.PeriodTypes)
        {
            if (random.Next(2) == 0 || limits.Count == 0)
            {
                var scale = type switch { "Day" => 1, "Week" => 5, "Fortnight" => 9, "Month" => 20, "Half-year" => 100, _ => 180 };
                limits.Add(new VrpPeriodicLimit(type, random.Next(2) == 0 ? "Consent" : "Calendar", scale * random.Next(5_000, 20_000), "GBP"));
            }
        }

        var controls = Controls(anchor, 15_000, [.. limits]);
        var accepted = new List<(DateTimeOffset At, long AmountMinor)>();
        var now = anchor;
        for (var i = 0; i < 600; i++)
        {
            // Clock moves: mostly minutes or hours, sometimes days or weeks (across DST changes and year ends).
            now += random.Next(10) switch
            {
                < 5 => TimeSpan.FromMinutes(random.Next(1, 180)),
                < 8 => TimeSpan.FromHours(random.Next(1, 48)),
                _ => TimeSpan.FromDays(random.Next(1, 20)),
            };
            var amount = (long)random.Next(1, 15_001);
            var breach = VrpRules.Breach(controls, amount, "GBP", now, accepted);
            var wouldBreak = controls.Limits.Any(l =>
            {
                var period = VrpControls.Period(l, anchor, now);
                Assert.True(period.Start <= now && now < period.End, $"{l.PeriodType} period {period.Start}–{period.End} does not hold {now}");
                return accepted.Where(p => p.At >= period.Start && p.At < period.End).Sum(p => p.AmountMinor) + amount > period.LimitMinor;
            });
            Assert.Equal(wouldBreak, breach is not null);
            if (breach is null)
            {
                accepted.Add((now, amount));
            }
        }

        Assert.NotEmpty(accepted);
        foreach (var limit in controls.Limits)
        {
            foreach (var payment in accepted)
            {
                var period = VrpControls.Period(limit, anchor, payment.At);
                var sum = accepted.Where(p => p.At >= period.Start && p.At < period.End).Sum(p => p.AmountMinor);
                Assert.True(sum <= period.LimitMinor, $"{limit.PeriodType}/{limit.PeriodAlignment}: {sum} > {period.LimitMinor} in {period.Start}–{period.End}");
            }
        }
    }

    [Fact]
    public void ConsecutivePeriods_TileTime_WithoutGapsOrOverlaps()
    {
        var anchor = Utc(2026, 3, 29, 0, 30); // the night the clocks go forward
        foreach (var type in VrpControls.PeriodTypes)
        {
            foreach (var alignment in VrpControls.Alignments)
            {
                var limit = new VrpPeriodicLimit(type, alignment, 100, "GBP");
                var period = VrpControls.Period(limit, anchor, anchor);
                for (var i = 0; i < 30; i++)
                {
                    var next = VrpControls.Period(limit, anchor, period.End);
                    Assert.Equal(period.End, next.Start);
                    Assert.True(next.End > next.Start);
                    period = next;
                }
            }
        }
    }
}
