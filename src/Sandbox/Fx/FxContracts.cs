using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.Fx;

/// <summary>The FX contracts payments use: found per tenant, used up by a guarded update, given back on a refund.</summary>
public sealed class FxContracts(SandboxDbContext db) : IFxContracts
{
    public Task<FxContract?> FindAsync(Guid tenantId, string contractId, CancellationToken ct)
        => db.FxContracts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == contractId && c.TenantId == tenantId, ct);

    // One statement, so two payments racing for the last of a contract cannot both have it: the second finds
    // RemainingMinor too small and updates nothing. Set-based, so it joins the caller's transaction as it is.
    public async Task<bool> TryUseAsync(SandboxDbContext tx, string contractId, long amountMinor, DateTime now, CancellationToken ct)
        => amountMinor > 0 && await tx.FxContracts
            .Where(c => c.Id == contractId && c.RemainingMinor >= amountMinor && c.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.RemainingMinor, c => c.RemainingMinor - amountMinor)
                .SetProperty(c => c.Version, c => c.Version + 1), ct) == 1;

    // Never beyond what was booked, even if a refund were counted twice.
    public Task RestoreAsync(SandboxDbContext tx, string contractId, long amountMinor, CancellationToken ct)
        => tx.FxContracts
            .Where(c => c.Id == contractId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.RemainingMinor, c => c.RemainingMinor + amountMinor > c.NotionalMinor ? c.NotionalMinor : c.RemainingMinor + amountMinor)
                .SetProperty(c => c.Version, c => c.Version + 1), ct);
}

/// <summary>An amount as the sandbox APIs show it: major units as a string at the currency's exponent.</summary>
public sealed record FxAmount(string Amount, string Currency);

/// <summary>A contract as the sandbox API and the Portal show it.</summary>
/// <param name="ExchangeRate">Units of CurrencyOfTransfer per one UnitCurrency: the rate to quote in an Agreed payment.</param>
/// <param name="Status">Active, UsedUp or Expired, on the tenant's clock.</param>
/// <param name="ClientId">The app that booked it; null when booked in the Portal (any of the organisation's apps may use it).</param>
public sealed record FxContractView(
    string ContractIdentification, string UnitCurrency, string CurrencyOfTransfer, string Side, decimal ExchangeRate, decimal MidRate,
    FxAmount Amount, FxAmount Remaining, string CreationDateTime, string ExpirationDateTime, string Status, string? ClientId)
{
    public static FxContractView Of(FxContract c, DateTimeOffset now) => new(
        c.Id, c.UnitCurrency, c.QuoteCurrency, c.Side.ToString(), FxRates.Normalise(c.Rate), FxRates.Normalise(c.MidRate),
        new FxAmount(Money.Format(c.NotionalMinor, c.NotionalCurrency), c.NotionalCurrency),
        new FxAmount(Money.Format(c.RemainingMinor, c.NotionalCurrency), c.NotionalCurrency),
        ClockAdvance.Rfc3339(Utc(c.CreatedAt)), ClockAdvance.Rfc3339(Utc(c.ExpiresAt)),
        Utc(c.ExpiresAt) <= now ? "Expired" : c.RemainingMinor == 0 ? "UsedUp" : "Active",
        c.ClientId);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>A booking as read from the request, every problem found at once (field name → plain-words messages).</summary>
public sealed record FxBooking(string UnitCurrency, string CurrencyOfTransfer, FxSide Side, string AmountCurrency, long AmountMinor, string ValidFor);

/// <summary>
/// Booking and listing contracts for the sandbox API (<c>/sandbox/v1/fx-contracts</c>, an app's) and the Portal (the
/// organisation's): the rate is the desk's at the tenant's time, with the pair's spread, fixed for the contract's life.
/// </summary>
public sealed class FxContractBook(SandboxDbContext db, FxDesk desk, WriteTransaction transaction, TenantClock clock)
{
    public const string BookOperation = "POST /sandbox/v1/fx-contracts";
    public const string DefaultValidity = "P1D";
    public static readonly TimeSpan MinimumValidity = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaximumValidity = TimeSpan.FromDays(30);

    /// <summary>The most a contract may be for: a sandbox desk, not a treasury.</summary>
    public const decimal MaximumMajorAmount = 10_000_000m;

    private static readonly string[] Fields = ["UnitCurrency", "CurrencyOfTransfer", "Side", "Amount", "ValidFor"];

    /// <summary>The tenant's contracts, newest first: those of <paramref name="clientId"/> and the organisation's (all when null).</summary>
    public async Task<IReadOnlyList<FxContractView>> ListAsync(Guid tenantId, string? clientId, CancellationToken ct)
    {
        var query = db.FxContracts.AsNoTracking().Where(c => c.TenantId == tenantId);
        if (clientId is not null)
        {
            query = query.Where(c => c.ClientId == clientId || c.ClientId == null);
        }

        var now = clock.GetUtcNow();
        var contracts = await query.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).Take(200).ToListAsync(ct);
        return [.. contracts.Select(c => FxContractView.Of(c, now))];
    }

    /// <summary>One contract the caller may see (another app's or another tenant's is not found).</summary>
    public async Task<FxContractView?> GetAsync(Guid tenantId, string? clientId, string contractId, CancellationToken ct)
    {
        var contract = await db.FxContracts.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Id == contractId && c.TenantId == tenantId && (clientId == null || c.ClientId == clientId || c.ClientId == null), ct);
        return contract is null ? null : FxContractView.Of(contract, clock.GetUtcNow());
    }

    /// <summary>
    /// Reads a booking from a JSON body: every problem at once, by field, in plain words. Nothing is booked here.
    /// </summary>
    public static (FxBooking? Booking, Dictionary<string, string[]> Errors) Read(JsonElement body, DateTimeOffset now)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            Add("", """The body must be a JSON object such as {"UnitCurrency": "GBP", "CurrencyOfTransfer": "EUR", "Side": "Buy", "Amount": {"Amount": "1000.00", "Currency": "EUR"}, "ValidFor": "P1D"}.""");
            return (null, Freeze(errors));
        }

        foreach (var property in body.EnumerateObject().Where(p => !Fields.Contains(p.Name, StringComparer.Ordinal)))
        {
            Add(property.Name, $"\"{property.Name}\" is not a field of a contract booking; the fields are {string.Join(", ", Fields)}.");
        }

        var unit = Currency(body, "UnitCurrency", "the currency the customer pays with, such as \"GBP\"", Add);
        var quote = Currency(body, "CurrencyOfTransfer", "the currency the customer buys and sends, such as \"EUR\"", Add);
        if (unit is not null && unit == quote)
        {
            Add("CurrencyOfTransfer", $"CurrencyOfTransfer must differ from UnitCurrency: a contract converts one currency into another, and both are {unit}.");
        }

        var side = FxSide.Buy;
        if (body.TryGetProperty("Side", out var sideValue))
        {
            if (sideValue.ValueKind != JsonValueKind.String || !Enum.TryParse(sideValue.GetString(), ignoreCase: false, out side) || !Enum.IsDefined(side))
            {
                Add("Side", "Side must be \"Buy\" (the customer buys CurrencyOfTransfer with UnitCurrency, as an outgoing payment does) or \"Sell\" (the reverse).");
            }
        }

        string? amountCurrency = null;
        long amountMinor = 0;
        if (!body.TryGetProperty("Amount", out var amount) || amount.ValueKind != JsonValueKind.Object)
        {
            Add("Amount", """Amount is required: an object such as {"Amount": "1000.00", "Currency": "EUR"}, in either currency of the pair.""");
        }
        else
        {
            foreach (var property in amount.EnumerateObject().Where(p => p.Name is not ("Amount" or "Currency")))
            {
                Add($"Amount.{property.Name}", $"\"{property.Name}\" is not a field of Amount; its fields are Amount and Currency.");
            }

            amountCurrency = amount.TryGetProperty("Currency", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (amountCurrency is null)
            {
                Add("Amount.Currency", "Amount.Currency is required: the currency of the amount, either UnitCurrency or CurrencyOfTransfer.");
            }
            else if (unit is not null && quote is not null && amountCurrency != unit && amountCurrency != quote)
            {
                Add("Amount.Currency", $"Amount.Currency must be one of the pair, {unit} or {quote}; it is \"{amountCurrency}\".");
            }

            var text = amount.TryGetProperty("Amount", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            var exponent = amountCurrency is not null && Currencies.IsWellFormed(amountCurrency) ? Currencies.Exponent(amountCurrency) : 2;
            if (text is null)
            {
                Add("Amount.Amount", "Amount.Amount is required: a string such as \"1000.00\".");
            }
            else if (!Currencies.TryParseAmount(text, Currencies.IsWellFormed(amountCurrency) ? amountCurrency! : "GBP", out amountMinor))
            {
                Add("Amount.Amount", exponent == 0
                    ? $"Amount.Amount must be a whole number greater than zero for {amountCurrency}, which has no decimal places, such as \"10000\"; \"{text}\" is not."
                    : $"Amount.Amount must be greater than zero with at most {exponent} decimal places, such as \"{(exponent == 3 ? "1000.000" : "1000.00")}\"; \"{text}\" is not.");
            }
            else if (Currencies.ToMajor(amountMinor, amountCurrency ?? "GBP") > MaximumMajorAmount)
            {
                Add("Amount.Amount", $"Amount.Amount may be at most {MaximumMajorAmount:#,0} units of the currency; \"{text}\" is more.");
            }
        }

        var validFor = DefaultValidity;
        if (body.TryGetProperty("ValidFor", out var validValue))
        {
            validFor = validValue.ValueKind == JsonValueKind.String ? validValue.GetString()! : "";
            if (!ClockApi.TryParseDuration(validFor, now, out var expires, out _))
            {
                Add("ValidFor", $"ValidFor must be an ISO 8601 duration such as \"PT1H\", \"P1D\" or \"P30D\" (the default is {DefaultValidity}); \"{validFor}\" is not.");
            }
            else if (expires - now < MinimumValidity || expires - now > MaximumValidity)
            {
                Add("ValidFor", $"ValidFor must be at least one minute and at most 30 days; \"{validFor}\" is not.");
            }
        }

        if (errors.Count > 0)
        {
            return (null, Freeze(errors));
        }

        return (new FxBooking(unit!, quote!, side, amountCurrency!, amountMinor, validFor), []);
    }

    /// <summary>
    /// Books a contract at the desk's current rate. With an idempotency key, a repeat of the same booking by the same
    /// app answers with the first contract; the same key with another booking is a conflict.
    /// </summary>
    public async Task<(FxContractView? Contract, bool Conflict)> BookAsync(
        Tenant tenant, string? clientId, FxBooking booking, string? key, string requestHash, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (key is not null && clientId is not null)
        {
            var (existing, conflict) = await FindKeyAsync(clientId, key, requestHash, now, ct);
            if (existing is not null || conflict)
            {
                return (existing, conflict);
            }
        }

        var seed = await desk.SeedAsync(tenant.Id, ct);
        var mid = FxRates.Mid(seed, booking.UnitCurrency, booking.CurrencyOfTransfer, now);
        var spread = desk.SpreadBps(booking.UnitCurrency, booking.CurrencyOfTransfer);
        ClockApi.TryParseDuration(booking.ValidFor, now, out var expires, out _);
        var createdAt = Timestamps.WholeSeconds(now);
        var contract = new FxContract
        {
            Id = FxContract.NewId(),
            TenantId = tenant.Id,
            ClientId = clientId,
            UnitCurrency = booking.UnitCurrency,
            QuoteCurrency = booking.CurrencyOfTransfer,
            Side = booking.Side,
            Rate = booking.Side == FxSide.Buy ? FxRates.Buy(mid, spread) : FxRates.Sell(mid, spread),
            MidRate = mid,
            NotionalCurrency = booking.AmountCurrency,
            NotionalMinor = booking.AmountMinor,
            RemainingMinor = booking.AmountMinor,
            CreatedAt = createdAt.UtcDateTime,
            ExpiresAt = Timestamps.WholeSeconds(expires).UtcDateTime,
        };

        try
        {
            await transaction.RunAsync(async tx =>
            {
                if (key is not null && clientId is not null)
                {
                    await Idempotency.PurgeExpiredAsync(tx, clientId, BookOperation, key, now.UtcDateTime, ct);
                    Idempotency.Claim(tx, clientId, BookOperation, key, requestHash, contract.Id, now.UtcDateTime);
                }

                tx.FxContracts.Add(contract);
                await tx.SaveChangesAsync(ct);
            }, ct);
            return (FxContractView.Of(contract, now), false);
        }
        catch (DbUpdateException) when (key is not null && clientId is not null)
        {
            // A concurrent repeat claimed the key first: answer with its contract.
            db.ChangeTracker.Clear();
            var (winner, conflict) = await FindKeyAsync(clientId, key, requestHash, now, ct);
            if (winner is null && !conflict)
            {
                throw;
            }

            return (winner, conflict);
        }
    }

    private async Task<(FxContractView? Existing, bool Conflict)> FindKeyAsync(string clientId, string key, string requestHash, DateTimeOffset now, CancellationToken ct)
    {
        var cutoff = now.UtcDateTime - Idempotency.Lifetime;
        var record = await db.IdempotencyRecords.AsNoTracking()
            .SingleOrDefaultAsync(r => r.ClientId == clientId && r.Operation == BookOperation && r.Key == key && r.CreatedAt > cutoff, ct);
        if (record is null)
        {
            return (null, false);
        }

        if (record.RequestHash != requestHash)
        {
            return (null, true);
        }

        var contract = await db.FxContracts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == record.ResourceId, ct);
        return (contract is null ? null : FxContractView.Of(contract, now), false);
    }

    private static string? Currency(JsonElement body, string field, string meaning, Action<string, string> add)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            add(field, $"{field} is required: {meaning}.");
            return null;
        }

        var code = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (!Currencies.IsWellFormed(code))
        {
            add(field, $"{field} must be a three-letter ISO 4217 currency code in capitals, such as \"GBP\"; {value.GetRawText()} is not.");
            return null;
        }

        if (!FxRates.Trades(code!))
        {
            add(field, $"The FX desk does not trade {code}; it trades {string.Join(", ", FxRates.Codes)}.");
            return null;
        }

        return code;
    }

    private static Dictionary<string, string[]> Freeze(Dictionary<string, List<string>> errors)
        => errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Every message, for a problem's <c>detail</c>: a person reading the raw answer sees them all.</summary>
    public static string Detail(IReadOnlyDictionary<string, string[]> errors)
        => string.Join(" ", errors.Values.SelectMany(m => m));
}
