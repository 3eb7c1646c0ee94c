namespace OpenBanking.Sandbox.Fx;

/// <summary>The FX desk's settings (configuration section <c>Fx</c>).</summary>
public sealed class FxOptions
{
    public const string SectionName = "Fx";

    /// <summary>How long an Actual rate quoted in a consent holds, on the tenant's clock (60 seconds).</summary>
    public TimeSpan ActualQuoteValidity { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Spreads in basis points for chosen pairs, overriding the desk's (the larger of the two currencies'): keys such as
    /// "GBP/EUR" (either order; "GBPEUR" also works, for environment variables).
    /// </summary>
    public Dictionary<string, int> Spreads { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The spread of a pair in basis points: the override if configured, else the larger of the two currencies'.</summary>
    public int SpreadBps(string unit, string quote)
    {
        if (unit == quote)
        {
            return 0;
        }

        foreach (var (pair, bps) in Spreads)
        {
            var letters = new string([.. pair.Where(char.IsLetter)]).ToUpperInvariant();
            if (letters == unit + quote || letters == quote + unit)
            {
                return bps;
            }
        }

        return Math.Max(FxRates.Of(unit).SpreadBps, FxRates.Of(quote).SpreadBps);
    }
}
