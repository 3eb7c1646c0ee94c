using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Fx;

/// <summary>
/// The bank's FX desk for every tenant: the rates of <see cref="FxRates"/> at the tenant's seed and time, with the
/// spread of the pair. A singleton; the only state is each tenant's seed, read once (it never changes: it is derived
/// from the organisation id, and a reset keeps it).
/// </summary>
public sealed class FxDesk(IServiceScopeFactory scopes, IOptions<FxOptions> options) : IFxDesk
{
    private readonly ConcurrentDictionary<Guid, int> _seeds = new();

    public IReadOnlyList<string> Currencies => FxRates.Codes;

    public bool Trades(string currency) => FxRates.Trades(currency);

    public async ValueTask<FxQuote> QuoteAsync(Guid tenantId, string unitCurrency, string transferCurrency, DateTimeOffset at, CancellationToken ct)
        => Quote(await SeedAsync(tenantId, ct), unitCurrency, transferCurrency, at);

    /// <summary>A customer buying <paramref name="transferCurrency"/> with <paramref name="unitCurrency"/> at the tenant's time <paramref name="at"/>.</summary>
    public FxQuote Quote(int seed, string unitCurrency, string transferCurrency, DateTimeOffset at)
    {
        RequireTraded(unitCurrency);
        RequireTraded(transferCurrency);
        var mid = FxRates.Mid(seed, unitCurrency, transferCurrency, at);
        return new FxQuote(unitCurrency, transferCurrency, mid, FxRates.Buy(mid, SpreadBps(unitCurrency, transferCurrency)), at);
    }

    public int SpreadBps(string unitCurrency, string transferCurrency) => options.Value.SpreadBps(unitCurrency, transferCurrency);

    /// <summary>The tenant's seed, from the cache or the Tenants table.</summary>
    public async ValueTask<int> SeedAsync(Guid tenantId, CancellationToken ct)
    {
        if (_seeds.TryGetValue(tenantId, out var seed))
        {
            return seed;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        seed = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => (int?)t.Seed).SingleOrDefaultAsync(ct)
            ?? throw new InvalidOperationException($"No tenant {tenantId}.");
        return _seeds.GetOrAdd(tenantId, seed);
    }

    private static void RequireTraded(string currency)
    {
        if (!FxRates.Trades(currency))
        {
            throw new ArgumentException($"The FX desk does not trade {currency}.", nameof(currency));
        }
    }
}
