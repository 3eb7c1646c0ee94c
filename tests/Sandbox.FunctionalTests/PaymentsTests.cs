using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>Domestic payments end to end: consent, authorisation, submission, lifecycle, ledger.</summary>
public sealed class PaymentsTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private readonly PaymentsClient _payments = new(factory);

    [Fact]
    public async Task Payment_ToAnotherBank_IsDebitedThenSettled_AndTheConsentIsConsumed()
    {
        var (consentId, token, initiation, accountId) = await _payments.AuthorisedAsync(amount: "12.34");
        var before = await _payments.BalanceAsync(accountId);

        var (status, text, body) = await _payments.SubmitAsync(token, consentId, initiation);

        Assert.True(status == HttpStatusCode.Created, text);
        var data = body.GetProperty("Data");
        var paymentId = data.GetProperty("DomesticPaymentId").GetString()!;
        var (_, why) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/{data.GetProperty("DomesticPaymentId").GetString()}/payment-details");
        Assert.True(data.GetProperty("Status").GetString() == "Pending", why.ToString());
        Assert.Equal(consentId, data.GetProperty("ConsentId").GetString());
        Assert.Equal(before - 1234, await _payments.BalanceAsync(accountId));
        var (_, consent) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payment-consents/{consentId}");
        Assert.Equal("Consumed", consent.GetProperty("Data").GetProperty("Status").GetString());

        await _payments.SettleAsync();
        var (_, inProcess) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/{paymentId}");
        Assert.Equal("AcceptedSettlementInProcess", inProcess.GetProperty("Data").GetProperty("Status").GetString());

        await _payments.SettleAsync();
        var (_, settled) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/{paymentId}");
        Assert.Equal("AcceptedSettlementCompleted", settled.GetProperty("Data").GetProperty("Status").GetString());

        var (detailsStatus, details) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/{paymentId}/payment-details");
        Assert.Equal(HttpStatusCode.OK, detailsStatus);
        var history = details.GetProperty("Data").GetProperty("PaymentStatus").EnumerateArray().Select(s => s.GetProperty("Status").GetString()).ToArray();
        Assert.Equal(["Pending", "AcceptedSettlementInProcess", "AcceptedSettlementCompleted"], history);
        Assert.Contains("Risk score", details.GetProperty("Data").GetProperty("PaymentStatus")[0].GetProperty("StatusDetail").GetProperty("StatusReasonDescription").GetString());
        Assert.Equal(before - 1234, await _payments.BalanceAsync(accountId));
        Assert.True((await _payments.CheckLedgerAsync()).Holds);
    }

    [Fact]
    public async Task Payment_ToAnAccountInTheSameBank_CreditsThePayeeOnSettlement()
    {
        var payee = await _payments.AccountAsync("erin", pick: a => a.GetProperty("SchemeName").GetString() == "UK.OBIE.SortCodeAccountNumber");
        var payeeId = payee.GetProperty("AccountId").GetString()!;
        var payeeIdentification = await _payments.WithDbAsync(db => db.Accounts.Where(a => a.Id == payeeId).Select(a => a.Identification).SingleAsync(TestContext.Current.CancellationToken));
        var payeeBefore = await _payments.BalanceAsync(payeeId);
        var (consentId, token, initiation, payerId) = await _payments.AuthorisedAsync(amount: "5.00", creditorName: "Hughes Design Studio Ltd", creditorIdentification: payeeIdentification);
        var payerBefore = await _payments.BalanceAsync(payerId);

        var (status, text, _) = await _payments.SubmitAsync(token, consentId, initiation);
        Assert.True(status == HttpStatusCode.Created, text);
        await _payments.SettleAsync();
        await _payments.SettleAsync();

        Assert.Equal(payerBefore - 500, await _payments.BalanceAsync(payerId));
        Assert.Equal(payeeBefore + 500, await _payments.BalanceAsync(payeeId));
        var check = await _payments.CheckLedgerAsync();
        Assert.True(check.Holds, string.Join("\n", check.Problems));
    }

    [Fact]
    public async Task PaymentTransactions_AppearInTheAccountHistory_WithTheCountersKept()
    {
        var (consentId, token, initiation, accountId) = await _payments.AuthorisedAsync(amount: "3.21");
        var countBefore = await _payments.WithDbAsync(db => db.Accounts.Where(a => a.Id == accountId).Select(a => a.TransactionCount).SingleAsync(TestContext.Current.CancellationToken));

        var (_, _, body) = await _payments.SubmitAsync(token, consentId, initiation);

        var paymentId = body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;
        var (count, rows) = await _payments.WithDbAsync(async db => (
            await db.Accounts.Where(a => a.Id == accountId).Select(a => a.TransactionCount).SingleAsync(TestContext.Current.CancellationToken),
            await db.Transactions.CountAsync(t => t.AccountId == accountId && t.TransactionId == paymentId && !t.IsCredit && t.AmountMinor == 321, TestContext.Current.CancellationToken)));
        Assert.Equal(countBefore + 1, count);
        Assert.Equal(1, rows);
    }

    [Theory]
    [InlineData("Insufficient Funds Ltd", "10.00", "Rejected")]
    [InlineData("Jane Smith", "9.91", "Rejected")]
    [InlineData("Risky Payee Ltd", "10.00", "Rejected")]
    [InlineData("Jane Smith", "9.92", "Rejected")]
    [InlineData("Review Payee Ltd", "10.00", "Pending")]
    [InlineData("Jane Smith", "9.93", "Pending")]
    public async Task ScenarioTriggers_ProvokeTheirOutcome_WithoutMovingMoney(string payee, string amount, string expected)
    {
        var (consentId, token, initiation, accountId) = await _payments.AuthorisedAsync(amount: amount, creditorName: payee);
        var before = await _payments.BalanceAsync(accountId);

        var (status, text, body) = await _payments.SubmitAsync(token, consentId, initiation);

        Assert.True(status == HttpStatusCode.Created, text);
        Assert.Equal(expected, body.GetProperty("Data").GetProperty("Status").GetString());
        await _payments.SettleAsync();
        var paymentId = body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;
        var (_, after) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/{paymentId}");
        Assert.Equal(expected, after.GetProperty("Data").GetProperty("Status").GetString());
        Assert.Equal(before, await _payments.BalanceAsync(accountId));
    }

    [Fact]
    public async Task SettlementFailureScenario_RejectsThePayment_AndReversesTheDebit()
    {
        var (consentId, token, initiation, accountId) = await _payments.AuthorisedAsync(creditorName: "Failing Payee Ltd");
        var before = await _payments.BalanceAsync(accountId);

        var (_, _, body) = await _payments.SubmitAsync(token, consentId, initiation);
        Assert.Equal(before - 1000, await _payments.BalanceAsync(accountId));
        await _payments.SettleAsync();
        await _payments.SettleAsync();

        var paymentId = body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;
        var (_, after) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/{paymentId}");
        Assert.Equal("Rejected", after.GetProperty("Data").GetProperty("Status").GetString());
        Assert.Equal(before, await _payments.BalanceAsync(accountId));
        var kinds = await _payments.WithDbAsync(db => db.LedgerEntries.Where(e => e.PaymentId == paymentId).Select(e => e.Kind).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, kinds.Count(k => k == "PaymentDebit"));
        Assert.Equal(2, kinds.Count(k => k == "Reversal"));
        Assert.True((await _payments.CheckLedgerAsync()).Holds);
    }

    [Fact]
    public async Task SlowSettlementScenario_StaysInProcessLonger()
    {
        var (consentId, token, initiation, _) = await _payments.AuthorisedAsync(creditorName: "Slow Payee Ltd");
        var (_, _, body) = await _payments.SubmitAsync(token, consentId, initiation);
        var paymentId = body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;

        await _payments.SettleAsync(TimeSpan.FromSeconds(25));
        Assert.Equal("InProcess", await StatusAsync(paymentId) switch { "AcceptedSettlementInProcess" => "InProcess", var s => s });
        await _payments.SettleAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("AcceptedSettlementInProcess", await StatusAsync(paymentId));
        await _payments.SettleAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("AcceptedSettlementCompleted", await StatusAsync(paymentId));
    }

    [Fact]
    public async Task HeldPayment_ReleasedByAReviewer_IsDebitedAndSettles()
    {
        var (consentId, token, initiation, accountId) = await _payments.AuthorisedAsync(creditorName: "Review Payee Ltd");
        var before = await _payments.BalanceAsync(accountId);
        var (_, _, body) = await _payments.SubmitAsync(token, consentId, initiation);
        var paymentId = body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;

        using var client = _payments.Sandbox.Client(SandboxFactory.InternalToken());
        using var response = await client.PostAsync($"/internal/payments/{paymentId}/review", PaymentsClient.Json("{\"approve\":true}"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _payments.SettleAsync();
        await _payments.SettleAsync();

        Assert.Equal("AcceptedSettlementCompleted", await StatusAsync(paymentId));
        Assert.Equal(before - 1000, await _payments.BalanceAsync(accountId));
    }

    [Fact]
    public async Task HeldPayment_IsListedForItsTenantWithItsRisk_AndOnlyItsTenantMayReviewIt()
    {
        var (consentId, token, initiation, _) = await _payments.AuthorisedAsync(creditorName: "Review Payee Ltd");
        var (_, _, body) = await _payments.SubmitAsync(token, consentId, initiation);
        var paymentId = body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;
        using var client = _payments.Sandbox.Client(SandboxFactory.InternalToken());
        var ct = TestContext.Current.CancellationToken;

        var listed = await client.GetFromJsonAsync<JsonElement>("/internal/tenants/org-a/payments?take=50", ct);
        var payment = listed.EnumerateArray().Single(p => p.GetProperty("PaymentId").GetString() == paymentId);
        Assert.True(payment.GetProperty("HeldForReview").GetBoolean());
        Assert.Equal("Pending", payment.GetProperty("Status").GetString());
        Assert.Equal("10.00", payment.GetProperty("Amount").GetString());
        Assert.InRange(payment.GetProperty("RiskScore").GetInt32(), 1, 100);
        Assert.NotEmpty(payment.GetProperty("RiskReasons").EnumerateArray());
        var others = await client.GetFromJsonAsync<JsonElement>("/internal/tenants/org-b/payments", ct);
        Assert.DoesNotContain(others.EnumerateArray(), p => p.GetProperty("PaymentId").GetString() == paymentId);

        using var foreign = await client.PostAsync($"/internal/tenants/org-b/payments/{paymentId}/review", PaymentsClient.Json("{\"approve\":false}"), ct);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("Pending", await StatusAsync(paymentId));

        using var own = await client.PostAsync($"/internal/tenants/org-a/payments/{paymentId}/review", PaymentsClient.Json("{\"approve\":false}"), ct);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("Rejected", await StatusAsync(paymentId));
    }

    [Fact]
    public async Task ConsentFundsConfirmation_AnswersYesOrNo_WithTheCustomerToken()
    {
        var (consentId, token, _, _) = await _payments.AuthorisedAsync(amount: "1.00");
        var (status, body) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payment-consents/{consentId}/funds-confirmation", token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("Data").GetProperty("FundsAvailableResult").GetProperty("FundsAvailable").GetBoolean());

        var (poor, poorToken, _, _) = await _payments.AuthorisedAsync(amount: "9999999.00");
        var (_, no) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payment-consents/{poor}/funds-confirmation", poorToken);
        Assert.False(no.GetProperty("Data").GetProperty("FundsAvailableResult").GetProperty("FundsAvailable").GetBoolean());
    }

    [Fact]
    public async Task Authorisation_OnlyFromAnAccountOfThePaymentsCurrency()
    {
        var (status, body) = await _payments.CreateConsentAsync(PaymentsClient.Initiation(currency: "EUR"));
        Assert.Equal(HttpStatusCode.Created, status);
        var consentId = body.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        var gbp = (await _payments.AccountAsync("carol")).GetProperty("AccountId").GetString()!;
        var eur = (await _payments.AccountAsync("carol", "EUR", pick: _ => true)).GetProperty("AccountId").GetString()!;

        Assert.Equal(HttpStatusCode.BadRequest, await _payments.AuthoriseAsync(consentId, "carol", gbp));
        Assert.Equal(HttpStatusCode.OK, await _payments.AuthoriseAsync(consentId, "carol", eur));
    }

    private async Task<string> StatusAsync(string paymentId)
    {
        var (_, body) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/{paymentId}");
        return body.GetProperty("Data").GetProperty("Status").GetString()!;
    }

    internal static string PaymentId(JsonElement body) => body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;
}
