namespace OpenBanking.Sandbox.Fx;

/// <summary>Which way a contract converts, from the customer's side.</summary>
public enum FxSide
{
    /// <summary>The customer buys the quote currency (CurrencyOfTransfer) with the unit currency: what an outgoing payment needs.</summary>
    Buy,

    /// <summary>The customer sells the quote currency for the unit currency.</summary>
    Sell,
}

/// <summary>
/// A rate the partner booked in advance with the bank's FX desk (the <c>ContractIdentification</c> of an Agreed
/// exchange rate): a currency pair, a side, a fixed rate, an amount that payments use up, and an expiry on the
/// tenant's clock.
/// </summary>
public sealed class FxContract
{
    /// <summary>"fxc-" and 24 hex digits: at most 35 characters, the AIS CurrencyExchange's limit for it.</summary>
    public required string Id { get; set; }
    public Guid TenantId { get; set; }
    /// <summary>The app that booked it; null when booked in the Portal for the whole organisation.</summary>
    public string? ClientId { get; set; }
    public required string UnitCurrency { get; set; }
    public required string QuoteCurrency { get; set; }
    public FxSide Side { get; set; }
    /// <summary>Units of the quote currency per one unit of the unit currency (6 decimal places).</summary>
    public decimal Rate { get; set; }
    public decimal MidRate { get; set; }
    /// <summary>The currency its amount is in (either of the pair).</summary>
    public required string NotionalCurrency { get; set; }
    public long NotionalMinor { get; set; }
    /// <summary>What payments have not used yet, in the notional currency.</summary>
    public long RemainingMinor { get; set; }
    /// <summary>UTC, on the tenant's clock (DateTime, so that SQLite can compare it in the guarded update that uses the contract).</summary>
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public int Version { get; set; }

    public static string NewId() => "fxc-" + Guid.NewGuid().ToString("N")[..24];
}
