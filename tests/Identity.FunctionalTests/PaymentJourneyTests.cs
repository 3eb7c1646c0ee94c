using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>Payment and funds-confirmation consents through the same customer journey as account access.</summary>
public sealed class PaymentJourneyTests(ConsentJourneyFixture platform) : IClassFixture<ConsentJourneyFixture>
{
    private const string Initiation = "{\"InstructionIdentification\":\"ii-journey\",\"EndToEndIdentification\":\"e2e-journey\","
        + "\"InstructedAmount\":{\"Amount\":\"7.50\",\"Currency\":\"GBP\"},"
        + "\"CreditorAccount\":{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":\"20000012345678\",\"Name\":\"Jane Smith\"},"
        + "\"RemittanceInformation\":{\"Reference\":\"JOURNEY-1\"}}";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task PaymentConsent_AuthorisedHeadlessly_GivesABoundToken_ThatMakesThePaymentOnce()
    {
        var consent = await _wallet.CreatePaymentConsentAsync(Initiation);
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;

        // offline_access: the refresh token must come back, so that its refusal below is checked.
        var tokens = await _wallet.AuthoriseConsentAsync(consentId, "openid payments offline_access");

        var accessToken = tokens.GetProperty("access_token").GetString()!;
        var jwt = new JsonWebToken(accessToken);
        Assert.Equal(consentId, jwt.GetClaim(PlatformClaims.ConsentId).Value);
        Assert.Equal("offline_access openid payments", string.Join(' ', jwt.GetClaim("scope").Value.Split(' ').Order(StringComparer.Ordinal)));
        Assert.True(tokens.TryGetProperty("refresh_token", out var refresh), "offline_access was granted but no refresh token came back: " + tokens);

        var body = "{\"Data\":{\"ConsentId\":\"" + consentId + "\",\"Initiation\":" + Initiation + "},\"Risk\":{}}";
        var (status, payment) = await _wallet.PostBankAsync(accessToken, "/open-banking/v3.1/pisp/domestic-payments", body, "journey-key-1");
        Assert.True(status == HttpStatusCode.Created, payment.ToString());
        Assert.Equal(consentId, payment.GetProperty("Data").GetProperty("ConsentId").GetString());
        Assert.Equal("GBP", await DebtorCurrencyAsync(consentId));

        // The consent is Consumed: a second payment under it is refused, and the refresh token gives nothing more.
        var (again, refusal) = await _wallet.PostBankAsync(accessToken, "/open-banking/v3.1/pisp/domestic-payments", body, "journey-key-2");
        Assert.Equal(HttpStatusCode.BadRequest, again);
        Assert.Equal("UK.OBIE.Resource.InvalidConsentStatus", refusal.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
        var (refreshStatus, refreshRefusal) = await _wallet.RefreshAsync(refresh.GetString()!);
        Assert.Equal(HttpStatusCode.BadRequest, refreshStatus);
        Assert.Equal("invalid_grant", refreshRefusal.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PaymentConsent_NeedsThePaymentsScope_AndNoOther()
    {
        var consent = await _wallet.CreatePaymentConsentAsync(Initiation);
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;

        var (status, body) = await _wallet.PushAsync(_wallet.ParForm(consentId, Wallet.Pkce.Create(), scope: "openid accounts"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_scope", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task DeniedPaymentConsent_IsRejected_AndAnswersAccessDenied()
    {
        var consent = await _wallet.CreatePaymentConsentAsync(Initiation);
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, Wallet.Pkce.Create(), "openid payments");

        var (status, body) = await _wallet.AuthoriseHeadlessAsync(requestUri, decision: "deny");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("access_denied", Wallet.QueryOf(body.GetProperty("redirect_uri").GetString()!)["error"]);
        Assert.Equal("Rejected", (await SandboxConsentAsync(consentId)).GetProperty("Status").GetString());
    }

    [Fact]
    public async Task FundsConfirmationConsent_AuthorisedHeadlessly_AnswersWithTheCustomerToken()
    {
        // The consent names alice's account; the journey authorises it from that account.
        var account = await AliceGbpAccountAsync();
        var (created, consent) = await _wallet.PostBankAsync(await _wallet.ClientTokenAsync("fundsconfirmations"),
            "/open-banking/v3.1/cbpii/funds-confirmation-consents",
            $"{{\"Data\":{{\"DebtorAccount\":{{\"SchemeName\":\"{account.Scheme}\",\"Identification\":\"{account.Identification}\"}}}}}}");
        Assert.True(created == HttpStatusCode.Created, consent.ToString());
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;

        var tokens = await _wallet.AuthoriseConsentAsync(consentId, "openid fundsconfirmations");

        var (status, answer) = await _wallet.PostBankAsync(tokens.GetProperty("access_token").GetString()!, "/open-banking/v3.1/cbpii/funds-confirmations",
            $"{{\"Data\":{{\"ConsentId\":\"{consentId}\",\"Reference\":\"card-1\",\"InstructedAmount\":{{\"Amount\":\"0.01\",\"Currency\":\"GBP\"}}}}}}");
        Assert.True(status == HttpStatusCode.Created, answer.ToString());
        Assert.True(answer.GetProperty("Data").TryGetProperty("FundsAvailable", out _));
    }

    private async Task<JsonElement> SandboxConsentAsync(string consentId)
    {
        using var client = platform.Sandbox.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await InternalTokenAsync());
        return await client.GetFromJsonAsync<JsonElement>($"/internal/consents/{consentId}", _ct);
    }

    private async Task<string> DebtorCurrencyAsync(string consentId)
        => (await SandboxConsentAsync(consentId)).GetProperty("Currency").GetString()!;

    private async Task<(string Scheme, string Identification)> AliceGbpAccountAsync()
    {
        // The customer's own view of an account number is masked; the wallet learns it the way a card issuer would,
        // from account information (ReadAccountsDetail) under an account-access consent.
        var (_, tokens) = await _wallet.AuthorisedTokensAsync();
        using var client = platform.Sandbox.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", tokens.GetProperty("access_token").GetString());
        var accounts = await client.GetFromJsonAsync<JsonElement>("/open-banking/v3.1/aisp/accounts", _ct);
        var gbp = accounts.GetProperty("Data").GetProperty("Account").EnumerateArray()
            .First(a => a.GetProperty("Currency").GetString() == "GBP" && a.GetProperty("Account")[0].GetProperty("SchemeName").GetString() != "UK.OBIE.PAN");
        var id = gbp.GetProperty("Account")[0];
        return (id.GetProperty("SchemeName").GetString()!, id.GetProperty("Identification").GetString()!);
    }

    private async Task<string> InternalTokenAsync()
    {
        using var client = _wallet.Identity(authenticate: false);
        client.DefaultRequestHeaders.Authorization = Wallet.Basic("identity-service", "identity-service-dev-secret");
        var (_, body) = await _wallet.PostAsync(client, "/connect/token", new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = PlatformScopes.SandboxInternal });
        return body.GetProperty("access_token").GetString()!;
    }
}
