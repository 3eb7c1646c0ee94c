using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Tenancy;

namespace OpenBanking.Sandbox.Fx;

/// <summary>
/// The tenant's own charges tariff for payments abroad, as an API: <c>GET</c> the fees in force, <c>PUT</c> the fees
/// that differ from the bank's default (the same JSON <see cref="TariffTable.Parse"/> reads, checked strictly here so
/// a mistake is refused in words instead of silently ignored), <c>DELETE</c> to go back to the default. A reset of the
/// sandbox bank keeps it, like the app's event subscription: it is the partner's configuration, not the bank's data.
/// </summary>
public static class TariffApi
{
    public const string Path = "/sandbox/v1/fx-tariff";

    private static readonly string[] Fees = [nameof(TariffTable.TransferFee), nameof(TariffTable.UrgentFee), nameof(TariffTable.CorrespondentFee)];

    /// <summary>The fees in force per currency, in major units as OBIE amounts ("5.00", "1000", "2.500").</summary>
    /// <param name="Custom">Whether the tenant's own tariff replaces any of the default's fees.</param>
    public sealed record TariffView(
        bool Custom,
        IReadOnlyDictionary<string, string> TransferFee,
        IReadOnlyDictionary<string, string> UrgentFee,
        IReadOnlyDictionary<string, string> CorrespondentFee);

    public static IEndpointRouteBuilder MapTariffEndpoints(this IEndpointRouteBuilder app)
    {
        var partner = app.MapGroup(Path).WithTags("Sandbox FX").RequireAuthorization(ClockApi.SandboxControl);
        partner.MapGet("", GetAsync).WithName("GetSandboxFxTariff")
            .WithSummary("The charges tariff for payments abroad in force in this sandbox bank (the default, or your own)");
        partner.MapPut("", PutAsync).WithName("PutSandboxFxTariff")
            .WithSummary("Set the fees that differ from the default tariff, per fee and currency, in major units (\"0\" waives one)");
        partner.MapDelete("", DeleteAsync).WithName("DeleteSandboxFxTariff")
            .WithSummary("Go back to the bank's default tariff");
        return app;
    }

    public static async Task<Ok<TariffView>> GetAsync(HttpContext http, TenantService tenants, ChargeTariff tariff, CancellationToken ct)
    {
        var tenant = await tenants.GetOrCreateAsync(CallerContext.From(http.User).OrganisationId, ct);
        return TypedResults.Ok(View(await tariff.TableAsync(tenant.Id, ct), tenant.ChargeTariffJson is not null));
    }

    public static async Task<Results<Ok<TariffView>, ValidationProblem>> PutAsync(
        HttpContext http, TenantService tenants, ChargeTariff tariff, SandboxDbContext db, CancellationToken ct)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            body = null;
        }

        var (json, errors) = Read(body);
        if (json is null)
        {
            return TypedResults.ValidationProblem(errors, detail: FxContractBook.Detail(errors), title: "The tariff cannot be set");
        }

        var tenant = await tenants.GetOrCreateAsync(CallerContext.From(http.User).OrganisationId, ct);
        await db.Tenants.Where(t => t.Id == tenant.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.ChargeTariffJson, json), ct);
        tariff.Forget(tenant.Id);
        return TypedResults.Ok(View(TariffTable.Parse(json), custom: true));
    }

    public static async Task<Ok<TariffView>> DeleteAsync(HttpContext http, TenantService tenants, ChargeTariff tariff, SandboxDbContext db, CancellationToken ct)
    {
        var tenant = await tenants.GetOrCreateAsync(CallerContext.From(http.User).OrganisationId, ct);
        await db.Tenants.Where(t => t.Id == tenant.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.ChargeTariffJson, (string?)null), ct);
        tariff.Forget(tenant.Id);
        return TypedResults.Ok(View(TariffTable.Default, custom: false));
    }

    /// <summary>
    /// The tariff JSON to store, or every problem with the request by its JSON path: only the three fees, only
    /// currencies the desk trades, amounts as OBIE amount strings with no more decimals than the currency has.
    /// </summary>
    public static (string? Json, Dictionary<string, string[]> Errors) Read(JsonNode? body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body is not JsonObject root)
        {
            errors[""] = ["""The body must be a JSON object such as {"TransferFee": {"GBP": "2.50"}, "CorrespondentFee": {"EUR": "0"}}."""];
            return (null, errors);
        }

        var stored = new JsonObject();
        foreach (var (name, value) in root)
        {
            if (!Fees.Contains(name, StringComparer.Ordinal))
            {
                errors[name] = [$"{name} is not a fee of the tariff; the fees are {string.Join(", ", Fees)}."];
                continue;
            }

            if (value is not JsonObject perCurrency)
            {
                errors[name] = [$"{name} must be an object of currency codes and amounts, such as {{\"GBP\": \"2.50\"}}."];
                continue;
            }

            var fee = new JsonObject();
            foreach (var (currency, amount) in perCurrency)
            {
                var path = $"{name}.{currency}";
                var text = amount is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                if (!FxRates.Trades(currency))
                {
                    errors[path] = [$"{currency} is not a currency the FX desk trades ({string.Join(", ", FxRates.Codes)})."];
                }
                else if (text is null || !(IsZero(text) || Currencies.TryParseAmount(text, currency, out _)))
                {
                    errors[path] = [$"The fee must be an amount string in {currency} with at most {Currencies.Exponent(currency)} decimal places, such as \"{Money.Format(250 * Currencies.MinorPerMajor(currency) / 100, currency)}\", or \"0\" to waive it."];
                }
                else
                {
                    fee[currency] = text;
                }
            }

            stored[name] = fee;
        }

        return errors.Count > 0 ? (null, errors) : (stored.ToJsonString(), errors);
    }

    private static bool IsZero(string text)
        => decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var major) && major == 0 && text.All(c => c is '0' or '.');

    private static TariffView View(TariffTable table, bool custom)
        => new(custom, Major(table.TransferFee), Major(table.UrgentFee), Major(table.CorrespondentFee));

    private static Dictionary<string, string> Major(IReadOnlyDictionary<string, long> fees)
        => fees.OrderBy(f => f.Key, StringComparer.Ordinal).ToDictionary(f => f.Key, f => Money.Format(f.Value, f.Key), StringComparer.Ordinal);
}
