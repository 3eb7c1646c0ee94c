namespace OpenBanking.Sandbox.Internal;

/// <summary>
/// Wakes the fraud feed's long-polls when a payment's screening has committed (raised by the payment pipeline after
/// its transaction). A waiter takes <see cref="Next"/> BEFORE it reads the feed, so a commit between its read and
/// its wait is never missed.
/// </summary>
public interface IFraudFeedSignal
{
    /// <summary>Completes at the next <see cref="Raise"/>.</summary>
    Task Next { get; }

    void Raise();
}

public sealed class FraudFeedSignal : IFraudFeedSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Raise()
        => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
