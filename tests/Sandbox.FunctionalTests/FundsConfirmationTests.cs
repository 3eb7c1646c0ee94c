using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>Confirmation of funds (CBPII): consents, the customer's authorisation, yes/no answers.</summary>
public sealed class FundsConfirmationTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private readonly PaymentsClient _payments = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static string FundsToken(string clientId = "wallet-a", string? consentId = null)
        => SandboxFactory.ClientToken(clientId, "org-a", scope: "fundsconfirmations", consentId: consentId);

    /// <summary>A consent naming alice's richest account, authorised by her; its id, a customer token and the account id.</summary>
    internal static async Task<(string ConsentId, string Token, string AccountId)> AuthorisedAsync(PaymentsClient payments, bool authorise = true)
    {
        var account = await payments.AccountAsync("alice");
        var accountId = account.GetProperty("AccountId").GetString()!;
        var (scheme, identification) = await payments.WithDbAsync(db => db.Accounts.Where(a => a.Id == accountId)
            .Select(a => new { a.SchemeName, a.Identification }).SingleAsync(Ct).ContinueWith(t => (t.Result.SchemeName, t.Result.Identification), Ct));
        var (status, _, body) = await payments.PostAsync(FundsToken(), $"{PaymentsClient.Cbpii}/funds-confirmation-consents",
            $"{{\"Data\":{{\"ExpirationDateTime\":\"{DateTime.UtcNow.AddDays(30):yyyy-MM-ddTHH:mm:ss}+00:00\",\"DebtorAccount\":{{\"SchemeName\":\"{scheme}\",\"Identification\":\"{identification}\",\"Name\":\"Alice\"}}}}}}");
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        var consentId = body.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        if (authorise)
        {
            Assert.Equal(HttpStatusCode.OK, await payments.AuthoriseAsync(consentId, "alice", accountId));
        }

        return (consentId, FundsToken(consentId: consentId), accountId);
    }

    private static string Confirmation(string consentId, string amount, string reference, string currency = "GBP")
        => $"{{\"Data\":{{\"ConsentId\":\"{consentId}\",\"Reference\":\"{reference}\",\"InstructedAmount\":{{\"Amount\":\"{amount}\",\"Currency\":\"{currency}\"}}}}}}";

    [Fact]
    public async Task Confirmation_AnswersYesOrNo_NeverABalance()
    {
        var (consentId, token, _) = await AuthorisedAsync(_payments);

        var (yes, _, body) = await _payments.PostAsync(token, $"{PaymentsClient.Cbpii}/funds-confirmations", Confirmation(consentId, "1.00", "ref-1"));
        var (_, _, no) = await _payments.PostAsync(token, $"{PaymentsClient.Cbpii}/funds-confirmations", Confirmation(consentId, "9999999.00", "ref-2"));

        Assert.Equal(HttpStatusCode.Created, yes);
        Assert.True(body.GetProperty("Data").GetProperty("FundsAvailable").GetBoolean());
        Assert.False(no.GetProperty("Data").GetProperty("FundsAvailable").GetBoolean());
        Assert.False(body.GetProperty("Data").TryGetProperty("Balance", out _));
    }

    [Fact]
    public async Task Refusals_DuplicateReference_WrongCurrency_WrongToken_Unauthorised()
    {
        var (consentId, token, _) = await AuthorisedAsync(_payments);
        await _payments.PostAsync(token, $"{PaymentsClient.Cbpii}/funds-confirmations", Confirmation(consentId, "1.00", "dup"));

        var (dup, _, dupBody) = await _payments.PostAsync(token, $"{PaymentsClient.Cbpii}/funds-confirmations", Confirmation(consentId, "2.00", "dup"));
        Assert.Equal(HttpStatusCode.BadRequest, dup);
        Assert.Equal("UK.OBIE.Rules.DuplicateReference", dupBody.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());

        var (currency, _, currencyBody) = await _payments.PostAsync(token, $"{PaymentsClient.Cbpii}/funds-confirmations", Confirmation(consentId, "2.00", "eur", "EUR"));
        Assert.Equal(HttpStatusCode.BadRequest, currency);
        Assert.Equal("UK.OBIE.Unsupported.Currency", currencyBody.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());

        var (clientToken, _, _) = await _payments.PostAsync(FundsToken(), $"{PaymentsClient.Cbpii}/funds-confirmations", Confirmation(consentId, "2.00", "cc"));
        Assert.Equal(HttpStatusCode.Forbidden, clientToken);
        var (customerOnConsent, _) = await _payments.GetAsync($"{PaymentsClient.Cbpii}/funds-confirmation-consents/{consentId}", token);
        Assert.Equal(HttpStatusCode.Forbidden, customerOnConsent);

        var (pending, pendingToken, _) = await AuthorisedAsync(_payments, authorise: false);
        var (status, _, body) = await _payments.PostAsync(pendingToken, $"{PaymentsClient.Cbpii}/funds-confirmations", Confirmation(pending, "1.00", "r"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("UK.OBIE.Resource.InvalidConsentStatus", body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
    }

    [Fact]
    public async Task RevokedOrDeletedConsent_AnswersNoMore()
    {
        var (consentId, token, _) = await AuthorisedAsync(_payments);
        var customerId = await _payments.Sandbox.CustomerIdAsync("alice");
        using (var client = _payments.Sandbox.Client(SandboxFactory.InternalToken()))
        using (var revoked = await client.PostAsJsonAsync($"/internal/consents/{consentId}/revoke", new { customerId }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        var (_, consent) = await _payments.GetAsync($"{PaymentsClient.Cbpii}/funds-confirmation-consents/{consentId}", FundsToken());
        Assert.Equal("Revoked", consent.GetProperty("Data").GetProperty("Status").GetString());
        var (status, _, _) = await _payments.PostAsync(token, $"{PaymentsClient.Cbpii}/funds-confirmations", Confirmation(consentId, "1.00", "after-revoke"));
        Assert.Equal(HttpStatusCode.BadRequest, status);

        var (other, _, _) = await AuthorisedAsync(_payments);
        using (var client = _payments.Sandbox.Client(FundsToken()))
        using (var deleted = await client.DeleteAsync($"{PaymentsClient.Cbpii}/funds-confirmation-consents/{other}", Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var (gone, goneBody) = await _payments.GetAsync($"{PaymentsClient.Cbpii}/funds-confirmation-consents/{other}", FundsToken());
        Assert.Equal(HttpStatusCode.BadRequest, gone);
        Assert.Equal("UK.OBIE.Resource.NotFound", goneBody.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
    }

    [Fact]
    public async Task Authorisation_FromAnAccountOtherThanTheNamedOne_IsRefused()
    {
        var (consentId, _, accountId) = await AuthorisedAsync(_payments, authorise: false);
        var other = (await _payments.Sandbox.AccountsOfAsync(await _payments.Sandbox.CustomerIdAsync("alice")))
            .Select(a => a.GetProperty("AccountId").GetString()!).First(id => id != accountId);

        Assert.Equal(HttpStatusCode.BadRequest, await _payments.AuthoriseAsync(consentId, "alice", other));
        Assert.Equal(HttpStatusCode.BadRequest, await _payments.AuthoriseAsync(consentId, "bob", accountId));
    }
}
