using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Tenancy;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Fx;

/// <summary>
/// The FX desk as an API: <c>/sandbox/v1/fx-contracts</c> and <c>/sandbox/v1/fx-rates</c> for the partner's own
/// tests (through the gateway, with any of the app's client-credentials tokens, like the test clock), and
/// <c>/internal/tenants/{organisationId}/fx/…</c> for the Portal's FX page. Times are the tenant's clock; errors are
/// problem details naming every problem at once.
/// </summary>
public static partial class FxApi
{
    public const string ContractsPath = "/sandbox/v1/fx-contracts";
    public const string RatesPath = "/sandbox/v1/fx-rates";

    /// <summary>The current rates from one currency into every other the desk trades.</summary>
    /// <param name="At">The tenant's time (RFC 3339); rates hold for the whole minute it falls in.</param>
    public sealed record FxRatesView(string UnitCurrency, string At, IReadOnlyList<FxRateView> Rates);

    /// <param name="MidRate">Units of <paramref name="Currency"/> per one unit currency, before the bank's spread.</param>
    /// <param name="Rate">What a customer paying in the unit currency gets: the mid less the spread (Actual and Indicative quotes, Buy contracts).</param>
    /// <param name="SellRate">What a customer selling <paramref name="Currency"/> for the unit currency pays: the mid plus the spread.</param>
    /// <param name="SpreadBps">The bank's spread on this pair, in basis points (1/100 of a percent).</param>
    public sealed record FxRateView(string Currency, decimal MidRate, decimal Rate, decimal SellRate, int SpreadBps);

    /// <summary>Mid rates from one currency at evenly spaced times, oldest first, for a chart.</summary>
    public sealed record FxHistoryView(string UnitCurrency, IReadOnlyList<string> Times, IReadOnlyList<FxSeriesView> Series);

    public sealed record FxSeriesView(string Currency, IReadOnlyList<decimal> MidRates);

    public static IEndpointRouteBuilder MapFxEndpoints(this IEndpointRouteBuilder app)
    {
        var partner = app.MapGroup("/sandbox/v1").WithTags("Sandbox FX").RequireAuthorization(ClockApi.SandboxControl);
        partner.MapPost("/fx-contracts", BookForCallerAsync).WithName("BookSandboxFxContract")
            .WithSummary("Book an FX contract (the ContractIdentification of an Agreed rate) at the desk's current rate");
        partner.MapGet("/fx-contracts", ListForCallerAsync).WithName("ListSandboxFxContracts")
            .WithSummary("This app's FX contracts and those booked for the whole organisation in the Portal, newest first");
        partner.MapGet("/fx-contracts/{contractId}", GetForCallerAsync).WithName("GetSandboxFxContract");
        partner.MapGet("/fx-rates", RatesForCallerAsync).WithName("GetSandboxFxRates")
            .WithSummary("The desk's mid and customer rates from one currency (unit, default GBP) at the tenant's time");

        var internalApi = app.MapGroup("/internal/tenants/{organisationId}/fx").WithTags("Internal")
            .RequireAuthorization(PlatformScopes.SandboxInternal);
        internalApi.MapGet("/rates", RatesAsync).WithName("GetTenantFxRates");
        internalApi.MapGet("/history", HistoryAsync).WithName("GetTenantFxHistory")
            .WithSummary("Mid rates from one currency over the last days of the tenant's clock, computed on demand (the Portal's chart)");
        internalApi.MapGet("/contracts", ListAsync).WithName("ListTenantFxContracts");
        internalApi.MapPost("/contracts", BookAsync).WithName("BookTenantFxContract")
            .WithSummary("Book a contract for the whole organisation (the Portal's FX page)");
        return app;
    }

    public static async Task<Results<Created<FxContractView>, ValidationProblem, ProblemHttpResult>> BookForCallerAsync(
        HttpContext http, TenantService tenants, FxContractBook book, TenantClock clock, CancellationToken ct)
    {
        var caller = CallerContext.From(http.User);
        var values = http.Request.Headers[Idempotency.Header];
        string? key = null;
        if (values.Count > 0)
        {
            key = values[0];
            if (values.Count > 1 || string.IsNullOrEmpty(key) || key.Length > Idempotency.MaxLength || !KeyPattern().IsMatch(key))
            {
                var errors = new Dictionary<string, string[]>
                {
                    [Idempotency.Header] = [$"{Idempotency.Header} is optional, but when sent must be one value of 1 to {Idempotency.MaxLength} characters, not starting or ending with white space."],
                };
                return Invalid(errors);
            }
        }

        return await BookCoreAsync(http, caller.OrganisationId, caller.ClientId, key, tenants, book, clock, ct);
    }

    public static async Task<Ok<IReadOnlyList<FxContractView>>> ListForCallerAsync(HttpContext http, TenantService tenants, FxContractBook book, CancellationToken ct)
    {
        var caller = CallerContext.From(http.User);
        var tenant = await tenants.GetOrCreateAsync(caller.OrganisationId, ct);
        return TypedResults.Ok(await book.ListAsync(tenant.Id, caller.ClientId, ct));
    }

    public static async Task<Results<Ok<FxContractView>, ProblemHttpResult>> GetForCallerAsync(
        string contractId, HttpContext http, TenantService tenants, FxContractBook book, CancellationToken ct)
    {
        var caller = CallerContext.From(http.User);
        var tenant = await tenants.GetOrCreateAsync(caller.OrganisationId, ct);
        return await book.GetAsync(tenant.Id, caller.ClientId, contractId, ct) is { } contract
            ? TypedResults.Ok(contract)
            : TypedResults.Problem($"Your sandbox bank has no FX contract {contractId} that this app may see.", statusCode: StatusCodes.Status404NotFound,
                title: "No such FX contract");
    }

    public static async Task<Results<Ok<FxRatesView>, ValidationProblem>> RatesForCallerAsync(
        string? unit, HttpContext http, TenantService tenants, FxDesk desk, TenantClock clock, CancellationToken ct)
        => await RatesAsync(CallerContext.From(http.User).OrganisationId, unit, tenants, desk, clock, ct);

    public static async Task<Results<Ok<FxRatesView>, ValidationProblem>> RatesAsync(
        string organisationId, string? unit, TenantService tenants, FxDesk desk, TenantClock clock, CancellationToken ct)
    {
        unit ??= "GBP";
        if (UnitError(unit) is { } error)
        {
            return Invalid(new Dictionary<string, string[]> { ["unit"] = [error] });
        }

        var tenant = await tenants.GetOrCreateAsync(organisationId, ct);
        var seed = await desk.SeedAsync(tenant.Id, ct);
        var now = clock.GetUtcNow();
        var rates = FxRates.Codes.Where(c => c != unit).Select(currency =>
        {
            var mid = FxRates.Mid(seed, unit, currency, now);
            var spread = desk.SpreadBps(unit, currency);
            return new FxRateView(currency, mid, FxRates.Buy(mid, spread), FxRates.Sell(mid, spread), spread);
        }).ToList();
        return TypedResults.Ok(new FxRatesView(unit, ClockAdvance.Rfc3339(now), rates));
    }

    public static async Task<Results<Ok<FxHistoryView>, ValidationProblem>> HistoryAsync(
        string organisationId, string? unit, int? days, int? points, TenantService tenants, FxDesk desk, TenantClock clock, CancellationToken ct)
    {
        unit ??= "GBP";
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (UnitError(unit) is { } error)
        {
            errors["unit"] = [error];
        }

        if (days is < 1 or > 30)
        {
            errors["days"] = ["days must be from 1 to 30."];
        }

        if (points is < 2 or > 1000)
        {
            errors["points"] = ["points must be from 2 to 1000."];
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var tenant = await tenants.GetOrCreateAsync(organisationId, ct);
        var seed = await desk.SeedAsync(tenant.Id, ct);
        var now = clock.GetUtcNow();
        var span = TimeSpan.FromDays(days ?? 7);
        var count = points ?? (int)span.TotalHours + 1;
        var step = span / (count - 1);
        var times = Enumerable.Range(0, count).Select(i => now - span + (step * i)).ToList();
        var series = FxRates.Codes.Where(c => c != unit)
            .Select(currency => new FxSeriesView(currency, [.. times.Select(t => FxRates.Mid(seed, unit, currency, t))]))
            .ToList();
        return TypedResults.Ok(new FxHistoryView(unit, [.. times.Select(ClockAdvance.Rfc3339)], series));
    }

    public static async Task<Ok<IReadOnlyList<FxContractView>>> ListAsync(string organisationId, TenantService tenants, FxContractBook book, CancellationToken ct)
    {
        var tenant = await tenants.GetOrCreateAsync(organisationId, ct);
        return TypedResults.Ok(await book.ListAsync(tenant.Id, clientId: null, ct));
    }

    public static Task<Results<Created<FxContractView>, ValidationProblem, ProblemHttpResult>> BookAsync(
        string organisationId, HttpContext http, TenantService tenants, FxContractBook book, TenantClock clock, CancellationToken ct)
        => BookCoreAsync(http, organisationId, clientId: null, key: null, tenants, book, clock, ct);

    private static async Task<Results<Created<FxContractView>, ValidationProblem, ProblemHttpResult>> BookCoreAsync(
        HttpContext http, string organisationId, string? clientId, string? key, TenantService tenants, FxContractBook book, TenantClock clock, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Invalid(new Dictionary<string, string[]>
            {
                [""] = ["""The body must be JSON such as {"UnitCurrency": "GBP", "CurrencyOfTransfer": "EUR", "Side": "Buy", "Amount": {"Amount": "1000.00", "Currency": "EUR"}, "ValidFor": "P1D"}; it is not valid JSON."""],
            });
        }

        var (booking, errors) = FxContractBook.Read(body, clock.GetUtcNow());
        if (booking is null)
        {
            return Invalid(errors);
        }

        var tenant = await tenants.GetOrCreateAsync(organisationId, ct);
        var (contract, conflict) = await book.BookAsync(tenant, clientId, booking, key, Idempotency.Hash(buffer.ToArray()), ct);
        if (conflict || contract is null)
        {
            return TypedResults.Problem($"This {Idempotency.Header} was used for a different booking; use a new key for a new booking.",
                statusCode: StatusCodes.Status409Conflict, title: "The idempotency key is taken");
        }

        return TypedResults.Created($"{ContractsPath}/{contract.ContractIdentification}", contract);
    }

    private static string? UnitError(string unit)
        => !Currencies.IsWellFormed(unit) ? $"unit must be a three-letter ISO 4217 currency code in capitals, such as GBP; \"{unit}\" is not."
            : !FxRates.Trades(unit) ? $"The FX desk does not trade {unit}; it trades {string.Join(", ", FxRates.Codes)}."
            : null;

    private static ValidationProblem Invalid(IReadOnlyDictionary<string, string[]> errors)
        => TypedResults.ValidationProblem(errors, detail: FxContractBook.Detail(errors), title: "The FX desk cannot do that");

    [GeneratedRegex(@"^(?!\s)(.*)(\S)$")]
    private static partial Regex KeyPattern();
}
