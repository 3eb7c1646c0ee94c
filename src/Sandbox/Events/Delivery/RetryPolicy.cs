namespace OpenBanking.Sandbox.Events.Delivery;

/// <summary>
/// When a failed push is tried again: <see cref="EventOptions.FirstRetryDelay"/> after the first failure of a round,
/// doubling after each next one up to <see cref="EventOptions.MaxRetryDelay"/>, each ±20 % at random (so partners
/// recovering from an outage are not hit by every bank retry in the same second). The round gives up — the notification
/// is Failed, still available to polling — once it has made <see cref="EventOptions.MaxAttempts"/> attempts, or when the
/// next attempt would fall after <see cref="EventOptions.RetryWindow"/> from the round's start.
/// </summary>
public static class RetryPolicy
{
    public const double Jitter = 0.2;

    /// <summary>The next attempt's time; null when the round gives up. <paramref name="roundAttempts"/> counts the one that just failed.</summary>
    public static DateTime? NextAttempt(EventOptions options, int roundAttempts, DateTime roundStartedAt, DateTime now, double random)
    {
        if (roundAttempts >= options.MaxAttempts)
        {
            return null;
        }

        var next = now + Delay(options, roundAttempts, random);
        return next > roundStartedAt + options.RetryWindow ? null : next;
    }

    /// <summary>The delay after the <paramref name="failures"/>-th failure; <paramref name="random"/> in [0, 1) places it in the jitter band.</summary>
    public static TimeSpan Delay(EventOptions options, int failures, double random)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var ticks = Math.Min(options.FirstRetryDelay.Ticks * Math.Pow(2, exponent), options.MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (1 - Jitter + (2 * Jitter * random))));
    }
}
