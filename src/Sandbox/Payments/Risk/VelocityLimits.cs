namespace OpenBanking.Sandbox.Payments;

/// <summary>The risk rules' velocity limits (payments from one account), part of <see cref="PaymentOptions"/>.</summary>
public sealed record VelocityLimits
{
    public int PerTenMinutes { get; init; } = 10;

    public int PerHour { get; init; } = 30;
}
