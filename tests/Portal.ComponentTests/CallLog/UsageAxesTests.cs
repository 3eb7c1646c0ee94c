using OpenBanking.Portal.Components.Shared;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.ComponentTests.CallLog;

/// <summary>The usage chart's axes: few labels on round times, so they never collide at 390 px; whole, round y steps.</summary>
public sealed class UsageAxesTests
{
    [Theory]
    [InlineData("1h", 61, 1, 6, "10:10")]
    [InlineData("24h", 25, 60, 6, "12:00")]
    [InlineData("7d", 169, 60, 7, "3 Dec")]
    public void Labels_AreAtMostSeven_OnRoundTimes(string range, int count, int minutes, int atMost, string example)
    {
        var start = new DateTimeOffset(2026, 12, 2, 10, 3, 0, TimeSpan.Zero);
        if (minutes == 60)
        {
            start = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        }

        var buckets = Enumerable.Range(0, count).Select(i => new CallBucket(start.AddMinutes(i * minutes), 1, 0)).ToList();

        var labels = UsageAxes.Labels(buckets, range);

        Assert.Equal(count, labels.Length);
        var shown = labels.Where(l => l.Length > 0).ToList();
        Assert.InRange(shown.Count, 2, atMost);
        Assert.Contains(example, shown);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 1)]
    [InlineData(9, 2)]
    [InlineData(42, 10)]
    [InlineData(1234, 500)]
    public void YStep_IsRound_AndNeedsAtMostFiveSteps(int max, int step)
    {
        Assert.Equal(step, UsageAxes.YStep(max));
        Assert.True(max <= 5 || max / (double)step <= 5);
    }
}
