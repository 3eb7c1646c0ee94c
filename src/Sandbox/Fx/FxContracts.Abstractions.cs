using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Fx;

/// <summary>
/// A rate for converting from <paramref name="UnitCurrency"/> (the payer's account currency) into
/// <paramref name="TransferCurrency"/>: <see cref="Rate"/> units of the transfer currency per one unit currency, the
/// bank's spread taken (what the customer gets), and the <see cref="MidRate"/> behind it. Six decimal places.
/// </summary>
public sealed record FxQuote(string UnitCurrency, string TransferCurrency, decimal MidRate, decimal Rate, DateTimeOffset At);

/// <summary>
/// The bank's FX desk for one tenant (docs/international-payments.md): mid rates that move on the tenant's clock,
/// deterministic per tenant, and the bank's spread per currency pair.
/// </summary>
public interface IFxDesk
{
    /// <summary>The currencies the desk trades (ISO 4217 codes).</summary>
    IReadOnlyList<string> Currencies { get; }

    bool Trades(string currency);

    /// <summary>
    /// The rate at the tenant's time <paramref name="at"/> for a customer paying in <paramref name="unitCurrency"/> and
    /// sending <paramref name="transferCurrency"/>. Both must be traded (<see cref="Trades"/>); the same currency gives 1.
    /// </summary>
    ValueTask<FxQuote> QuoteAsync(Guid tenantId, string unitCurrency, string transferCurrency, DateTimeOffset at, CancellationToken ct);
}

/// <summary>The FX contracts partners book (Agreed rates), as payments need them.</summary>
public interface IFxContracts
{
    /// <summary>The tenant's contract with this id, or null (another tenant's is not found either).</summary>
    Task<FxContract?> FindAsync(Guid tenantId, string contractId, CancellationToken ct);

    /// <summary>
    /// Uses <paramref name="amountMinor"/> (in the contract's notional currency) of the contract inside the caller's
    /// transaction, by a guarded update: false, and nothing changed, when it has expired by <paramref name="now"/> (the
    /// tenant's time, UTC) or has less left.
    /// </summary>
    Task<bool> TryUseAsync(SandboxDbContext tx, string contractId, long amountMinor, DateTime now, CancellationToken ct);

    /// <summary>Gives back what a payment used (its settlement failed and the payer was refunded), in the caller's transaction.</summary>
    Task RestoreAsync(SandboxDbContext tx, string contractId, long amountMinor, CancellationToken ct);
}

/// <summary>
/// The fees of one payment abroad from the tenant's tariff: <see cref="TransferFeeMinor"/> and
/// <see cref="UrgentFeeMinor"/> are the bank's, in the debit currency; <see cref="CorrespondentFeeMinor"/> is what the
/// correspondent banks take, in the transfer currency. Who bears which follows the ChargeBearer.
/// </summary>
public sealed record TariffFees(long TransferFeeMinor, long UrgentFeeMinor, long CorrespondentFeeMinor);

/// <summary>A tenant's charges tariff for payments abroad.</summary>
public interface IChargeTariff
{
    ValueTask<TariffFees> FeesAsync(Guid tenantId, string debitCurrency, string transferCurrency, string? localInstrument, bool urgent, CancellationToken ct);

    /// <summary>Why this ChargeBearer cannot be honoured for such a payment, in words; null when it can.</summary>
    string? Refuses(string chargeBearer, string transferCurrency, string? localInstrument);
}
