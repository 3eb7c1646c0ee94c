using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Domain;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// Confirmation of funds through v4.0: the v3.1.11 rules with v4.0's codes, and the cross-version rule — a consent made
/// through v3.1.11 is read and used through v4.0 too, one made through v4.0 never through v3.1.11.
/// </summary>
public sealed class V4FundsConfirmationTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private static readonly OpenApiContract Cof = OpenApiContract.Load("obie-v4.0/confirmation-funds-openapi.yaml");

    private readonly PaymentsClient _payments = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A consent naming alice's richest account, created under <paramref name="cbpii"/> and authorised by her.</summary>
    internal static async Task<(string ConsentId, string Token, string AccountId)> AuthorisedAsync(PaymentsClient payments, string cbpii, bool authorise = true)
    {
        var accountId = (await payments.AccountAsync("alice")).GetProperty("AccountId").GetString()!;
        var (scheme, identification) = await payments.WithDbAsync(async db =>
        {
            var account = await db.Accounts.SingleAsync(a => a.Id == accountId, Ct);
            return (account.SchemeName, account.Identification);
        });
        var (status, text, body) = await payments.PostAsync(FundsConfirmationTests.FundsToken(), $"{cbpii}/funds-confirmation-consents",
            $"{{\"Data\":{{\"ExpirationDateTime\":\"{DateTime.UtcNow.AddDays(30):yyyy-MM-ddTHH:mm:ss}+00:00\",\"DebtorAccount\":{{\"SchemeName\":\"{scheme}\",\"Identification\":\"{identification}\",\"Name\":\"Alice\"}}}}}}");
        Assert.True(status == HttpStatusCode.Created, text);
        var consentId = body.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        if (authorise)
        {
            Assert.Equal(HttpStatusCode.OK, await payments.AuthoriseAsync(consentId, "alice", accountId));
        }

        return (consentId, FundsConfirmationTests.FundsToken(consentId: consentId), accountId);
    }

    internal static string Confirmation(string consentId, string amount, string reference, string currency = "GBP")
        => $"{{\"Data\":{{\"ConsentId\":\"{consentId}\",\"Reference\":\"{reference}\",\"InstructedAmount\":{{\"Amount\":\"{amount}\",\"Currency\":\"{currency}\"}}}}}}";

    [Fact]
    public async Task V4Consent_IsRecordedAsV4_AndAnswersYesOrNo()
    {
        var (consentId, token, _) = await AuthorisedAsync(_payments, V4PaymentsClient.Cbpii);

        var (yes, _, body) = await _payments.PostAsync(token, $"{V4PaymentsClient.Cbpii}/funds-confirmations", Confirmation(consentId, "1.00", "ref-1"));
        var (_, _, no) = await _payments.PostAsync(token, $"{V4PaymentsClient.Cbpii}/funds-confirmations", Confirmation(consentId, "9999999.00", "ref-2"));

        Assert.Equal(HttpStatusCode.Created, yes);
        Assert.True(body.GetProperty("Data").GetProperty("FundsAvailable").GetBoolean());
        Assert.False(no.GetProperty("Data").GetProperty("FundsAvailable").GetBoolean());
        Assert.Equal(ApiVersion.V4_0, await _payments.WithDbAsync(db => db.FundsConfirmationConsents.Where(c => c.Id == consentId).Select(c => c.ApiVersion).SingleAsync(Ct)));
    }

    [Fact]
    public async Task V31Consent_IsReadAndUsedThroughV4()
    {
        var (consentId, token, _) = await AuthorisedAsync(_payments, PaymentsClient.Cbpii);

        var (read, consent) = await _payments.GetAsync($"{V4PaymentsClient.Cbpii}/funds-confirmation-consents/{consentId}", FundsConfirmationTests.FundsToken());
        var (confirmed, _, body) = await _payments.PostAsync(token, $"{V4PaymentsClient.Cbpii}/funds-confirmations", Confirmation(consentId, "1.00", "upward"));

        Assert.Equal(HttpStatusCode.OK, read);
        Cof.AssertResponse("/funds-confirmation-consents/{ConsentId}", "get", 200, consent);
        Assert.Equal("AUTH", consent.GetProperty("Data").GetProperty("Status").GetString());
        Assert.Equal(HttpStatusCode.Created, confirmed);
        Cof.AssertResponse("/funds-confirmations", "post", 201, body);
    }

    [Fact]
    public async Task V4Consent_IsNotFoundThroughV31_AndItsTokenIsRefused_NothingChanges()
    {
        var (consentId, token, _) = await AuthorisedAsync(_payments, V4PaymentsClient.Cbpii);
        var confirmationsBefore = await _payments.WithDbAsync(db => db.FundsConfirmations.CountAsync(Ct));

        var (read, readBody) = await _payments.GetAsync($"{PaymentsClient.Cbpii}/funds-confirmation-consents/{consentId}", FundsConfirmationTests.FundsToken());
        var (confirmed, _, _) = await _payments.PostAsync(token, $"{PaymentsClient.Cbpii}/funds-confirmations", Confirmation(consentId, "1.00", "downward"));
        using var client = _payments.Sandbox.Client(FundsConfirmationTests.FundsToken());
        using var deleted = await client.DeleteAsync($"{PaymentsClient.Cbpii}/funds-confirmation-consents/{consentId}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, read);
        Assert.Equal("UK.OBIE.Resource.NotFound", readBody.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
        Assert.Contains("v4.0", readBody.GetProperty("Errors")[0].GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, confirmed);
        Assert.Equal(HttpStatusCode.BadRequest, deleted.StatusCode);
        Assert.Equal(confirmationsBefore, await _payments.WithDbAsync(db => db.FundsConfirmations.CountAsync(Ct)));
        var after = await _payments.WithDbAsync(db => db.FundsConfirmationConsents.SingleAsync(c => c.Id == consentId, Ct));
        Assert.Equal(ConsentStatus.Authorised, after.Status);
        Assert.Null(after.DeletedAt);
    }

    [Fact]
    public async Task RevokedConsent_IsRjctWithItsReason_AndRefused()
    {
        var (consentId, token, _) = await AuthorisedAsync(_payments, V4PaymentsClient.Cbpii);
        using var identity = _payments.Sandbox.Client(SandboxFactory.InternalToken());
        using var revoked = await identity.PostAsJsonAsync($"/internal/consents/{consentId}/revoke",
            new { customerId = await _payments.Sandbox.CustomerIdAsync("alice") }, Ct);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        var (_, consent) = await _payments.GetAsync($"{V4PaymentsClient.Cbpii}/funds-confirmation-consents/{consentId}", FundsConfirmationTests.FundsToken());
        var (confirmed, _, error) = await _payments.PostAsync(token, $"{V4PaymentsClient.Cbpii}/funds-confirmations", Confirmation(consentId, "1.00", "after"));

        Cof.AssertResponse("/funds-confirmation-consents/{ConsentId}", "get", 200, consent);
        Assert.Equal("RJCT", consent.GetProperty("Data").GetProperty("Status").GetString());
        Assert.Equal("MS02", consent.GetProperty("Data").GetProperty("StatusReason")[0].GetProperty("StatusReasonCode").GetString());
        // A revoked consent's token no longer passes authentication, or is refused for the consent's status.
        Assert.True(confirmed is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, confirmed.ToString());
        if (confirmed == HttpStatusCode.BadRequest)
        {
            Assert.Equal("U009", V4PaymentsClient.ErrorCode(error));
        }
    }

    [Fact]
    public async Task Refusals_InV4Form_DuplicateReference_WrongCurrency_Proxy_Deleted()
    {
        var (consentId, token, _) = await AuthorisedAsync(_payments, V4PaymentsClient.Cbpii);
        await _payments.PostAsync(token, $"{V4PaymentsClient.Cbpii}/funds-confirmations", Confirmation(consentId, "1.00", "dup"));

        var (dup, _, dupBody) = await _payments.PostAsync(token, $"{V4PaymentsClient.Cbpii}/funds-confirmations", Confirmation(consentId, "2.00", "dup"));
        var (currency, _, currencyBody) = await _payments.PostAsync(token, $"{V4PaymentsClient.Cbpii}/funds-confirmations", Confirmation(consentId, "2.00", "eur", "EUR"));
        var (proxy, _, proxyBody) = await _payments.PostAsync(FundsConfirmationTests.FundsToken(), $"{V4PaymentsClient.Cbpii}/funds-confirmation-consents",
            "{\"Data\":{\"DebtorAccount\":{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":\"60837112345678\",\"Proxy\":{\"Identification\":\"+447700900000\",\"Code\":\"TELE\"}}}}");

        Assert.Equal(HttpStatusCode.BadRequest, dup);
        Cof.AssertResponse("/funds-confirmations", "post", 400, dupBody);
        Assert.Equal("U013", V4PaymentsClient.ErrorCode(dupBody));
        Assert.Equal(HttpStatusCode.BadRequest, currency);
        Assert.Equal("U023", V4PaymentsClient.ErrorCode(currencyBody));
        Assert.Equal(HttpStatusCode.BadRequest, proxy);
        Assert.Equal("U021", V4PaymentsClient.ErrorCode(proxyBody));
        Assert.Equal("Data.DebtorAccount.Proxy", proxyBody.GetProperty("Errors")[0].GetProperty("Path").GetString());

        using var client = _payments.Sandbox.Client(FundsConfirmationTests.FundsToken());
        using var deleted = await client.DeleteAsync($"{V4PaymentsClient.Cbpii}/funds-confirmation-consents/{consentId}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var (gone, goneBody) = await _payments.GetAsync($"{V4PaymentsClient.Cbpii}/funds-confirmation-consents/{consentId}", FundsConfirmationTests.FundsToken());
        Assert.Equal(HttpStatusCode.BadRequest, gone);
        Assert.Equal("U011", V4PaymentsClient.ErrorCode(goneBody));
    }
}
