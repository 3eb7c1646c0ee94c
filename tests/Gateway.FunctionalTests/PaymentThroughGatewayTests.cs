using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests;

/// <summary>A domestic payment as a wallet makes it: every call through the real gateway, Identity and Sandbox.</summary>
public sealed class PaymentThroughGatewayTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private const string Initiation = "{\"InstructionIdentification\":\"ii-gw\",\"EndToEndIdentification\":\"e2e-gw\","
        + "\"InstructedAmount\":{\"Amount\":\"3.10\",\"Currency\":\"GBP\"},"
        + "\"CreditorAccount\":{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":\"20000012345678\",\"Name\":\"Jane Smith\"}}";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task Consent_Authorisation_Payment_AndStatus_ThroughTheGateway()
    {
        var consent = await _wallet.CreatePaymentConsentAsync(Initiation);
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        var tokens = await _wallet.AuthoriseConsentAsync(consentId, "openid payments");
        var customerToken = tokens.GetProperty("access_token").GetString()!;

        var (status, payment) = await _wallet.PostBankAsync(customerToken, "/open-banking/v3.1/pisp/domestic-payments",
            "{\"Data\":{\"ConsentId\":\"" + consentId + "\",\"Initiation\":" + Initiation + "},\"Risk\":{}}", "gw-key-1");
        Assert.True(status == HttpStatusCode.Created, payment.ToString());
        var paymentId = payment.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;

        // The status is read with a client-credentials token; the customer token is refused by the gateway's route policy.
        using var client = platform.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await _wallet.ClientTokenAsync("payments"));
        var read = await client.GetFromJsonAsync<JsonElement>($"/open-banking/v3.1/pisp/domestic-payments/{paymentId}", _ct);
        Assert.Equal(paymentId, read.GetProperty("Data").GetProperty("DomesticPaymentId").GetString());
        client.DefaultRequestHeaders.Authorization = new("Bearer", customerToken);
        using var refused = await client.GetAsync($"/open-banking/v3.1/pisp/domestic-payments/{paymentId}", _ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
