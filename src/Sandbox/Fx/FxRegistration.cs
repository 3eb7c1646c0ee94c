using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Fx;

/// <summary>The FX desk, contracts and charges tariff (issue 18).</summary>
public static class FxRegistration
{
    // FOUNDATION PLACEHOLDER (issue 18): the FX package replaces this file with the real desk, contracts and tariff.
    public static IHostApplicationBuilder AddFx(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IFxDesk, PlaceholderFxDesk>();
        builder.Services.AddScoped<IFxContracts, PlaceholderFxContracts>();
        builder.Services.AddSingleton<IChargeTariff, PlaceholderChargeTariff>();
        return builder;
    }

    public static IEndpointRouteBuilder MapFxApi(this IEndpointRouteBuilder app) => app;

    private sealed class PlaceholderFxDesk : IFxDesk
    {
        private static readonly Dictionary<string, decimal> PerUsd = new()
        {
            ["USD"] = 1m, ["GBP"] = 0.7874m, ["EUR"] = 0.92m, ["CHF"] = 0.88m, ["JPY"] = 150m, ["PLN"] = 3.95m,
            ["SEK"] = 10.5m, ["INR"] = 83.5m, ["AED"] = 3.6725m, ["BHD"] = 0.376m,
        };

        public IReadOnlyList<string> Currencies => [.. PerUsd.Keys];

        public bool Trades(string currency) => PerUsd.ContainsKey(currency);

        public ValueTask<FxQuote> QuoteAsync(Guid tenantId, string unitCurrency, string transferCurrency, DateTimeOffset at, CancellationToken ct)
        {
            var mid = Math.Round(PerUsd[transferCurrency] / PerUsd[unitCurrency], 6, MidpointRounding.ToEven);
            return ValueTask.FromResult(new FxQuote(unitCurrency, transferCurrency, mid, mid, at));
        }
    }

    private sealed class PlaceholderFxContracts : IFxContracts
    {
        public Task<FxContract?> FindAsync(Guid tenantId, string contractId, CancellationToken ct) => Task.FromResult<FxContract?>(null);

        public Task<bool> TryUseAsync(SandboxDbContext tx, string contractId, long amountMinor, DateTime now, CancellationToken ct) => Task.FromResult(false);

        public Task RestoreAsync(SandboxDbContext tx, string contractId, long amountMinor, CancellationToken ct) => Task.CompletedTask;
    }

    private sealed class PlaceholderChargeTariff : IChargeTariff
    {
        public ValueTask<TariffFees> FeesAsync(Guid tenantId, string debitCurrency, string transferCurrency, string? localInstrument, bool urgent, CancellationToken ct)
            => ValueTask.FromResult(new TariffFees(0, 0, 0));

        public string? Refuses(string chargeBearer, string transferCurrency, string? localInstrument) => null;
    }
}
