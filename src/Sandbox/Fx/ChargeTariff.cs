using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Fx;

/// <summary>
/// A charges tariff for payments abroad, in minor units per currency: the bank's transfer fee and urgent fee (taken
/// in the debit currency) and the correspondent banks' fee (taken in the transfer currency). SEPA credit transfers in
/// euros cost nothing.
/// </summary>
public sealed record TariffTable(
    IReadOnlyDictionary<string, long> TransferFee,
    IReadOnlyDictionary<string, long> UrgentFee,
    IReadOnlyDictionary<string, long> CorrespondentFee)
{
    /// <summary>The bank's default tariff (docs/fx.md).</summary>
    public static readonly TariffTable Default = new(
        Minor(("GBP", "5.00"), ("EUR", "6.00"), ("USD", "7.00"), ("CHF", "7.00"), ("JPY", "1000"), ("PLN", "30.00"),
            ("SEK", "70.00"), ("INR", "600.00"), ("AED", "25.00"), ("BHD", "2.500")),
        Minor(("GBP", "10.00"), ("EUR", "10.00"), ("USD", "10.00"), ("CHF", "10.00"), ("JPY", "1500"), ("PLN", "40.00"),
            ("SEK", "100.00"), ("INR", "800.00"), ("AED", "35.00"), ("BHD", "3.750")),
        Minor(("GBP", "8.00"), ("EUR", "8.00"), ("USD", "10.00"), ("CHF", "10.00"), ("JPY", "1500"), ("PLN", "40.00"),
            ("SEK", "100.00"), ("INR", "800.00"), ("AED", "35.00"), ("BHD", "3.750")));

    public static readonly IReadOnlySet<string> SepaInstruments = new HashSet<string>(StringComparer.Ordinal)
    {
        "UK.OBIE.SEPACreditTransfer",
        "UK.OBIE.SEPAInstantCreditTransfer",
    };

    public static bool IsSepa(string transferCurrency, string? localInstrument)
        => transferCurrency == "EUR" && localInstrument is not null && SepaInstruments.Contains(localInstrument);

    public TariffFees Fees(string debitCurrency, string transferCurrency, string? localInstrument, bool urgent)
    {
        if (IsSepa(transferCurrency, localInstrument))
        {
            return new TariffFees(0, 0, 0);
        }

        return new TariffFees(
            TransferFee.GetValueOrDefault(debitCurrency),
            urgent ? UrgentFee.GetValueOrDefault(debitCurrency) : 0,
            CorrespondentFee.GetValueOrDefault(transferCurrency));
    }

    /// <summary>
    /// A tenant's tariff: its JSON (<c>{"TransferFee": {"GBP": "2.50"}, "UrgentFee": {…}, "CorrespondentFee": {…}}</c>,
    /// amounts in major units as strings) over the default, so a tenant names only what differs. Null or unreadable JSON
    /// gives the default: a broken override must not stop payments.
    /// </summary>
    public static TariffTable Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Default;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Default;
            }

            return new TariffTable(
                Merge(Default.TransferFee, document.RootElement, nameof(TransferFee)),
                Merge(Default.UrgentFee, document.RootElement, nameof(UrgentFee)),
                Merge(Default.CorrespondentFee, document.RootElement, nameof(CorrespondentFee)));
        }
        catch (JsonException)
        {
            return Default;
        }
    }

    private static Dictionary<string, long> Merge(IReadOnlyDictionary<string, long> defaults, JsonElement root, string name)
    {
        var merged = defaults.ToDictionary(StringComparer.Ordinal);
        if (root.TryGetProperty(name, out var fees) && fees.ValueKind == JsonValueKind.Object)
        {
            foreach (var fee in fees.EnumerateObject())
            {
                var text = fee.Value.ValueKind switch
                {
                    JsonValueKind.String => fee.Value.GetString(),
                    JsonValueKind.Number => fee.Value.GetRawText(),
                    _ => null,
                };
                if (!Currencies.IsWellFormed(fee.Name) || text is null)
                {
                    continue;
                }

                // A fee of zero waives it (the amount parser takes only positive amounts).
                if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var major) && major == 0)
                {
                    merged[fee.Name] = 0;
                }
                else if (Currencies.TryParseAmount(text, fee.Name, out var minor))
                {
                    merged[fee.Name] = minor;
                }
            }
        }

        return merged;
    }

    private static Dictionary<string, long> Minor(params (string Currency, string Amount)[] fees)
        => fees.ToDictionary(f => f.Currency, f => Currencies.TryParseAmount(f.Amount, f.Currency, out var minor) ? minor : throw new InvalidOperationException(f.Amount), StringComparer.Ordinal);
}

/// <summary>
/// The charges tariff of each tenant: <see cref="TariffTable.Default"/>, or the tenant's own
/// (<c>Tenant.ChargeTariffJson</c>), cached for a short while per tenant.
/// </summary>
public sealed class ChargeTariff(IServiceScopeFactory scopes, TimeProvider realTime) : IChargeTariff
{
    /// <summary>How long a tenant's tariff is trusted before it is read again.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Guid, (TariffTable Table, DateTimeOffset LoadedAt)> _byTenant = new();

    public async ValueTask<TariffFees> FeesAsync(Guid tenantId, string debitCurrency, string transferCurrency, string? localInstrument, bool urgent, CancellationToken ct)
        => (await TableAsync(tenantId, ct)).Fees(debitCurrency, transferCurrency, localInstrument, urgent);

    public string? Refuses(string chargeBearer, string transferCurrency, string? localInstrument) => chargeBearer switch
    {
        "BorneByDebtor" or "BorneByCreditor" or "Shared" => null,
        "FollowingServiceLevel" when TariffTable.IsSepa(transferCurrency, localInstrument) => null,
        "FollowingServiceLevel" =>
            $"FollowingServiceLevel is honoured only for a SEPA credit transfer in euros (LocalInstrument UK.OBIE.SEPACreditTransfer or UK.OBIE.SEPAInstantCreditTransfer, CurrencyOfTransfer EUR); this payment is {transferCurrency}{(localInstrument is null ? " with no LocalInstrument" : $" by {localInstrument}")}. Use Shared, BorneByDebtor or BorneByCreditor.",
        _ => "ChargeBearer must be BorneByDebtor, BorneByCreditor, Shared or FollowingServiceLevel.",
    };

    /// <summary>The tenant's tariff changed: read it again on its next use (this instance; others within <see cref="CacheFor"/>).</summary>
    public void Forget(Guid tenantId) => _byTenant.TryRemove(tenantId, out _);

    public async ValueTask<TariffTable> TableAsync(Guid tenantId, CancellationToken ct)
    {
        var now = realTime.GetUtcNow();
        if (_byTenant.TryGetValue(tenantId, out var cached) && now - cached.LoadedAt < CacheFor)
        {
            return cached.Table;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        var json = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.ChargeTariffJson).SingleOrDefaultAsync(ct);
        var table = TariffTable.Parse(json);
        _byTenant[tenantId] = (table, now);
        return table;
    }
}
