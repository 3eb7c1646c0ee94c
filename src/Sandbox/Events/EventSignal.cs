namespace OpenBanking.Sandbox.Events;

/// <summary>
/// In-process wake-ups, so a committed change is notified in milliseconds instead of at the next idle poll: the save
/// that writes outbox rows wakes the dispatcher; new or replayed notifications wake the deliverer and long polls. A
/// missed wake-up only costs latency: every waiter also wakes after <see cref="EventOptions.IdlePollInterval"/>.
/// </summary>
public sealed class EventSignal
{
    public Pulse Outbox { get; } = new();

    public Pulse Notifications { get; } = new();

    /// <summary>One wake-up line: <see cref="Set"/> releases everyone waiting now.</summary>
    public sealed class Pulse
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Set() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        /// <summary>Waits for the next <see cref="Set"/> or the timeout, whichever comes first; true when set.</summary>
        public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            try
            {
                await Volatile.Read(ref _next).Task.WaitAsync(timeout, cancellationToken);
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
    }
}
