using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>Drives the standing-order APIs of both versions as a wallet and Identity do, on a tenant whose clock is frozen.</summary>
public sealed class StandingOrdersClient(PaymentsClient payments, string organisation)
{
    public const string V3 = "/open-banking/v3.1/pisp";
    public const string V4 = "/open-banking/v4.0/pisp";
    public const string Risk = "{\"PaymentContextCode\":\"TransferToThirdParty\"}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public PaymentsClient Payments => payments;

    public string Organisation => organisation;

    public string Token(string? consentId = null) => PaymentsClient.PaymentToken(organisationId: organisation, consentId: consentId);

    /// <summary>Freezes the tenant's clock and says what it reads.</summary>
    public async Task<DateTimeOffset> FreezeAsync() => await MoveAsync("""{"Freeze": true}""");

    public async Task<DateTimeOffset> MoveAsync(string json)
    {
        using var client = payments.Sandbox.Client(SandboxFactory.ClientToken(organisationId: organisation, scope: PlatformScopes.Payments));
        using var response = await client.PostAsync(ClockApi.PublicPath, PaymentsClient.Json(json), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return DateTimeOffset.Parse(JsonDocument.Parse(text).RootElement.GetProperty("Now").GetString()!, CultureInfo.InvariantCulture);
    }

    public static string Time(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    public static string Creditor(string name = "Landlord Ltd", string identification = "20000012345678", string scheme = "UK.OBIE.SortCodeAccountNumber")
        => $"\"CreditorAccount\":{{\"SchemeName\":\"{scheme}\",\"Identification\":\"{identification}\",\"Name\":\"{name}\"}}";

    /// <summary>A v3.1.11 Initiation; <paramref name="end"/> is e.g. "\"NumberOfPayments\":\"12\"" (or null for open-ended).</summary>
    public static string V3Initiation(string frequency, DateTimeOffset first, string? end, string amount = "10.00", string? extra = null, string? creditor = null)
        => "{\"Frequency\":\"" + frequency + "\",\"Reference\":\"Rent\"," + (end is null ? string.Empty : end + ",")
            + $"\"FirstPaymentDateTime\":\"{Time(first)}\",\"FirstPaymentAmount\":{{\"Amount\":\"{amount}\",\"Currency\":\"GBP\"}},"
            + (extra is null ? string.Empty : extra + ",") + (creditor ?? Creditor()) + "}";

    /// <summary>A v4.0 Initiation: the schedule in MandateRelatedInformation (<paramref name="frequency"/> an OBFrequency6 object).</summary>
    public static string V4Initiation(string frequency, DateTimeOffset first, DateTimeOffset? final, string amount = "10.00", string? extra = null, string? creditor = null)
        => "{\"FirstPaymentAmount\":{\"Amount\":\"" + amount + "\",\"Currency\":\"GBP\"}," + (extra is null ? string.Empty : extra + ",")
            + (creditor ?? Creditor()) + ",\"RemittanceInformation\":{\"Unstructured\":[\"Rent\"]},"
            + "\"MandateRelatedInformation\":{\"Frequency\":" + frequency + $",\"FirstPaymentDateTime\":\"{Time(first)}\""
            + (final is { } f ? $",\"FinalPaymentDateTime\":\"{Time(f)}\"" : string.Empty) + "}}";

    public static string ConsentBody(string initiation, string? extraData = null, string risk = Risk)
        => "{\"Data\":{\"Permission\":\"Create\"," + extraData + "\"Initiation\":" + initiation + "},\"Risk\":" + risk + "}";

    public Task<(HttpStatusCode Status, string Text, JsonElement Body)> CreateConsentAsync(string pisp, string body, string? key = null)
        => payments.PostAsync(Token(), $"{pisp}/domestic-standing-order-consents", body, key ?? Guid.NewGuid().ToString("N"));

    public Task<(HttpStatusCode Status, string Text, JsonElement Body)> SubmitAsync(string pisp, string consentId, string initiation, string? key = null, string? token = null, string risk = Risk)
        => payments.PostAsync(token ?? Token(consentId), $"{pisp}/domestic-standing-orders", PaymentsClient.PaymentBody(consentId, initiation, risk), key ?? Guid.NewGuid().ToString("N"));

    public Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path) => payments.GetAsync(path, Token());

    public async Task<string> AccountIdAsync(string username = "alice")
        => (await payments.AccountAsync(username, organisationId: organisation)).GetProperty("AccountId").GetString()!;

    /// <summary>A made standing order: consent created through <paramref name="pisp"/>, authorised by alice, order submitted.</summary>
    public async Task<(string ConsentId, string OrderId, string AccountId)> MakeAsync(string pisp, string initiation, string? accountId = null)
    {
        var (status, text, consent) = await CreateConsentAsync(pisp, ConsentBody(initiation));
        Assert.True(status == HttpStatusCode.Created, text);
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        accountId ??= await AccountIdAsync();
        Assert.Equal(HttpStatusCode.OK, await payments.AuthoriseAsync(consentId, "alice", accountId, organisation));
        var (made, madeText, order) = await SubmitAsync(pisp, consentId, initiation);
        Assert.True(made == HttpStatusCode.Created, madeText);
        return (consentId, order.GetProperty("Data").GetProperty("DomesticStandingOrderId").GetString()!, accountId);
    }
}
