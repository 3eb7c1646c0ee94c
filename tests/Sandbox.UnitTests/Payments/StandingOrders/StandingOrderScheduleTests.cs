using OpenBanking.Sandbox.Payments.StandingOrders;

namespace OpenBanking.Sandbox.UnitTests.Payments.StandingOrders;

/// <summary>
/// The standing-order frequency grammar of both versions and the schedule it makes: every v3.1.11 form, v4.0's
/// OBFrequency6, month ends counted back, and the working-day rule against England and Wales bank holidays.
/// </summary>
public sealed class StandingOrderScheduleTests
{
    [Theory]
    [InlineData("EvryDay")]
    [InlineData("EvryWorkgDay")]
    [InlineData("IntrvlDay:14")]
    [InlineData("IntrvlWkDay:01:03")]
    [InlineData("IntrvlWkDay:09:07")]
    [InlineData("WkInMnthDay:05:01")]
    [InlineData("IntrvlMnthDay:01:01")]
    [InlineData("IntrvlMnthDay:24:31")]
    [InlineData("IntrvlMnthDay:06:-05")]
    [InlineData("IntrvlMnthDay:12:-01")]
    [InlineData("QtrDay:ENGLISH")]
    [InlineData("QtrDay:SCOTTISH")]
    [InlineData("QtrDay:RECEIVED")]
    public void ParseV3_EveryFormOfTheSpec_IsAcceptedAndKeepsItsCode(string code)
        => Assert.Equal(code, StandingOrderFrequency.ParseV3(code)!.Code);

    [Theory]
    [InlineData("EvryWeek")]
    [InlineData("IntrvlDay:01")]
    [InlineData("IntrvlWkDay:01:08")]
    [InlineData("IntrvlWkDay:10:01")]
    [InlineData("WkInMnthDay:06:01")]
    [InlineData("IntrvlMnthDay:07:01")]
    [InlineData("IntrvlMnthDay:01:-06")]
    [InlineData("IntrvlMnthDay:01:32")]
    [InlineData("QtrDay:WELSH")]
    [InlineData("evryday")]
    [InlineData("")]
    public void ParseV3_AnythingElse_IsNotAFrequency(string code) => Assert.Null(StandingOrderFrequency.ParseV3(code));

    [Fact]
    public void EveryDay_PaysEachCalendarDay_WeekendsIncluded()
        => Assert.Equal(["2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04", "2027-01-05"],
            Days(Schedule("EvryDay", "2027-01-01T10:00:00Z", number: 5)));

    [Fact]
    public void EveryWorkingDay_SkipsWeekendsAndEnglishBankHolidays()
        // 25 Dec 2026 Christmas (Fri), 26–27 weekend, 28 Dec Boxing Day substitute, 1 Jan 2027 New Year, 2–3 Jan weekend.
        => Assert.Equal(["2026-12-24", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-04"],
            Days(Schedule("EvryWorkgDay", "2026-12-24T09:00:00Z", number: 5)));

    [Fact]
    public void LastDayOfTheMonth_FollowsMonthLengths_AndMovesOffWeekends()
        // 31 Jan 2027 is a Sunday (→ Mon 1 Feb), 28 Feb 2027 a Sunday (→ Mon 1 Mar).
        => Assert.Equal(["2027-01-29", "2027-02-01", "2027-03-01", "2027-03-31", "2027-04-30"],
            Days(Schedule("IntrvlMnthDay:01:-01", "2027-01-29T08:00:00Z", number: 5)));

    [Theory]
    [InlineData(2027, 2, -1, 28)]
    [InlineData(2028, 2, -1, 29)]
    [InlineData(2028, 2, -2, 28)]
    [InlineData(2027, 4, -5, 26)]
    [InlineData(2027, 2, 31, 28)]
    [InlineData(2027, 4, 31, 30)]
    [InlineData(2027, 5, 15, 15)]
    public void DayInMonth_CountsBackFromTheEnd_AndShortMonthsPayOnTheirLastDay(int year, int month, int day, int expected)
        => Assert.Equal(new DateOnly(year, month, expected), StandingOrderFrequency.DayInMonth(new DateOnly(year, month, 1), day));

    [Fact]
    public void Day31_InShortMonths_PaysOnTheLastDay()
        // 30 Apr 2027 Fri; 31 May is the Spring bank holiday (→ 1 Jun); 30 Jun Wed.
        => Assert.Equal(["2027-03-31", "2027-04-30", "2027-06-01", "2027-06-30"],
            Days(Schedule("IntrvlMnthDay:01:31", "2027-03-31T08:00:00Z", number: 4)));

    [Fact]
    public void EnglishQuarterDays_ChristmasOnASaturday_PaysAfterBothSubstituteHolidays()
        // 25 Dec 2027 is a Saturday; 27 and 28 Dec are the substitute bank holidays.
        => Assert.Equal(["2027-01-11", "2027-03-25", "2027-06-24", "2027-09-29", "2027-12-29"],
            Days(Schedule("QtrDay:ENGLISH", "2027-01-11T08:00:00Z", number: 5)));

    [Fact]
    public void ScottishAndReceivedQuarterDays_AreTheirOwnDates()
    {
        Assert.Equal(["2027-01-11", "2027-02-02", "2027-05-17", "2027-08-02"], Days(Schedule("QtrDay:SCOTTISH", "2027-01-11T08:00:00Z", number: 4)));
        Assert.Equal(["2027-01-11", "2027-03-22", "2027-06-21"], Days(Schedule("QtrDay:RECEIVED", "2027-01-11T08:00:00Z", number: 3)));
    }

    [Fact]
    public void EveryTwoWeeksOnFriday_CountsFromTheFirstPaymentsWeek()
        => Assert.Equal(["2027-01-04", "2027-01-08", "2027-01-22", "2027-02-05"],
            Days(Schedule("IntrvlWkDay:02:05", "2027-01-04T08:00:00Z", number: 4)));

    [Fact]
    public void EveryTenDays_StepsFromTheFirstPayment()
        => Assert.Equal(["2027-01-04", "2027-01-14", "2027-01-25"], Days(Schedule("IntrvlDay:10", "2027-01-04T08:00:00Z", number: 3)));

    [Fact]
    public void SecondTuesday_AndAFifthMondayThatIsNotThere_IsTheLast()
    {
        Assert.Equal(["2027-01-05", "2027-01-12", "2027-02-09", "2027-03-09"], Days(Schedule("WkInMnthDay:02:02", "2027-01-05T08:00:00Z", number: 4)));
        // Feb 2027 has four Mondays (the last 22 Feb); 29 Mar 2027 is Easter Monday (→ Tue 30 Mar).
        Assert.Equal(["2027-01-04", "2027-01-25", "2027-02-22", "2027-03-30"], Days(Schedule("WkInMnthDay:05:01", "2027-01-04T08:00:00Z", number: 4)));
    }

    [Fact]
    public void FinalPaymentDateTime_EndsTheScheduleOnThatDate()
        // 1 May 2027 Sat, 3 May the Early May bank holiday → 4 May.
        => Assert.Equal(["2027-03-01", "2027-04-01", "2027-05-04", "2027-06-01", "2027-06-15"],
            Days(Schedule("IntrvlMnthDay:01:01", "2027-03-01T08:00:00Z", final: "2027-06-15T08:00:00Z")));

    [Fact]
    public void Amounts_FirstThenRecurringThenFinal()
    {
        var instalments = Schedule("IntrvlMnthDay:01:01", "2027-03-01T08:00:00Z", number: 4, recurring: 2500, final: 500).Instalments().ToList();

        Assert.Equal([1000L, 2500, 2500, 500], instalments.Select(i => i.AmountMinor));
        Assert.Equal([false, false, false, true], instalments.Select(i => i.IsFinal));
        Assert.All(instalments, i => Assert.Equal(new TimeSpan(8, 0, 0), i.DueAt.TimeOfDay));
    }

    [Fact]
    public void RecurringPaymentDateTime_StartsTheRecurringPaymentsThere()
    {
        var schedule = Schedule("IntrvlMnthDay:01:15", "2027-03-01T08:00:00Z", number: 3) with
        {
            RecurringPaymentDateTime = DateTimeOffset.Parse("2027-04-15T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        };

        Assert.Equal(["2027-03-01", "2027-04-15", "2027-05-17"], Days(schedule));
    }

    [Fact]
    public void OpenEnded_RunsOn_AndOnePayment_IsTheFinalOne()
    {
        Assert.Equal(400, Schedule("EvryDay", "2027-01-01T08:00:00Z").Instalments().Take(400).Count());
        Assert.True(Assert.Single(Schedule("EvryDay", "2027-01-01T08:00:00Z", number: 1).Instalments()).IsFinal);
        Assert.Null(Schedule("EvryDay", "2027-01-01T08:00:00Z", number: 2).Instalment(2));
    }

    [Theory]
    [InlineData("DAIL", null, null, "EvryDay")]
    [InlineData("WEEK", null, "05", "IntrvlWkDay:01:05")]
    [InlineData("WEEK", null, null, "IntrvlWkDay:01:03")]
    [InlineData("FRTN", 1, null, "IntrvlWkDay:02:03")]
    [InlineData("MNTH", null, "01", "IntrvlMnthDay:01:01")]
    [InlineData("MNTH", null, null, "IntrvlMnthDay:01:06")]
    [InlineData("QURT", null, "15", "IntrvlMnthDay:03:15")]
    [InlineData("MIAN", null, "28", "IntrvlMnthDay:06:28")]
    [InlineData("YEAR", null, "31", "IntrvlMnthDay:12:31")]
    public void FromV4_EachPeriod_IsTheMatchingV3Form(string type, int? count, string? point, string expected)
    {
        // The first payment is on Wednesday 6 January 2027: a period without PointInTime pays on its weekday or day.
        var (frequency, error, _) = StandingOrderFrequency.FromV4(type, count, point, new DateOnly(2027, 1, 6));

        Assert.Null(error);
        Assert.Equal(expected, frequency!.Code);
    }

    [Theory]
    [InlineData("INDA", null, null, "Type")]
    [InlineData("ADHO", null, null, "Type")]
    [InlineData("HOUR", null, null, "Type")]
    [InlineData("DAIL", 2, null, "CountPerPeriod")]
    [InlineData("MNTH", 1, "01", "CountPerPeriod")]
    [InlineData("MNTH", null, "32", "PointInTime")]
    [InlineData("WEEK", null, "08", "PointInTime")]
    [InlineData("DAIL", null, "01", "PointInTime")]
    [InlineData("MNTH", null, "1", "PointInTime")]
    public void FromV4_WhatHasNoStandingOrderSchedule_IsRefusedNamingTheField(string type, int? count, string? point, string field)
    {
        var (frequency, error, errorField) = StandingOrderFrequency.FromV4(type, count, point, new DateOnly(2027, 1, 6));

        Assert.Null(frequency);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Equal(field, errorField);
    }

    [Theory]
    [InlineData("EvryDay", "DAIL", null)]
    [InlineData("IntrvlWkDay:02:05", "FRTN", "05")]
    [InlineData("IntrvlMnthDay:01:01", "MNTH", "01")]
    [InlineData("IntrvlMnthDay:01:-01", "MNTH", null)]
    [InlineData("QtrDay:ENGLISH", "QURT", null)]
    [InlineData("IntrvlDay:10", "ADHO", null)]
    public void ToV4_NamesThePeriod_AndTheDayWhenItFits(string code, string type, string? point)
        => Assert.Equal((type, point), StandingOrderFrequency.ParseV3(code)!.ToV4());

    [Fact]
    public void BankHolidays_ComeFromThePackage_ForEnglandAndWales()
    {
        Assert.False(StandingOrderFrequency.IsWorkingDay(new DateOnly(2027, 3, 26))); // Good Friday
        Assert.False(StandingOrderFrequency.IsWorkingDay(new DateOnly(2027, 8, 30))); // Summer bank holiday (England)
        Assert.True(StandingOrderFrequency.IsWorkingDay(new DateOnly(2027, 8, 2))); // Scotland's summer holiday, not England's
        Assert.False(StandingOrderFrequency.IsWorkingDay(new DateOnly(2027, 1, 2))); // Saturday
        Assert.True(StandingOrderFrequency.IsWorkingDay(new DateOnly(2027, 1, 5)));
    }

    [Fact]
    public void WorkingDays_KeptPerYear_AgreeWithThePackageDayByDay()
    {
        var package = new PublicHoliday.UKBankHoliday(PublicHoliday.UKBankHoliday.UkCountries.England);
        for (var day = new DateOnly(2024, 1, 1); day < new DateOnly(2032, 1, 1); day = day.AddDays(1))
        {
            Assert.True(package.IsWorkingDay(day.ToDateTime(TimeOnly.MinValue)) == StandingOrderFrequency.IsWorkingDay(day), day.ToString("O"));
        }
    }

    [Fact]
    public void Words_SayTheScheduleInPlainEnglish()
    {
        var consent = new DomesticStandingOrderConsent
        {
            Id = "soc-1", ClientId = "wallet", InitiationJson = "{}", RiskJson = "{}", Currency = "GBP", CreditorName = "Landlord Ltd",
            CreditorSchemeName = "UK.OBIE.SortCodeAccountNumber", CreditorIdentification = "20000012345678", Frequency = "IntrvlMnthDay:01:01",
            FirstPaymentDateTime = DateTimeOffset.Parse("2027-01-01T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            NumberOfPayments = 12, FirstAmountMinor = 1000, RecurringAmountMinor = 2500, FinalAmountMinor = 500,
        };

        Assert.Equal(["£25.00 every month on the 1st", "12 payments, the first on 1 January 2027", "First payment £10.00, final payment £5.00"],
            StandingOrderWords.Terms(consent));
        Assert.Equal("every 2 weeks on Friday", StandingOrderWords.Describe(StandingOrderFrequency.ParseV3("IntrvlWkDay:02:05")!));
        Assert.Equal("every month on the second-to-last day", StandingOrderWords.Describe(StandingOrderFrequency.ParseV3("IntrvlMnthDay:01:-02")!));
        Assert.Equal("every month on the last Monday", StandingOrderWords.Describe(StandingOrderFrequency.ParseV3("WkInMnthDay:05:01")!));
        Assert.Equal("every working day", StandingOrderWords.Describe(StandingOrderFrequency.ParseV3("EvryWorkgDay")!));
    }

    private static StandingOrderSchedule Schedule(string code, string first, int? number = null, string? final = null, long? recurring = null, long? final_ = null)
        => new(StandingOrderFrequency.ParseV3(code)!, DateTimeOffset.Parse(first, System.Globalization.CultureInfo.InvariantCulture), null,
            final is null ? null : DateTimeOffset.Parse(final, System.Globalization.CultureInfo.InvariantCulture), number, 1000, recurring, final_);

    private static StandingOrderSchedule Schedule(string code, string first, int number, long recurring, long final)
        => Schedule(code, first, number: number, recurring: recurring, final_: final);

    private static string[] Days(StandingOrderSchedule schedule)
        => [.. schedule.Instalments().Take(50).Select(i => i.DueAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))];
}
