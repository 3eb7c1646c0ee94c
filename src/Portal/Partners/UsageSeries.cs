using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Partners;

/// <summary>The gateway returns only buckets that had calls; a chart needs every bucket of the period, empty ones as zero.</summary>
public static class UsageSeries
{
    public static IReadOnlyList<CallBucket> Fill(IReadOnlyList<CallBucket> buckets, DateTimeOffset from, DateTimeOffset to, TimeSpan width)
    {
        var byStart = buckets.ToDictionary(b => Floor(b.Start, width));
        var filled = new List<CallBucket>();
        for (var start = Floor(from, width); start <= to && filled.Count < 10_000; start += width)
        {
            filled.Add(byStart.TryGetValue(start, out var bucket) ? bucket : new CallBucket(start, 0, 0));
        }

        return filled;
    }

    private static DateTimeOffset Floor(DateTimeOffset value, TimeSpan width)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % width.Ticks), TimeSpan.Zero);
    }
}
