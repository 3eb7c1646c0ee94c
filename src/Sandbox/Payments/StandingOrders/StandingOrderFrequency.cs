using System.Globalization;
using System.Text.RegularExpressions;
using PublicHoliday;

namespace OpenBanking.Sandbox.Payments.StandingOrders;

/// <summary>The forms of a standing order's frequency (v3.1.11's ScheduleCode; v4.0's OBFrequency6 maps onto them).</summary>
public enum FrequencyForm
{
    EveryDay,
    EveryWorkingDay,
    IntervalDay,
    IntervalWeekDay,
    WeekInMonthDay,
    IntervalMonthDay,
    QuarterDay,
}

/// <summary>
/// How often a standing order pays, parsed from v3.1.11's pattern codes (<c>EvryDay</c>, <c>EvryWorkgDay</c>,
/// <c>IntrvlDay:NN</c>, <c>IntrvlWkDay:0W:0D</c>, <c>WkInMnthDay:0W:0D</c>, <c>IntrvlMnthDay:MM:±DD</c>,
/// <c>QtrDay:ENGLISH|SCOTTISH|RECEIVED</c>) or from v4.0's OBFrequency6. <see cref="Code"/> is the v3.1.11 code,
/// which the bank stores for both versions. Pure: no clock, no database.
/// </summary>
/// <param name="Interval">Days, weeks or months between payments (1 where the form has none).</param>
/// <param name="Day">Day of the week (1 Monday … 7 Sunday), of the month (1 … 31, or -1 the last … -5), or 0.</param>
/// <param name="Week">Week of the month (1 … 5) for <see cref="FrequencyForm.WeekInMonthDay"/>.</param>
/// <param name="Quarter">ENGLISH, SCOTTISH or RECEIVED for <see cref="FrequencyForm.QuarterDay"/>.</param>
public sealed partial record StandingOrderFrequency(FrequencyForm Form, int Interval = 1, int Day = 0, int Week = 0, string? Quarter = null)
{
    /// <summary>Bank holidays of England and Wales, from the maintained PublicHoliday package (never a typed list).</summary>
    private static readonly UKBankHoliday Holidays = new(UKBankHoliday.UkCountries.England);

    private static readonly Dictionary<string, (int Month, int Day)[]> QuarterDays = new(StringComparer.Ordinal)
    {
        ["ENGLISH"] = [(3, 25), (6, 24), (9, 29), (12, 25)],
        ["SCOTTISH"] = [(2, 2), (5, 15), (8, 1), (11, 11)],
        ["RECEIVED"] = [(3, 20), (6, 19), (9, 24), (12, 20)],
    };

    /// <summary>The v3.1.11 code of this frequency (what the bank stores and v3.1.11's AIS shows).</summary>
    public string Code => Form switch
    {
        FrequencyForm.EveryDay => "EvryDay",
        FrequencyForm.EveryWorkingDay => "EvryWorkgDay",
        FrequencyForm.IntervalDay => $"IntrvlDay:{Interval:00}",
        FrequencyForm.IntervalWeekDay => $"IntrvlWkDay:{Interval:00}:{Day:00}",
        FrequencyForm.WeekInMonthDay => $"WkInMnthDay:{Week:00}:{Day:00}",
        FrequencyForm.IntervalMonthDay => $"IntrvlMnthDay:{Interval:00}:{(Day < 0 ? "-" : string.Empty)}{Math.Abs(Day):00}",
        FrequencyForm.QuarterDay => $"QtrDay:{Quarter}",
        _ => throw new InvalidOperationException(),
    };

    /// <summary>A v3.1.11 frequency code (the schema's full pattern), or null when it is not one.</summary>
    public static StandingOrderFrequency? ParseV3(string? code)
    {
        var match = code is null ? null : V3Pattern().Match(code);
        if (match is null || !match.Success)
        {
            return null;
        }

        int N(string group) => int.Parse(match.Groups[group].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return match.Groups["form"].Value switch
        {
            "EvryDay" => new(FrequencyForm.EveryDay),
            "EvryWorkgDay" => new(FrequencyForm.EveryWorkingDay),
            "IntrvlDay" => new(FrequencyForm.IntervalDay, Interval: N("days")),
            "IntrvlWkDay" => new(FrequencyForm.IntervalWeekDay, Interval: N("weeks"), Day: N("weekday")),
            "WkInMnthDay" => new(FrequencyForm.WeekInMonthDay, Week: N("week"), Day: N("mweekday")),
            "IntrvlMnthDay" => new(FrequencyForm.IntervalMonthDay, Interval: N("months"), Day: N("monthday")),
            _ => new(FrequencyForm.QuarterDay, Quarter: match.Groups["quarter"].Value),
        };
    }

    /// <summary>
    /// v4.0's OBFrequency6 as a frequency, given the first payment's date (the day the period's payments fall on when
    /// PointInTime does not say). DAIL every day; WEEK/FRTN every one/two weeks on PointInTime's weekday (01 Monday …
    /// 07 Sunday); MNTH/QURT/MIAN/YEAR every 1/3/6/12 months on PointInTime's day of the month (01 … 31). INDA
    /// (several a day), ADHO (no pattern) and a CountPerPeriod above 1 have no standing-order schedule here.
    /// </summary>
    /// <returns>The frequency, or the error and the field it is about.</returns>
    public static (StandingOrderFrequency? Frequency, string? Error, string? Field) FromV4(string type, int? countPerPeriod, string? pointInTime, DateOnly first)
    {
        if (countPerPeriod is not null && pointInTime is not null)
        {
            return (null, "CountPerPeriod and PointInTime are not used together.", "CountPerPeriod");
        }

        if (countPerPeriod is { } count && count != 1)
        {
            return (null, "A standing order pays once per period here: CountPerPeriod may only be 1.", "CountPerPeriod");
        }

        int? point = null;
        if (pointInTime is not null)
        {
            if (pointInTime.Length != 2 || !int.TryParse(pointInTime, NumberStyles.None, CultureInfo.InvariantCulture, out var p))
            {
                return (null, "PointInTime is two digits, e.g. \"01\".", "PointInTime");
            }

            point = p;
        }

        var weekday = IsoDay(first.DayOfWeek);
        switch (type)
        {
            case "DAIL":
                return point is null ? (new(FrequencyForm.EveryDay), null, null) : (null, "A daily frequency takes no PointInTime.", "PointInTime");
            case "WEEK" or "FRTN":
                return point is null or (>= 1 and <= 7)
                    ? (new(FrequencyForm.IntervalWeekDay, Interval: type == "WEEK" ? 1 : 2, Day: point ?? weekday), null, null)
                    : (null, "For WEEK and FRTN, PointInTime is the day of the week: 01 (Monday) to 07 (Sunday).", "PointInTime");
            case "MNTH" or "QURT" or "MIAN" or "YEAR":
                var months = type switch { "MNTH" => 1, "QURT" => 3, "MIAN" => 6, _ => 12 };
                return point is null or (>= 1 and <= 31)
                    ? (new(FrequencyForm.IntervalMonthDay, Interval: months, Day: point ?? first.Day), null, null)
                    : (null, "For MNTH, QURT, MIAN and YEAR, PointInTime is the day of the month: 01 to 31.", "PointInTime");
            case "INDA" or "ADHO":
                return (null, $"{type} has no standing-order schedule: use DAIL, WEEK, FRTN, MNTH, QURT, MIAN or YEAR.", "Type");
            default:
                return (null, "Type must be an OBFrequency6Code: ADHO, YEAR, DAIL, FRTN, INDA, MNTH, QURT, MIAN or WEEK.", "Type");
        }
    }

    /// <summary>
    /// This frequency as v4.0's OBFrequency6 (Type and PointInTime): the ISO period, and the day within it when it fits.
    /// Forms v4.0 cannot say exactly (every working day, every n days, a week of the month, quarter days) take their period.
    /// </summary>
    public (string Type, string? PointInTime) ToV4() => Form switch
    {
        FrequencyForm.EveryDay or FrequencyForm.EveryWorkingDay => ("DAIL", null),
        FrequencyForm.IntervalWeekDay when Interval <= 2 => (Interval == 1 ? "WEEK" : "FRTN", $"{Day:00}"),
        FrequencyForm.IntervalMonthDay when Interval is 1 or 3 or 6 or 12 =>
            (Interval switch { 1 => "MNTH", 3 => "QURT", 6 => "MIAN", _ => "YEAR" }, Day > 0 ? $"{Day:00}" : null),
        FrequencyForm.WeekInMonthDay => ("MNTH", null),
        FrequencyForm.QuarterDay => ("QURT", null),
        _ => ("ADHO", null),
    };

    /// <summary>Whether a day is a working day in England and Wales: Monday to Friday, not a bank holiday.</summary>
    /// The package works a year's holidays out on every question; they are kept per year here (a year of daily
    /// standing orders asks thousands of times).
    public static bool IsWorkingDay(DateOnly day)
        => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !HolidaysOf(day.Year).Contains(day);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, HashSet<DateOnly>> HolidaysByYear = new();

    private static HashSet<DateOnly> HolidaysOf(int year)
        => HolidaysByYear.GetOrAdd(year, static y => Holidays.PublicHolidays(y).Select(DateOnly.FromDateTime).ToHashSet());

    public static DateOnly NextWorkingDay(DateOnly day)
    {
        while (!IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    /// <summary>
    /// When a payment due on <paramref name="day"/> is made: every day pays on the day itself (Faster Payments run every
    /// day); every other form moves a due date that is not a working day to the next working day (the usual UK rule).
    /// </summary>
    public DateOnly PaymentDay(DateOnly day) => Form == FrequencyForm.EveryDay ? day : NextWorkingDay(day);

    /// <summary>
    /// The due dates of the pattern (before the working-day rule) that fall after <paramref name="after"/>, in order,
    /// counting intervals from <paramref name="anchor"/> (the first payment, or the first recurring one).
    /// </summary>
    public IEnumerable<DateOnly> DatesAfter(DateOnly anchor, DateOnly after)
    {
        switch (Form)
        {
            case FrequencyForm.EveryDay:
                for (var d = after.AddDays(1); ; d = d.AddDays(1))
                {
                    yield return d;
                }

            case FrequencyForm.EveryWorkingDay:
                for (var d = NextWorkingDay(after.AddDays(1)); ; d = NextWorkingDay(d.AddDays(1)))
                {
                    yield return d;
                }

            case FrequencyForm.IntervalDay:
                for (var d = anchor; ; d = d.AddDays(Interval))
                {
                    if (d > after)
                    {
                        yield return d;
                    }
                }

            case FrequencyForm.IntervalWeekDay:
                // Weeks run Monday to Sunday; the cycle starts in the anchor's week.
                var monday = anchor.AddDays(1 - IsoDay(anchor.DayOfWeek));
                for (var d = monday.AddDays(Day - 1); ; d = d.AddDays(7 * Interval))
                {
                    if (d > after)
                    {
                        yield return d;
                    }
                }

            case FrequencyForm.WeekInMonthDay or FrequencyForm.IntervalMonthDay:
                var step = Form == FrequencyForm.WeekInMonthDay ? 1 : Interval;
                for (var month = new DateOnly(anchor.Year, anchor.Month, 1); ; month = month.AddMonths(step))
                {
                    var d = Form == FrequencyForm.WeekInMonthDay ? WeekdayInMonth(month, Week, Day) : DayInMonth(month, Day);
                    if (d > after)
                    {
                        yield return d;
                    }
                }

            default:
                var days = QuarterDays[Quarter!];
                for (var year = anchor.Year; ; year++)
                {
                    foreach (var (m, dd) in days)
                    {
                        var d = new DateOnly(year, m, dd);
                        if (d > after)
                        {
                            yield return d;
                        }
                    }
                }
        }
    }

    /// <summary>Day <paramref name="day"/> of the month (a short month pays on its last day); -1 the last day, -2 the one before, … -5.</summary>
    public static DateOnly DayInMonth(DateOnly month, int day)
    {
        var length = DateTime.DaysInMonth(month.Year, month.Month);
        return new DateOnly(month.Year, month.Month, day < 0 ? length + day + 1 : Math.Min(day, length));
    }

    /// <summary>The <paramref name="week"/>-th given weekday of the month; week 5 in a month with four of them is the last one.</summary>
    public static DateOnly WeekdayInMonth(DateOnly month, int week, int isoDay)
    {
        var first = month.AddDays((isoDay - IsoDay(month.DayOfWeek) + 7) % 7);
        var d = first.AddDays(7 * (week - 1));
        return d.Month == month.Month ? d : d.AddDays(-7);
    }

    public static int IsoDay(DayOfWeek day) => day == DayOfWeek.Sunday ? 7 : (int)day;

    [GeneratedRegex(@"^(?<form>EvryDay)$|^(?<form>EvryWorkgDay)$|^(?<form>IntrvlDay):(?<days>0[2-9]|[1-2][0-9]|3[0-1])$|^(?<form>IntrvlWkDay):(?<weeks>0[1-9]):(?<weekday>0[1-7])$|^(?<form>WkInMnthDay):(?<week>0[1-5]):(?<mweekday>0[1-7])$|^(?<form>IntrvlMnthDay):(?<months>0[1-6]|12|24):(?<monthday>-0[1-5]|0[1-9]|[12][0-9]|3[01])$|^(?<form>QtrDay):(?<quarter>ENGLISH|SCOTTISH|RECEIVED)$")]
    private static partial Regex V3Pattern();
}
