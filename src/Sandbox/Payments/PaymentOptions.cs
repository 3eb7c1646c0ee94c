namespace OpenBanking.Sandbox.Payments;

/// <summary>The settlement worker's timing (<c>Payments</c> section).</summary>
public sealed class PaymentOptions
{
    public const string SectionName = "Payments";

    /// <summary>Run the background settlement worker (tests drive it step by step instead).</summary>
    public bool WorkerEnabled { get; set; } = true;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the clock worker runs what fell due on running clocks (scheduled payments, standing orders).</summary>
    public TimeSpan ClockWorkInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pending → AcceptedSettlementInProcess after this long.</summary>
    public TimeSpan AcceptAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>AcceptedSettlementInProcess → AcceptedSettlementCompleted (or Rejected) after this long.</summary>
    public TimeSpan SettleAfter { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How many times slower the "slow settlement" scenario is.</summary>
    public int SlowFactor { get; set; } = 10;

    /// <summary>Payments moved on per database transaction, in each of the two transitions.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>The risk rules' velocity limits (payments from one account).</summary>
    public VelocityLimits Velocity { get; set; } = new();
}
