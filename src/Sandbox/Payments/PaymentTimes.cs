namespace OpenBanking.Sandbox.Payments;

/// <summary>Payment times as the API shows them: UTC, whole seconds.</summary>
internal static class PaymentTimes
{
    public static DateTime WholeSeconds(DateTime value) => value.AddTicks(-(value.Ticks % TimeSpan.TicksPerSecond));

    public static string Truncate(string value, int length) => value.Length <= length ? value : value[..(length - 1)] + "…";
}
