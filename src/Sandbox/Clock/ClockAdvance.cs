using System.Collections.Concurrent;

namespace OpenBanking.Sandbox.Clock;

/// <summary>
/// Moves a tenant's clock: freeze, unfreeze, advance by a duration or to an instant — never backwards. Advancing
/// steps the clock through every instant something falls due (<see cref="IClockWork"/>), earliest first, runs what is
/// due at each, and returns when all of it is done; then the clock stands at the target. One move per tenant at a time.
/// </summary>
public sealed class ClockAdvance(TenantClocks clocks, IEnumerable<IClockWork> works)
{
    /// <summary>The furthest one move may go: a partner testing a year of standing orders needs a year, not a century.</summary>
    public static readonly TimeSpan MaximumMove = TimeSpan.FromDays(5 * 366);

    private static readonly ConcurrentDictionary<Guid, SemaphoreSlim> Moving = new();

    public async Task<ClockState> FreezeAsync(ClockState state, bool freeze, CancellationToken ct)
    {
        var gate = Moving.GetOrAdd(state.TenantId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            state = clocks.Get(state.TenantId) ?? state;
            var realNow = clocks.RealTime.GetUtcNow();
            var now = state.Now(realNow);
            if (freeze == state.Frozen)
            {
                return state;
            }

            // Unfreezing continues from where it stood: time never jumps, in either direction.
            var next = freeze ? state with { FrozenAt = now } : state with { FrozenAt = null, Offset = now - realNow };
            return await clocks.SaveAsync(next, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Advances to <paramref name="target"/>, running everything that falls due on the way, in order.</summary>
    /// <exception cref="ClockMoveException">The target is in the tenant's past, or too far ahead.</exception>
    public async Task<AdvanceResult> AdvanceToAsync(ClockState state, DateTimeOffset target, CancellationToken ct)
    {
        var gate = Moving.GetOrAdd(state.TenantId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            state = clocks.Get(state.TenantId) ?? state;
            var from = state.Now(clocks.RealTime.GetUtcNow());
            if (target < from)
            {
                throw new ClockMoveException(
                    $"The sandbox clock never moves backwards: it reads {Rfc3339(from)} and {Rfc3339(target)} is earlier. Reset the sandbox to return to real time.");
            }

            if (target - from > MaximumMove)
            {
                throw new ClockMoveException($"One move may go at most {MaximumMove.TotalDays:0} days ahead; move in steps.");
            }

            var ran = 0;
            var steps = 0;
            // Catch-up works run first at each stop, so that what settled before an instant is in the balances it reads.
            var ordered = works.OrderByDescending(w => w.CatchesUp).ToList();
            while (true)
            {
                DateTimeOffset? next = null;
                foreach (var work in ordered.Where(w => !w.CatchesUp))
                {
                    var due = await work.NextDueAsync(state.TenantId, target, ct);
                    if (due is { } at && (next is null || at < next))
                    {
                        next = at;
                    }
                }

                // Work already overdue runs now; the clock itself only ever moves forward.
                var stepTo = next is { } n && n > state.Now(clocks.RealTime.GetUtcNow()) ? n : state.Now(clocks.RealTime.GetUtcNow());
                if (next is null)
                {
                    break;
                }

                // Held in memory at each stop (what the work's saves read), saved once at the end.
                state = clocks.Hold(state.At(stepTo, clocks.RealTime.GetUtcNow()));
                var done = 0;
                foreach (var work in ordered)
                {
                    done += await work.RunDueAsync(state.TenantId, stepTo, ct);
                }

                ran += done;
                steps++;
                if (done == 0)
                {
                    // Something says it is due but does nothing when run: stop rather than loop forever.
                    break;
                }
            }

            state = await clocks.SaveAsync(state.At(target, clocks.RealTime.GetUtcNow()), ct);
            foreach (var work in ordered.Where(w => w.CatchesUp))
            {
                ran += await work.RunDueAsync(state.TenantId, target, ct);
            }

            return new AdvanceResult(state, from, ran, steps);
        }
        catch
        {
            // A stop held in memory but never saved: read the clock again from what was saved.
            clocks.Forget(state.TenantId);
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>What will happen between now and <paramref name="until"/>, earliest first.</summary>
    public async Task<IReadOnlyList<ClockEvent>> PreviewAsync(ClockState state, DateTimeOffset until, int limit, CancellationToken ct)
    {
        var from = state.Now(clocks.RealTime.GetUtcNow());
        var events = new List<ClockEvent>();
        foreach (var work in works)
        {
            events.AddRange(await work.PreviewAsync(state.TenantId, from, until, limit, ct));
        }

        return events.OrderBy(e => e.At).ThenBy(e => e.ResourceId, StringComparer.Ordinal).Take(limit).ToList();
    }

    public static string Rfc3339(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <param name="Ran">How many things were done on the way (payments executed, settled, consents expired).</param>
/// <param name="Steps">How many instants the clock stopped at to do them.</param>
public sealed record AdvanceResult(ClockState State, DateTimeOffset From, int Ran, int Steps);

/// <summary>A clock move the sandbox refuses, with a message for the partner.</summary>
public sealed class ClockMoveException(string message) : Exception(message);
