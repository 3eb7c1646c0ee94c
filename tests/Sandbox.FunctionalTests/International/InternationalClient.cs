using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Fx;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Payments.Screening;

namespace OpenBanking.Sandbox.FunctionalTests.International;

/// <summary>
/// Drives the international payments API of either version as a wallet does (and the customer's authorisation as
/// Identity does). Expected amounts come from the bank's own FX desk and charges tariff (through their interfaces), so
/// the tests hold whatever desk and tariff are registered.
/// </summary>
public sealed class InternationalClient(SandboxFactory factory, string version = "v3.1")
{
    public const string Iban = "DE89370400440532013000";

    public PaymentsClient Payments { get; } = new(factory);

    public string Pisp { get; } = $"/open-banking/{version}/pisp";

    public bool V4 => version == "v4.0";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string NewOrganisation() => "org-ip-" + Guid.NewGuid().ToString("N")[..12];

    public string Risk => V4 ? "{\"PaymentContextCode\":\"TransferToThirdParty\"}" : "{\"PaymentContextCode\":\"PartyToParty\"}";

    public static string Eri(string type, string unit = "GBP", string? rate = null, string? contract = null)
        => "{\"UnitCurrency\":\"" + unit + "\"" + (rate is null ? string.Empty : ",\"ExchangeRate\":" + rate) + ",\"RateType\":\"" + type + "\""
            + (contract is null ? string.Empty : ",\"ContractIdentification\":\"" + contract + "\"") + "}";

    /// <summary>An Initiation of this version: <paramref name="amount"/> in <paramref name="currency"/> (the transfer currency unless <paramref name="transfer"/> says otherwise).</summary>
    public string Initiation(string amount = "100.00", string currency = "EUR", string? transfer = null, string? eri = null, string? bearer = "Shared",
        string creditorName = "Hans Muller", string identification = Iban, string scheme = "UK.OBIE.IBAN", string? country = "DE", string priority = "Normal",
        string? instrument = "UK.OBIE.SWIFT", string? debtor = null)
    {
        var parts = new List<string>
        {
            "\"InstructionIdentification\":\"ii-" + Guid.NewGuid().ToString("N")[..20] + "\"",
            "\"EndToEndIdentification\":\"e2e-1\"",
        };
        if (instrument is not null)
        {
            parts.Add("\"LocalInstrument\":\"" + instrument + "\"");
        }

        parts.Add("\"InstructionPriority\":\"" + priority + "\"");
        if (bearer is not null)
        {
            parts.Add("\"ChargeBearer\":\"" + bearer + "\"");
        }

        parts.Add("\"CurrencyOfTransfer\":\"" + (transfer ?? currency) + "\"");
        if (country is not null)
        {
            parts.Add("\"DestinationCountryCode\":\"" + country + "\"");
        }

        parts.Add($"\"InstructedAmount\":{{\"Amount\":\"{amount}\",\"Currency\":\"{currency}\"}}");
        if (eri is not null)
        {
            parts.Add("\"ExchangeRateInformation\":" + eri);
        }

        if (debtor is not null)
        {
            parts.Add("\"DebtorAccount\":" + debtor);
        }

        parts.Add("\"Creditor\":{\"Name\":\"" + creditorName + "\"" + (country is null ? string.Empty : ",\"PostalAddress\":{\"TownName\":\"Berlin\",\"Country\":\"" + country + "\"}") + "}");
        parts.Add("\"CreditorAgent\":{\"SchemeName\":\"UK.OBIE.BICFI\",\"Identification\":\"COBADEFFXXX\"}");
        parts.Add($"\"CreditorAccount\":{{\"SchemeName\":\"{scheme}\",\"Identification\":\"{identification}\",\"Name\":\"{creditorName}\"}}");
        parts.Add("\"RemittanceInformation\":" + (V4 ? "{\"Unstructured\":[\"Invoice 1\"]}" : "{\"Reference\":\"INV-1\",\"Unstructured\":\"Invoice 1\"}"));
        return "{" + string.Join(",", parts) + "}";
    }

    public string ConsentBody(string initiation, string? extraData = null) => "{\"Data\":{" + extraData + "\"Initiation\":" + initiation + "},\"Risk\":" + Risk + "}";

    public string PaymentBody(string consentId, string initiation) => "{\"Data\":{\"ConsentId\":\"" + consentId + "\",\"Initiation\":" + initiation + "},\"Risk\":" + Risk + "}";

    public Task<(HttpStatusCode Status, string Text, JsonElement Body)> CreateConsentAsync(string initiation, string organisationId, string? key = null, string? extraData = null)
        => Payments.PostAsync(PaymentsClient.PaymentToken(organisationId: organisationId), $"{Pisp}/international-payment-consents",
            ConsentBody(initiation, extraData), key ?? Guid.NewGuid().ToString("N"));

    /// <summary>An authorised consent: its id, customer token, Initiation and the payer's account.</summary>
    public async Task<Authorised> AuthorisedAsync(string initiation, string organisationId, string username = "alice", string accountCurrency = "GBP")
    {
        var (status, text, body) = await CreateConsentAsync(initiation, organisationId);
        Assert.True(status == HttpStatusCode.Created, text);
        var consentId = body.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        var accountId = (await Payments.AccountAsync(username, accountCurrency, organisationId)).GetProperty("AccountId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await Payments.AuthoriseAsync(consentId, username, accountId, organisationId));
        return new Authorised(consentId, PaymentsClient.PaymentToken(organisationId: organisationId, consentId: consentId), initiation, accountId, organisationId, body);
    }

    public Task<(HttpStatusCode Status, string Text, JsonElement Body)> PayAsync(Authorised consent, string? key = null, string? initiation = null)
        => Payments.PostAsync(consent.Token, $"{Pisp}/international-payments", PaymentBody(consent.ConsentId, initiation ?? consent.Initiation),
            key ?? Guid.NewGuid().ToString("N"));

    /// <summary>An authorised consent's payment, made; the payment's response body.</summary>
    public async Task<JsonElement> PaidAsync(string initiation, string organisationId, string username = "alice", string accountCurrency = "GBP")
    {
        var consent = await AuthorisedAsync(initiation, organisationId, username, accountCurrency);
        var (status, text, body) = await PayAsync(consent);
        Assert.True(status == HttpStatusCode.Created, text);
        return body;
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path, string organisationId)
        => Payments.GetAsync(Pisp + path, PaymentsClient.PaymentToken(organisationId: organisationId));

    public static string PaymentId(JsonElement body) => body.GetProperty("Data").GetProperty("InternationalPaymentId").GetString()!;

    public string Code(string v3Name, string v4Code) => V4 ? v4Code : v3Name;

    public static IEnumerable<(string Code, string? Path)> Errors(JsonElement body)
        => body.GetProperty("Errors").EnumerateArray()
            .Select(e => (e.GetProperty("ErrorCode").GetString()!, e.TryGetProperty("Path", out var p) ? p.GetString() : null));

    public Task<Guid> TenantAsync(string organisationId)
        => Payments.WithDbAsync(db => db.Tenants.Where(t => t.OrganisationId == organisationId).Select(t => t.Id).SingleAsync(Ct));

    /// <summary>The desk's rate for the tenant at a time (what the bank quotes then).</summary>
    public async Task<FxQuote> QuoteAsync(string organisationId, string unit, string transfer, DateTimeOffset at)
    {
        var tenant = await TenantAsync(organisationId);
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IFxDesk>().QuoteAsync(tenant, unit, transfer, at, Ct);
    }

    public async Task<TariffFees> FeesAsync(string organisationId, string debit, string transfer, string? instrument = "UK.OBIE.SWIFT", bool urgent = false)
    {
        var tenant = await TenantAsync(organisationId);
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IChargeTariff>().FeesAsync(tenant, debit, transfer, instrument, urgent, Ct);
    }

    public T Service<T>() where T : notnull => factory.Services.GetRequiredService<T>();

    public static decimal Rate(JsonElement body) => body.GetProperty("Data").GetProperty("ExchangeRateInformation").GetProperty("ExchangeRate").GetDecimal();

    public static DateTimeOffset Time(JsonElement value) => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture);

    /// <summary>A minor amount in major units rounded half to even at the currency's exponent.</summary>
    public static long Minor(decimal major, int exponent) => (long)Math.Round(major * (decimal)Math.Pow(10, exponent), MidpointRounding.ToEven);

    public static long AmountMinor(JsonElement amount, int exponent)
        => Minor(decimal.Parse(amount.GetProperty("Amount").GetString()!, CultureInfo.InvariantCulture), exponent);

    public async Task<JsonElement[]> TransactionsAsync(string organisationId, string username, Func<JsonElement, bool> pick)
    {
        var (_, accounts, token) = await Payments.Sandbox.AuthorisedAsync("ReadAccountsBasic ReadTransactionsBasic ReadTransactionsCredits ReadTransactionsDebits",
            username, organisationId: organisationId, pick: pick);
        var (status, body) = await Payments.Sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts/{accounts[0]}/transactions");
        Assert.Equal(HttpStatusCode.OK, status);
        // CurrencyExchange and ChargeAmount as OBTransaction6 has them (Basic permissions).
        global::OpenBanking.TestKit.OpenApiContract.Load("obie-v3.1.11/account-info-openapi.yaml").AssertResponse("/accounts/{AccountId}/transactions", "get", 200, body);
        return [.. body.GetProperty("Data").GetProperty("Transaction").EnumerateArray()];
    }

    /// <summary>The bank's reviewer releases (or rejects) a held payment, as the Portal does.</summary>
    public async Task<HttpStatusCode> ReviewAsync(string organisationId, string paymentId, bool approve)
    {
        using var client = Payments.Sandbox.Client(SandboxFactory.InternalToken());
        using var response = await client.PostAsJsonAsync($"/internal/tenants/{organisationId}/payments/{paymentId}/review", new { approve }, Ct);
        return response.StatusCode;
    }

    /// <summary>What screening says of a payee, through the registered <see cref="ICreditorScreening"/> (placeholder or real).</summary>
    public ScreeningResult Screen(string name, string country, long debitMinor, string debitCurrency = "GBP")
        => Service<ICreditorScreening>().Screen(new CreditorDetails(name, "UK.OBIE.IBAN", Iban, "UK.OBIE.BICFI", "COBADEFFXXX", country, [country], "EUR", "UK.OBIE.SWIFT"),
            debitMinor, debitCurrency, new HashSet<string>());
}

public sealed record Authorised(string ConsentId, string Token, string Initiation, string AccountId, string OrganisationId, JsonElement Created);
