using System.Globalization;
using System.Text.Json;

namespace OpenBanking.Sandbox.Payments.Vrp;

/// <summary>One <c>PeriodicLimits</c> entry: at most <see cref="AmountMinor"/> in each period of its type and alignment.</summary>
public sealed record VrpPeriodicLimit(string PeriodType, string PeriodAlignment, long AmountMinor, string Currency);

/// <summary>The current period of a limit and what may be paid in it (pro-rated for a first calendar period begun mid-way).</summary>
public readonly record struct VrpPeriod(DateTimeOffset Start, DateTimeOffset End, long LimitMinor);

/// <summary>
/// The <c>ControlParameters</c> the bank enforces on each payment, and the period arithmetic of the limits — all in UK
/// local time (Europe/London) on the tenant's clock, so a calendar day or month starts at midnight in London whatever
/// the season.
/// </summary>
public sealed record VrpControls(
    long MaximumIndividualAmountMinor,
    string Currency,
    IReadOnlyList<VrpPeriodicLimit> Limits,
    IReadOnlyList<string> VrpTypes,
    IReadOnlyList<string> AuthenticationMethods,
    IReadOnlyList<string>? InteractionTypes,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidTo,
    DateTimeOffset Anchor)
{
    public const string Sweeping = "UK.OBIE.VRPType.Sweeping";
    public const string Other = "UK.OBIE.VRPType.Other";
    public static readonly string[] PeriodTypes = ["Day", "Week", "Fortnight", "Month", "Half-year", "Year"];
    public static readonly string[] Alignments = ["Consent", "Calendar"];
    public static readonly string[] Types = [Sweeping, Other];
    public static readonly string[] Methods = ["UK.OBIE.SCA", "UK.OBIE.SCANotRequired"];
    public static readonly string[] Interactions = ["InSession", "OffSession"];

    /// <summary>
    /// Calendar fortnights are not defined by the standard: the bank counts them in fourteen-day steps from Monday
    /// 1 January 2024 (so each starts on a Monday, every other week).
    /// </summary>
    public static readonly DateTime FortnightEpoch = new(2024, 1, 1);

    public static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    /// <summary>The controls of a stored consent; consent-aligned periods start at ValidFromDateTime, else at the consent's creation.</summary>
    public static VrpControls FromJson(string json, DateTimeOffset created)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var maximum = root.GetProperty("MaximumIndividualAmount");
        var limits = root.GetProperty("PeriodicLimits").EnumerateArray().Select(l => new VrpPeriodicLimit(
            l.GetProperty("PeriodType").GetString()!, l.GetProperty("PeriodAlignment").GetString()!,
            Minor(l.GetProperty("Amount").GetString()!), l.GetProperty("Currency").GetString()!)).ToList();
        var validFrom = Date(root, "ValidFromDateTime");
        return new VrpControls(
            Minor(maximum.GetProperty("Amount").GetString()!), maximum.GetProperty("Currency").GetString()!, limits,
            Strings(root, "VRPType") ?? [], Strings(root, "PSUAuthenticationMethods") ?? [], Strings(root, "PSUInteractionTypes"),
            validFrom, Date(root, "ValidToDateTime"), validFrom ?? created);
    }

    public static long Minor(string amount) => (long)(decimal.Parse(amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * 100m);

    /// <summary>
    /// The period of <paramref name="limit"/> that contains <paramref name="now"/>, and its limit.
    /// Consent alignment: periods of the type's length follow one another from the anchor (months added to the anchor's
    /// date, so a consent of 31 January has periods from 28/29 February, 31 March, …). Calendar alignment: the
    /// calendar's day, Monday-to-Sunday week, fortnight (<see cref="FortnightEpoch"/>), month, half-year (January or
    /// July) or year; when the consent starts after the first day of that calendar period, that first period's limit
    /// is pro-rated by the spec's rule: Amount × (whole days left after the start day) ÷ (days in the period), rounded
    /// down to the penny — a £500 yearly limit of a consent starting 5 June 2021 allows £500 × 209 / 365 = £286.30.
    /// </summary>
    public static VrpPeriod Period(VrpPeriodicLimit limit, DateTimeOffset anchor, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, London).DateTime;
        var anchorLocal = TimeZoneInfo.ConvertTime(anchor, London).DateTime;
        if (limit.PeriodAlignment == "Consent")
        {
            var (days, months) = Length(limit.PeriodType);
            DateTime start;
            if (days > 0)
            {
                var steps = Math.Max(0, (long)Math.Floor((local - anchorLocal).TotalDays / days));
                start = anchorLocal.AddDays(steps * days);
                return new VrpPeriod(Utc(start), Utc(start.AddDays(days)), limit.AmountMinor);
            }

            var elapsed = ((local.Year - anchorLocal.Year) * 12) + local.Month - anchorLocal.Month;
            if (anchorLocal.AddMonths(elapsed) > local)
            {
                elapsed--;
            }

            var k = Math.Max(0, elapsed) / months;
            start = anchorLocal.AddMonths(k * months);
            return new VrpPeriod(Utc(start), Utc(anchorLocal.AddMonths((k + 1) * months)), limit.AmountMinor);
        }

        var (calendarStart, calendarEnd) = CalendarPeriod(limit.PeriodType, local.Date);
        var amount = limit.AmountMinor;
        if (anchorLocal.Date > calendarStart && anchorLocal.Date < calendarEnd)
        {
            var daysLeft = (calendarEnd - anchorLocal.Date).Days - 1;
            var daysInPeriod = (calendarEnd - calendarStart).Days;
            amount = (long)Math.Floor((decimal)limit.AmountMinor * daysLeft / daysInPeriod);
        }

        return new VrpPeriod(Utc(calendarStart), Utc(calendarEnd), amount);
    }

    /// <summary>The calendar period of a type containing a London date: [start, end) as London dates.</summary>
    public static (DateTime Start, DateTime End) CalendarPeriod(string periodType, DateTime date)
    {
        switch (periodType)
        {
            case "Day":
                return (date, date.AddDays(1));
            case "Week":
                var monday = date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
                return (monday, monday.AddDays(7));
            case "Fortnight":
                var offset = (long)Math.Floor((date - FortnightEpoch).TotalDays / 14) * 14;
                var first = FortnightEpoch.AddDays(offset);
                return (first, first.AddDays(14));
            case "Month":
                var month = new DateTime(date.Year, date.Month, 1);
                return (month, month.AddMonths(1));
            case "Half-year":
                var half = new DateTime(date.Year, date.Month <= 6 ? 1 : 7, 1);
                return (half, half.AddMonths(6));
            case "Year":
                var year = new DateTime(date.Year, 1, 1);
                return (year, year.AddYears(1));
            default:
                throw new ArgumentOutOfRangeException(nameof(periodType), periodType, null);
        }
    }

    private static (int Days, int Months) Length(string periodType) => periodType switch
    {
        "Day" => (1, 0),
        "Week" => (7, 0),
        "Fortnight" => (14, 0),
        "Month" => (0, 1),
        "Half-year" => (0, 6),
        "Year" => (0, 12),
        _ => throw new ArgumentOutOfRangeException(nameof(periodType), periodType, null),
    };

    /// <summary>A London wall-clock time as an instant (a time skipped by the spring change moves on by the hour skipped).</summary>
    private static DateTimeOffset Utc(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (London.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, London), TimeSpan.Zero);
    }

    private static DateTimeOffset? Date(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;

    private static List<string>? Strings(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(e => e.GetString()!)]
            : null;
}

/// <summary>A payment checked against the controls: the first one it breaks, in plain words, or null.</summary>
public static class VrpRules
{
    /// <summary>
    /// What stops a payment of <paramref name="amountMinor"/> at <paramref name="now"/>, given the payments already
    /// counted (not rejected) under the consent, or null when it is within every control.
    /// </summary>
    public static string? Breach(VrpControls controls, long amountMinor, string currency, DateTimeOffset now,
        IReadOnlyList<(DateTimeOffset At, long AmountMinor)> counted)
    {
        if (controls.ValidFrom is { } from && now < from)
        {
            return $"The consent is valid from {from:yyyy-MM-ddTHH:mm:ssZ}.";
        }

        if (controls.ValidTo is { } to && now >= to)
        {
            return $"The consent was valid until {to:yyyy-MM-ddTHH:mm:ssZ}.";
        }

        if (currency != controls.Currency)
        {
            return $"The consent allows payments in {controls.Currency} only.";
        }

        if (amountMinor > controls.MaximumIndividualAmountMinor)
        {
            return $"The amount is over the MaximumIndividualAmount of {Bank.Money.Display(controls.MaximumIndividualAmountMinor, currency)}.";
        }

        foreach (var limit in controls.Limits)
        {
            var period = VrpControls.Period(limit, controls.Anchor, now);
            var used = counted.Where(p => p.At >= period.Start && p.At < period.End).Sum(p => p.AmountMinor);
            if (used + amountMinor > period.LimitMinor)
            {
                return $"The payment would take the {limit.PeriodType} ({limit.PeriodAlignment}-aligned) total to "
                    + $"{Bank.Money.Display(used + amountMinor, currency)}, over its limit of {Bank.Money.Display(period.LimitMinor, currency)} "
                    + $"for {period.Start:yyyy-MM-ddTHH:mm:ssZ} to {period.End:yyyy-MM-ddTHH:mm:ssZ}.";
            }
        }

        return null;
    }

    /// <summary>From when payments count towards some limit at <paramref name="now"/> (the earliest current period's start).</summary>
    public static DateTimeOffset CountFrom(VrpControls controls, DateTimeOffset now)
        => controls.Limits.Count == 0 ? now : controls.Limits.Min(l => VrpControls.Period(l, controls.Anchor, now).Start);
}
