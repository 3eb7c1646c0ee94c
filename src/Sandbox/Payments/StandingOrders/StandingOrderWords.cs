using System.Globalization;
using OpenBanking.Sandbox.Bank;

namespace OpenBanking.Sandbox.Payments.StandingOrders;

/// <summary>
/// A standing order in plain words, for the customer's consent page and dashboard: "£25.00 every month on the 1st",
/// "12 payments, the first on 1 January 2027", "First payment £10.00, final payment £5.00".
/// </summary>
public static class StandingOrderWords
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    private static readonly Dictionary<string, string> QuarterDays = new(StringComparer.Ordinal)
    {
        ["ENGLISH"] = "the English quarter days (25 March, 24 June, 29 September, 25 December)",
        ["SCOTTISH"] = "the Scottish term days (2 February, 15 May, 1 August, 11 November)",
        ["RECEIVED"] = "20 March, 19 June, 24 September and 20 December",
    };

    /// <summary>The consent's terms, one line each; with the next payment when the order is live.</summary>
    public static IReadOnlyList<string> Terms(DomesticStandingOrderConsent consent, DomesticStandingOrder? order = null)
    {
        var frequency = StandingOrderFrequency.ParseV3(consent.Frequency)!;
        var regular = consent.RecurringAmountMinor ?? consent.FirstAmountMinor;
        var lines = new List<string> { $"{Money.Display(regular, consent.Currency)} {Describe(frequency)}" };
        var first = Date(consent.FirstPaymentDateTime);
        lines.Add(consent.NumberOfPayments is { } n ? $"{n} payment{(n == 1 ? string.Empty : "s")}, the first on {first}"
            : consent.FinalPaymentDateTime is { } final ? $"The first on {first}, the last on {Date(final)}"
            : $"Until you cancel it, the first on {first}");
        var differs = new List<string>();
        if (consent.FirstAmountMinor != regular)
        {
            differs.Add($"first payment {Money.Display(consent.FirstAmountMinor, consent.Currency)}");
        }

        if (consent.FinalAmountMinor is { } last && last != regular)
        {
            differs.Add($"final payment {Money.Display(last, consent.Currency)}");
        }

        if (differs.Count > 0)
        {
            var text = string.Join(", ", differs);
            lines.Add(char.ToUpperInvariant(text[0]) + text[1..]);
        }

        if (order is { NextDueAt: { } next, NextAmountMinor: { } amount })
        {
            lines.Add($"Next payment {Money.Display(amount, consent.Currency)} on {Date(new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc)))}");
        }

        return lines;
    }

    /// <summary>How often, e.g. "every month on the 1st", "every 2 weeks on Friday", "every working day".</summary>
    public static string Describe(StandingOrderFrequency f) => f.Form switch
    {
        FrequencyForm.EveryDay => "every day",
        FrequencyForm.EveryWorkingDay => "every working day",
        FrequencyForm.IntervalDay => $"every {f.Interval} days",
        FrequencyForm.IntervalWeekDay => $"{Every(f.Interval, "week")} on {Weekday(f.Day)}",
        FrequencyForm.WeekInMonthDay => $"every month on the {(f.Week == 5 ? "last" : Ordinal(f.Week))} {Weekday(f.Day)}",
        FrequencyForm.IntervalMonthDay => $"{Every(f.Interval, "month")} on the {MonthDay(f.Day)}",
        _ => $"every quarter on {QuarterDays[f.Quarter!]}",
    };

    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("d MMMM yyyy", English);

    private static string Every(int interval, string unit) => interval == 1 ? $"every {unit}" : $"every {interval} {unit}s";

    private static string Weekday(int isoDay) => ((DayOfWeek)(isoDay % 7)).ToString();

    private static string MonthDay(int day) => day switch
    {
        -1 => "last day",
        < 0 => $"{Ordinal(-day)}-to-last day",
        _ => Suffix(day),
    };

    private static string Ordinal(int n) => n switch { 1 => "first", 2 => "second", 3 => "third", 4 => "fourth", _ => "fifth" };

    private static string Suffix(int day) => day + (day % 100 is 11 or 12 or 13 ? "th" : (day % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });
}
