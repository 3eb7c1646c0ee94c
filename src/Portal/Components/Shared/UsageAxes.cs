using System.Globalization;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Components.Shared;

/// <summary>
/// Axes of the usage chart that stay readable from a phone (about 320 px of plot) to a wide screen: at most seven x
/// labels, on round times (every 10 minutes, every 4 hours, every midnight), and y ticks on whole, round steps.
/// </summary>
public static class UsageAxes
{
    public static string[] Labels(IReadOnlyList<CallBucket> buckets, string range) =>
    [
        .. buckets.Select(b => b.Start.ToUniversalTime()).Select(t => range switch
        {
            "1h" => t.Minute % 10 == 0 ? t.ToString("HH:mm", CultureInfo.InvariantCulture) : "",
            "7d" => t is { Hour: 0, Minute: 0 } ? t.ToString("d MMM", CultureInfo.InvariantCulture) : "",
            _ => t is { Hour: var hour, Minute: 0 } && hour % 4 == 0 ? t.ToString("HH:mm", CultureInfo.InvariantCulture) : "",
        }),
    ];

    /// <summary>The y axis' step: 1, 2 or 5 times a power of ten, so that the largest value needs at most five steps.</summary>
    public static int YStep(int max)
    {
        if (max <= 5)
        {
            return 1;
        }

        var raw = max / 5.0;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        return (int)new[] { 1, 2, 5, 10 }.Select(m => m * power).First(s => s >= raw);
    }
}
