using OpenBanking.Sandbox.Events;
using OpenBanking.Sandbox.Events.Delivery;

namespace OpenBanking.Sandbox.UnitTests.Events;

/// <summary>The push retry policy with the default options: 5 s doubling ±20 % up to an hour, 12 attempts, a 24-hour window.</summary>
public sealed class RetryPolicyTests
{
    private static readonly EventOptions Defaults = new();
    private static readonly DateTime Start = new(2026, 12, 3, 9, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(10, 2560)]
    [InlineData(11, 3600)]
    [InlineData(40, 3600)]
    public void TheDelay_DoublesFromFiveSeconds_UpToAnHour(int failures, int seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), RetryPolicy.Delay(Defaults, failures, random: 0.5));

    [Theory]
    [InlineData(0.0, 4.0)]
    [InlineData(0.999999, 6.0)]
    public void TheJitter_KeepsTheDelayWithinTwentyPercent(double random, double seconds)
        => Assert.Equal(seconds, RetryPolicy.Delay(Defaults, 1, random).TotalSeconds, precision: 3);

    [Fact]
    public void TheRound_GivesUpAtTheTwelfthAttempt()
    {
        Assert.NotNull(RetryPolicy.NextAttempt(Defaults, 11, Start, Start.AddHours(1), 0.5));
        Assert.Null(RetryPolicy.NextAttempt(Defaults, 12, Start, Start.AddHours(1), 0.5));
    }

    [Fact]
    public void TheRound_GivesUpWhenTheNextAttemptWouldFallAfterItsWindow()
    {
        Assert.Equal(Start.AddHours(23).AddSeconds(5), RetryPolicy.NextAttempt(Defaults, 1, Start, Start.AddHours(23), 0.5));
        Assert.Null(RetryPolicy.NextAttempt(Defaults, 8, Start, Start.AddHours(23).AddMinutes(59), 0.5));
    }
}
