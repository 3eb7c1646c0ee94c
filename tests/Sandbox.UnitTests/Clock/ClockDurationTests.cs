using OpenBanking.Sandbox.Clock;

namespace OpenBanking.Sandbox.UnitTests.Clock;

/// <summary>ISO 8601 durations as the clock API reads them: on the calendar, forward only.</summary>
public sealed class ClockDurationTests
{
    private static readonly DateTimeOffset EndOfJanuary = new(2027, 1, 31, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("PT1H", "2027-01-31T10:00:00Z")]
    [InlineData("PT90M", "2027-01-31T10:30:00Z")]
    [InlineData("PT0.5S", "2027-01-31T09:00:00.5Z")]
    [InlineData("P1D", "2027-02-01T09:00:00Z")]
    [InlineData("P1W", "2027-02-07T09:00:00Z")]
    [InlineData("P1M", "2027-02-28T09:00:00Z")]
    [InlineData("P1Y", "2028-01-31T09:00:00Z")]
    [InlineData("P1Y1M1DT1H1M1S", "2028-03-01T10:01:01Z")]
    public void Advance_CountsOnTheCalendar(string duration, string expected)
    {
        Assert.True(ClockApi.TryParseDuration(duration, EndOfJanuary, out var target, out var error), error);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), target);
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("1D")]
    [InlineData("P-1D")]
    [InlineData("P0D")]
    [InlineData("PT0S")]
    [InlineData("p1d")]
    [InlineData("P1.5D")]
    [InlineData("P99999Y")]
    public void Advance_RefusesWhatIsNotAForwardDuration(string duration)
    {
        Assert.False(ClockApi.TryParseDuration(duration, EndOfJanuary, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
