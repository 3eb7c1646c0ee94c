using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>Drives the payment and funds-confirmation APIs as a wallet and as Identity do.</summary>
public sealed class PaymentsClient(SandboxFactory factory)
{
    public const string Pisp = "/open-banking/v3.1/pisp";
    public const string Cbpii = "/open-banking/v3.1/cbpii";

    private readonly SandboxClient _sandbox = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public SandboxClient Sandbox => _sandbox;

    public static string Initiation(string amount = "10.00", string currency = "GBP", string creditorName = "Jane Smith",
        string creditorIdentification = "20000012345678", string? debtor = null, string scheme = "UK.OBIE.SortCodeAccountNumber")
        => "{\"InstructionIdentification\":\"ii-" + Guid.NewGuid().ToString("N")[..20] + "\",\"EndToEndIdentification\":\"e2e-1\","
            + "\"LocalInstrument\":\"UK.OBIE.FPS\","
            + $"\"InstructedAmount\":{{\"Amount\":\"{amount}\",\"Currency\":\"{currency}\"}},"
            + (debtor is null ? string.Empty : debtor + ",")
            + $"\"CreditorAccount\":{{\"SchemeName\":\"{scheme}\",\"Identification\":\"{creditorIdentification}\",\"Name\":\"{creditorName}\"}},"
            + "\"RemittanceInformation\":{\"Reference\":\"INV-0001\",\"Unstructured\":\"Invoice 1\"}}";

    public const string Risk = "{\"PaymentContextCode\":\"TransferToThirdParty\"}";

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async Task<(HttpStatusCode Status, string Text, JsonElement Body)> PostAsync(string token, string path, string json, string? key = null)
    {
        using var client = _sandbox.Client(token);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(json) };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(Idempotency.Header, key);
        }

        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static string PaymentToken(string clientId = "wallet-a", string organisationId = "org-a", string? consentId = null)
        => SandboxFactory.ClientToken(clientId, organisationId, scope: PlatformScopes.Payments, consentId: consentId);

    public async Task<(HttpStatusCode Status, JsonElement Body)> CreateConsentAsync(string initiation, string risk = Risk,
        string clientId = "wallet-a", string organisationId = "org-a", string? key = null, string? extraData = null)
    {
        var (status, _, body) = await PostAsync(PaymentToken(clientId, organisationId), $"{Pisp}/domestic-payment-consents",
            "{\"Data\":{" + extraData + "\"Initiation\":" + initiation + "},\"Risk\":" + risk + "}", key ?? Guid.NewGuid().ToString("N"));
        return (status, body);
    }

    /// <summary>The customer's account of a currency (their first, or the one <paramref name="pick"/> chooses).</summary>
    public async Task<JsonElement> AccountAsync(string username, string currency = "GBP", string organisationId = "org-a", Func<JsonElement, bool>? pick = null)
    {
        var customerId = await _sandbox.CustomerIdAsync(username, organisationId);
        // The richest such account, so that ordinary test payments never fail for funds.
        return (await _sandbox.AccountsOfAsync(customerId, organisationId))
            .OrderByDescending(a => decimal.Parse(a.GetProperty("Balance").GetString()!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture))
            .First(a => a.GetProperty("Currency").GetString() == currency && (pick ?? (x => x.GetProperty("SchemeName").GetString() != "UK.OBIE.PAN"))(a));
    }

    public async Task<HttpStatusCode> AuthoriseAsync(string consentId, string username, string accountId, string organisationId = "org-a")
    {
        var customerId = await _sandbox.CustomerIdAsync(username, organisationId);
        using var client = _sandbox.Client(SandboxFactory.InternalToken());
        using var response = await client.PostAsJsonAsync($"/internal/consents/{consentId}/authorise", new { customerId, accountIds = new[] { accountId } }, Ct);
        return response.StatusCode;
    }

    /// <summary>An authorised payment consent and the customer token bound to it.</summary>
    public async Task<(string ConsentId, string Token, string Initiation, string AccountId)> AuthorisedAsync(
        string username = "alice", string amount = "10.00", string creditorName = "Jane Smith", string creditorIdentification = "20000012345678",
        string clientId = "wallet-a", string organisationId = "org-a", string? accountId = null)
    {
        var initiation = Initiation(amount, creditorName: creditorName, creditorIdentification: creditorIdentification);
        var (status, body) = await CreateConsentAsync(initiation, clientId: clientId, organisationId: organisationId);
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        var consentId = body.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        accountId ??= (await AccountAsync(username, organisationId: organisationId)).GetProperty("AccountId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await AuthoriseAsync(consentId, username, accountId, organisationId));
        return (consentId, PaymentToken(clientId, organisationId, consentId), initiation, accountId);
    }

    public static string PaymentBody(string consentId, string initiation, string risk = Risk)
        => "{\"Data\":{\"ConsentId\":\"" + consentId + "\",\"Initiation\":" + initiation + "},\"Risk\":" + risk + "}";

    public Task<(HttpStatusCode Status, string Text, JsonElement Body)> SubmitAsync(string token, string consentId, string initiation, string? key = null, string risk = Risk)
        => PostAsync(token, $"{Pisp}/domestic-payments", PaymentBody(consentId, initiation, risk), key ?? Guid.NewGuid().ToString("N"));

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path, string? token = null)
        => await _sandbox.GetAsync(token ?? PaymentToken(), path);

    /// <summary>Moves due payments along as the background worker would, after the clock has moved on.</summary>
    public async Task SettleAsync(TimeSpan? after = null)
    {
        factory.Clock.Offset += after ?? TimeSpan.FromMinutes(2);
        await using var scope = factory.Services.CreateAsyncScope();
        var settlement = scope.ServiceProvider.GetRequiredService<PaymentSettlement>();
        while (await settlement.RunOnceAsync(Ct) > 0)
        {
        }
    }

    public async Task<T> WithDbAsync<T>(Func<SandboxDbContext, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<SandboxDbContext>());
    }

    public Task<LedgerCheck> CheckLedgerAsync() => WithDbAsync(db => LedgerCheck.RunAsync(db, null, Ct));

    public Task<long> BalanceAsync(string accountId)
        => WithDbAsync(db => Task.FromResult(db.Accounts.Single(a => a.Id == accountId).BookedBalanceMinor));
}
