namespace OpenBanking.Sandbox.Clock;

/// <summary>
/// Something a tenant's bank does when its clock reaches a time: settle payments, execute a scheduled payment or a
/// standing order's instalment, expire a consent. Advancing the clock (<see cref="ClockAdvance"/>) asks every work
/// when it is next due and runs them in time order, so a month of daily standing orders is thirty postings in date
/// order. Registered as scoped services; the background worker runs the same works for clocks that run on their own.
/// </summary>
public interface IClockWork
{
    /// <summary>The earliest time at or before <paramref name="until"/> something of the tenant falls due; null if nothing.</summary>
    Task<DateTimeOffset?> NextDueAsync(Guid tenantId, DateTimeOffset until, CancellationToken ct);

    /// <summary>Does everything of the tenant due at or before <paramref name="now"/> (the tenant's clock reads it); how many things.</summary>
    Task<int> RunDueAsync(Guid tenantId, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// A work that catches up rather than stops the clock (settlement): advancing does not stop at its instants; it runs
    /// first at every stop and once more at the end, and dates each thing it does by when that fell due. It keeps a
    /// year's advance to the instants partners scheduled instead of three stops per payment.
    /// </summary>
    bool CatchesUp => false;

    /// <summary>What will happen between the two times, for the Portal's "on the way" list (bounded by <paramref name="limit"/>).</summary>
    Task<IReadOnlyList<ClockEvent>> PreviewAsync(Guid tenantId, DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken ct);
}

/// <summary>Something that will happen, or happened, at a time on a tenant's clock.</summary>
/// <param name="Kind">What it is, e.g. "StandingOrderPayment", "ScheduledPayment", "ConsentExpiry", "Settlement".</param>
/// <param name="ResourceId">The consent or payment it concerns.</param>
/// <param name="Description">In plain words, e.g. "£25.00 to Landlord Ltd (standing order)".</param>
public sealed record ClockEvent(DateTimeOffset At, string Kind, string ResourceId, string Description);
