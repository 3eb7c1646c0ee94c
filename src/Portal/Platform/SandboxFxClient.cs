using System.Net.Http.Json;

namespace OpenBanking.Portal.Platform;

/// <summary>
/// The Sandbox's internal FX endpoints for one organisation's bank (scope <c>sandbox.internal</c>): the desk's rates
/// now and over the last days, and the organisation's FX contracts (booked here for the whole organisation).
/// </summary>
public sealed class SandboxFxClient(HttpClient http)
{
    private static string Base(Guid organisationId) => $"internal/tenants/{organisationId}/fx";

    /// <summary>The mid and customer rates from <paramref name="unit"/> into every other currency the desk trades, at the tenant's time.</summary>
    public async Task<FxRates> RatesAsync(Guid organisationId, string unit, CancellationToken ct)
    {
        using var response = await http.GetAsync($"{Base(organisationId)}/rates?unit={Uri.EscapeDataString(unit)}", ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<FxRates>(ct))!;
    }

    /// <summary>Mid rates from <paramref name="unit"/> over the last <paramref name="days"/> of the tenant's clock, hourly.</summary>
    public async Task<FxHistory> HistoryAsync(Guid organisationId, string unit, int days, CancellationToken ct)
    {
        using var response = await http.GetAsync($"{Base(organisationId)}/history?unit={Uri.EscapeDataString(unit)}&days={days}", ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<FxHistory>(ct))!;
    }

    /// <summary>Every contract of the organisation's bank, newest first (its apps' and those booked here).</summary>
    public async Task<IReadOnlyList<FxContract>> ContractsAsync(Guid organisationId, CancellationToken ct)
    {
        using var response = await http.GetAsync($"{Base(organisationId)}/contracts", ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<FxContract[]>(ct))!;
    }

    /// <summary>Books a contract for the whole organisation at the desk's current rate.</summary>
    /// <exception cref="PlatformServiceException">Refused; <see cref="PlatformServiceException.Errors"/> names each field.</exception>
    public async Task<FxContract> BookAsync(Guid organisationId, FxBooking booking, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync($"{Base(organisationId)}/contracts", booking, BookingJson, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<FxContract>(ct))!;
    }

    // The Sandbox reads a booking as its public API does: PascalCase names, and no field it does not know.
    private static readonly System.Text.Json.JsonSerializerOptions BookingJson = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = null,
    };
}

/// <summary>The desk's rates from one currency at the tenant's time (the Sandbox's <c>FxRatesView</c>).</summary>
public sealed record FxRates(string UnitCurrency, DateTimeOffset At, IReadOnlyList<FxRate> Rates);

/// <param name="Rate">What a customer paying in the unit currency gets (the mid less the spread).</param>
/// <param name="SellRate">The mid plus the spread: what selling the currency back costs.</param>
public sealed record FxRate(string Currency, decimal MidRate, decimal Rate, decimal SellRate, int SpreadBps);

/// <summary>Mid rates at evenly spaced times, oldest first.</summary>
public sealed record FxHistory(string UnitCurrency, IReadOnlyList<DateTimeOffset> Times, IReadOnlyList<FxSeries> Series);

public sealed record FxSeries(string Currency, IReadOnlyList<decimal> MidRates);

public sealed record FxAmount(string Amount, string Currency);

/// <summary>An FX contract (the Sandbox's <c>FxContractView</c>); <see cref="ClientId"/> null when booked in the Portal.</summary>
public sealed record FxContract(
    string ContractIdentification, string UnitCurrency, string CurrencyOfTransfer, string Side, decimal ExchangeRate, decimal MidRate,
    FxAmount Amount, FxAmount Remaining, DateTimeOffset CreationDateTime, DateTimeOffset ExpirationDateTime, string Status, string? ClientId);

/// <summary>A booking: the pair, the side, the amount in either currency of the pair, and how long it holds (ISO 8601).</summary>
public sealed record FxBooking(string UnitCurrency, string CurrencyOfTransfer, string Side, FxAmount Amount, string ValidFor);
