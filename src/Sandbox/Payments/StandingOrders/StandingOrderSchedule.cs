namespace OpenBanking.Sandbox.Payments.StandingOrders;

/// <summary>One payment of a standing order: its number (0 the first), when it is made, how much, and whether it is the last.</summary>
public sealed record Instalment(int Number, DateTimeOffset DueAt, long AmountMinor, bool IsFinal);

/// <summary>
/// A standing order's payments, from its terms (the same in both versions once parsed). The first payment is on
/// FirstPaymentDateTime's date; the recurring ones follow the frequency after it (from RecurringPaymentDateTime's date
/// when given); with NumberOfPayments the last of them is the final one, with FinalPaymentDateTime the final one is on
/// that date; with neither it runs until cancelled. Every payment is made at the first payment's time of day (UTC),
/// on the day <see cref="StandingOrderFrequency.PaymentDay"/> says (working-day rule). Amounts: the first payment's,
/// then the recurring one's (else the first's), the final one's for the last (else the recurring one's).
/// </summary>
public sealed record StandingOrderSchedule(
    StandingOrderFrequency Frequency,
    DateTimeOffset FirstPaymentDateTime,
    DateTimeOffset? RecurringPaymentDateTime,
    DateTimeOffset? FinalPaymentDateTime,
    int? NumberOfPayments,
    long FirstAmountMinor,
    long? RecurringAmountMinor,
    long? FinalAmountMinor)
{
    /// <summary>Every payment, in order (endless for an open-ended order: take what you need).</summary>
    public IEnumerable<Instalment> Instalments()
    {
        var first = FirstPaymentDateTime.ToUniversalTime();
        var time = first.TimeOfDay;
        var recurring = RecurringAmountMinor ?? FirstAmountMinor;
        var final = FinalAmountMinor ?? recurring;
        var firstDay = DateOnly.FromDateTime(first.UtcDateTime);
        var finalDay = FinalPaymentDateTime is { } f ? DateOnly.FromDateTime(f.UtcDateTime) : (DateOnly?)null;

        DateTimeOffset At(DateOnly day) => new(Frequency.PaymentDay(day).ToDateTime(TimeOnly.MinValue) + time, TimeSpan.Zero);

        if (NumberOfPayments == 1 || finalDay == firstDay)
        {
            yield return new Instalment(0, At(firstDay), FirstAmountMinor, IsFinal: true);
            yield break;
        }

        yield return new Instalment(0, At(firstDay), FirstAmountMinor, IsFinal: false);
        var number = 1;
        foreach (var day in RecurringDays(firstDay))
        {
            if (finalDay is { } last && day >= last)
            {
                break;
            }

            var isFinal = NumberOfPayments is { } n && number == n - 1;
            yield return new Instalment(number, At(day), isFinal ? final : recurring, isFinal);
            if (isFinal)
            {
                yield break;
            }

            number++;
        }

        if (finalDay is { } end)
        {
            yield return new Instalment(number, At(end), final, IsFinal: true);
        }
    }

    /// <summary>The payment of this number, or null when the order has no more.</summary>
    public Instalment? Instalment(int number) => Instalments().Skip(number).FirstOrDefault();

    private IEnumerable<DateOnly> RecurringDays(DateOnly firstDay)
    {
        if (RecurringPaymentDateTime is { } r)
        {
            var start = DateOnly.FromDateTime(r.UtcDateTime);
            yield return start;
            foreach (var day in Frequency.DatesAfter(start, start))
            {
                yield return day;
            }

            yield break;
        }

        foreach (var day in Frequency.DatesAfter(firstDay, firstDay))
        {
            yield return day;
        }
    }
}
