using System.Net;
using System.Text.Json;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests;

/// <summary>
/// A wallet on v4.0 end to end: every call through the real gateway, Identity's consent journey and the Sandbox, each
/// answer checked against the v4.0 specification; and the same bank read through both versions.
/// </summary>
public sealed class V4ThroughGatewayTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private const string Aisp = "/open-banking/v4.0/aisp";
    private const string Pisp = "/open-banking/v4.0/pisp";

    private const string Initiation = "{\"InstructionIdentification\":\"ii-v4\",\"EndToEndIdentification\":\"e2e-v4\","
        + "\"InstructedAmount\":{\"Amount\":\"4.20\",\"Currency\":\"GBP\"},"
        + "\"CreditorAccount\":{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":\"20000012345678\",\"Name\":\"Jane Smith\"},"
        + "\"RemittanceInformation\":{\"Unstructured\":[\"Lunch\"]}}";

    private static readonly OpenApiContract Accounts = OpenApiContract.Load("obie-v4.0/account-info-openapi.yaml");
    private static readonly OpenApiContract Payments = OpenApiContract.Load("obie-v4.0/payment-initiation-openapi.yaml");

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task AccountAccess_OnV4_ConsentJourney_ThenReads_FollowTheSpecification()
    {
        var (created, consent) = await _wallet.PostBankAsync(await _wallet.ClientTokenAsync("accounts"), Aisp + "/account-access-consents",
            "{\"Data\":{\"Permissions\":[\"ReadAccountsDetail\",\"ReadBalances\",\"ReadTransactionsDetail\",\"ReadTransactionsCredits\",\"ReadTransactionsDebits\"]},\"Risk\":{}}");
        Assert.True(created == HttpStatusCode.Created, consent.ToString());
        Accounts.AssertResponse("/account-access-consents", "post", 201, consent);
        Assert.Equal("AWAU", consent.GetProperty("Data").GetProperty("Status").GetString());
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;

        var tokens = await _wallet.AuthoriseConsentAsync(consentId, "openid accounts");
        var customerToken = tokens.GetProperty("access_token").GetString()!;

        var (read, authorised) = await GetAsync(await _wallet.ClientTokenAsync("accounts"), $"{Aisp}/account-access-consents/{consentId}");
        Assert.Equal(HttpStatusCode.OK, read);
        Accounts.AssertResponse("/account-access-consents/{ConsentId}", "get", 200, authorised);
        Assert.Equal("AUTH", authorised.GetProperty("Data").GetProperty("Status").GetString());

        foreach (var (template, path) in new[] { ("/accounts", "/accounts"), ("/balances", "/balances"), ("/transactions", "/transactions") })
        {
            var (status, body) = await GetAsync(customerToken, Aisp + path);
            Assert.True(status == HttpStatusCode.OK, $"{path}: {status} {body}");
            Accounts.AssertResponse(template, "get", 200, body);
        }

        // The v4.0 consent is not a v3.1.11 one: its token is refused on the older version's resources.
        var (older, _) = await GetAsync(customerToken, "/open-banking/v3.1/aisp/accounts");
        Assert.Equal(HttpStatusCode.Forbidden, older);
    }

    [Fact]
    public async Task AccountAccess_CreatedOnV3_1_IsUsedOnV4_WithoutAskingTheCustomerAgain()
    {
        var (consentId, tokens) = await _wallet.AuthorisedTokensAsync();
        var customerToken = tokens.GetProperty("access_token").GetString()!;

        var (status, accounts) = await GetAsync(customerToken, Aisp + "/accounts");
        Assert.True(status == HttpStatusCode.OK, accounts.ToString());
        Accounts.AssertResponse("/accounts", "get", 200, accounts);

        var (read, consent) = await GetAsync(await _wallet.ClientTokenAsync("accounts"), $"{Aisp}/account-access-consents/{consentId}");
        Assert.Equal(HttpStatusCode.OK, read);
        Assert.Equal("AUTH", consent.GetProperty("Data").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task DomesticPayment_OnV4_ConsentJourney_Payment_Status_AndDetails_FollowTheSpecification()
    {
        var clientToken = await _wallet.ClientTokenAsync("payments");
        var (created, consent) = await _wallet.PostBankAsync(clientToken, Pisp + "/domestic-payment-consents",
            "{\"Data\":{\"Initiation\":" + Initiation + "},\"Risk\":{}}", Guid.NewGuid().ToString("N"));
        Assert.True(created == HttpStatusCode.Created, consent.ToString());
        Payments.AssertResponse("/domestic-payment-consents", "post", 201, consent);
        Assert.Equal("AWAU", consent.GetProperty("Data").GetProperty("Status").GetString());
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;

        var tokens = await _wallet.AuthoriseConsentAsync(consentId, "openid payments");
        var customerToken = tokens.GetProperty("access_token").GetString()!;

        var (funds, confirmation) = await GetAsync(customerToken, $"{Pisp}/domestic-payment-consents/{consentId}/funds-confirmation");
        Assert.True(funds == HttpStatusCode.OK, confirmation.ToString());
        Payments.AssertResponse("/domestic-payment-consents/{ConsentId}/funds-confirmation", "get", 200, confirmation);

        var body = "{\"Data\":{\"ConsentId\":\"" + consentId + "\",\"Initiation\":" + Initiation + "},\"Risk\":{}}";
        var key = Guid.NewGuid().ToString("N");
        var (status, payment) = await _wallet.PostBankAsync(customerToken, Pisp + "/domestic-payments", body, key);
        Assert.True(status == HttpStatusCode.Created, payment.ToString());
        Payments.AssertResponse("/domestic-payments", "post", 201, payment);
        var paymentId = payment.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;

        // The same key and body again: the same payment, not a second one.
        var (replayed, again) = await _wallet.PostBankAsync(customerToken, Pisp + "/domestic-payments", body, key);
        Assert.True(replayed == HttpStatusCode.Created, again.ToString());
        Assert.Equal(paymentId, again.GetProperty("Data").GetProperty("DomesticPaymentId").GetString());

        var (read, current) = await GetAsync(clientToken, $"{Pisp}/domestic-payments/{paymentId}");
        Assert.Equal(HttpStatusCode.OK, read);
        Payments.AssertResponse("/domestic-payments/{DomesticPaymentId}", "get", 200, current);
        Assert.Matches("^[A-Z]{4}$", current.GetProperty("Data").GetProperty("Status").GetString()!);

        var (detailed, details) = await GetAsync(clientToken, $"{Pisp}/domestic-payments/{paymentId}/payment-details");
        Assert.Equal(HttpStatusCode.OK, detailed);
        Payments.AssertResponse("/domestic-payments/{DomesticPaymentId}/payment-details", "get", 200, details);

        // A v4.0 payment is not a v3.1.11 resource: the older version answers as for an unknown id, in its own form.
        var (older, refusal) = await GetAsync(clientToken, $"/open-banking/v3.1/pisp/domestic-payments/{paymentId}");
        Assert.Equal(HttpStatusCode.BadRequest, older);
        Assert.Equal("UK.OBIE.Resource.NotFound", refusal.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string token, string path)
    {
        using var client = platform.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var response = await client.GetAsync(path, _ct);
        var text = await response.Content.ReadAsStringAsync(_ct);
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }
}
