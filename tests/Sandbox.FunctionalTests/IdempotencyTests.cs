using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>x-idempotency-key on the PIS POSTs: replay, conflicting body, concurrent duplicates, limits.</summary>
public sealed class IdempotencyTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private readonly PaymentsClient _payments = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Payment_SentAgainWithTheSameKeyAndBody_AnswersTheOriginalByteForByte_AndMovesMoneyOnce()
    {
        var (consentId, token, initiation, accountId) = await _payments.AuthorisedAsync(amount: "2.50");
        var before = await _payments.BalanceAsync(accountId);
        var key = "pay-" + Guid.NewGuid().ToString("N")[..20];

        var first = await _payments.SubmitAsync(token, consentId, initiation, key);
        var second = await _payments.SubmitAsync(token, consentId, initiation, key);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Created, second.Status);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(before - 250, await _payments.BalanceAsync(accountId));
        Assert.Equal(1, await _payments.WithDbAsync(db => db.DomesticPayments.CountAsync(p => p.ConsentId == consentId, Ct)));
    }

    [Fact]
    public async Task Payment_RepeatedAfterItMovedOn_AnswersItsCurrentState()
    {
        // v3.1.11: a repeat within 24 h gets 201 with the resource's current state (not a stale copy).
        var (consentId, token, initiation, _) = await _payments.AuthorisedAsync(amount: "2.75");
        var key = Guid.NewGuid().ToString("N");
        var first = await _payments.SubmitAsync(token, consentId, initiation, key);
        await _payments.SettleAsync();

        var again = await _payments.SubmitAsync(token, consentId, initiation, key);

        Assert.Equal(HttpStatusCode.Created, again.Status);
        Assert.Equal(PaymentsTests.PaymentId(first.Body), PaymentsTests.PaymentId(again.Body));
        Assert.Equal("AcceptedSettlementInProcess", again.Body.GetProperty("Data").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task Payment_SameKeyDifferentBody_IsRefused_AndTheOriginalIsUntouched()
    {
        var (consentId, token, initiation, accountId) = await _payments.AuthorisedAsync(amount: "3.00");
        var key = Guid.NewGuid().ToString("N");
        var first = await _payments.SubmitAsync(token, consentId, initiation, key);
        var balance = await _payments.BalanceAsync(accountId);

        var other = await _payments.SubmitAsync(token, consentId, initiation, key, risk: "{\"PaymentContextCode\":\"TransferToSelf\"}");

        Assert.Equal(HttpStatusCode.BadRequest, other.Status);
        Assert.Equal("UK.OBIE.Header.Invalid", other.Body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
        Assert.Equal(balance, await _payments.BalanceAsync(accountId));
        var (_, current) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/{PaymentsTests.PaymentId(first.Body)}");
        Assert.Equal("Pending", current.GetProperty("Data").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task TwentyConcurrentDuplicates_MakeExactlyOnePayment()
    {
        var (consentId, token, initiation, accountId) = await _payments.AuthorisedAsync(amount: "4.00");
        var before = await _payments.BalanceAsync(accountId);
        var key = Guid.NewGuid().ToString("N");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => _payments.SubmitAsync(token, consentId, initiation, key), Ct)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.Status));
        Assert.Single(answers.Select(a => PaymentsTests.PaymentId(a.Body)).Distinct());
        Assert.Equal(1, await _payments.WithDbAsync(db => db.DomesticPayments.CountAsync(p => p.ConsentId == consentId, Ct)));
        Assert.Equal(before - 400, await _payments.BalanceAsync(accountId));
        Assert.True((await _payments.CheckLedgerAsync()).Holds);
    }

    [Fact]
    public async Task Consent_SentAgainWithTheSameKey_IsTheSameConsent()
    {
        var initiation = PaymentsClient.Initiation();
        var key = Guid.NewGuid().ToString("N");
        var first = await _payments.CreateConsentAsync(initiation, key: key);
        var second = await _payments.CreateConsentAsync(initiation, key: key);
        var other = await _payments.CreateConsentAsync(PaymentsClient.Initiation(amount: "11.00"), key: key);

        Assert.Equal(HttpStatusCode.Created, second.Status);
        Assert.Equal(first.Body.ToString(), second.Body.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, other.Status);
    }

    [Fact]
    public async Task Keys_AreScopedPerClient()
    {
        var key = Guid.NewGuid().ToString("N");
        var a = await _payments.CreateConsentAsync(PaymentsClient.Initiation(), clientId: "wallet-a", key: key);
        var b = await _payments.CreateConsentAsync(PaymentsClient.Initiation(amount: "1.00"), clientId: "wallet-b", key: key);

        Assert.Equal(HttpStatusCode.Created, b.Status);
        Assert.NotEqual(a.Body.GetProperty("Data").GetProperty("ConsentId").GetString(), b.Body.GetProperty("Data").GetProperty("ConsentId").GetString());
    }

    [Theory]
    [InlineData(null, "UK.OBIE.Header.Missing")]
    [InlineData("12345678901234567890123456789012345678901", "UK.OBIE.Header.Invalid")]
    [InlineData(" leading-space", "UK.OBIE.Header.Invalid")]
    public async Task MissingOrBadKey_IsRefused(string? key, string code)
    {
        var (status, _, body) = await _payments.PostAsync(PaymentsClient.PaymentToken(), $"{PaymentsClient.Pisp}/domestic-payment-consents",
            "{\"Data\":{\"Initiation\":" + PaymentsClient.Initiation() + "},\"Risk\":{}}", key);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
        Assert.Equal(Idempotency.Header, body.GetProperty("Errors")[0].GetProperty("Path").GetString());
    }
}
