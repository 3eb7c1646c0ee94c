using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Payments;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// v4.0 domestic payments over the shared domain: refusals in v4.0 form (every problem at once, four-character codes),
/// idempotency (replay, and the same key with another body), the cross-version rule both ways with nothing changed,
/// status reasons, and the ledger after v4.0 payments.
/// </summary>
public sealed class V4PaymentRefusalTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private static readonly OpenApiContract Pis = OpenApiContract.Load("obie-v4.0/payment-initiation-openapi.yaml");

    private readonly PaymentsClient _payments = new(factory);
    private readonly V4PaymentsClient _v4 = new(new PaymentsClient(factory));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Consent_WithManyProblems_Is400NamingEveryOne_InV4Form_AndCreatesNothing()
    {
        var initiation = V4PaymentsClient.Initiation(
            extra: "\"CreditorPostalAddress\":{\"Country\":\"gb\",\"Street\":\"x\"},\"UltimateCreditor\":{\"LEI\":\"not-an-lei\"},"
                + "\"CreditorAgent\":{\"BIC\":\"SBNKGB2L\"},\"RegulatoryReporting\":[" + string.Join(",", Enumerable.Repeat("{}", 11)) + "]",
            remittance: "{\"Unstructured\":\"Invoice 1\",\"Reference\":\"INV-1\"}")
            .Replace("\"Name\":\"Jane Smith\"}", "\"Name\":\"Jane Smith\",\"Proxy\":{\"Identification\":\"x\",\"Code\":\"PHONE\"}}", StringComparison.Ordinal);
        const string risk = "{\"PaymentContextCode\":\"PartyToParty\",\"PaymentPurposeCode\":\"ZZZZ\",\"CategoryPurposeCode\":\"NOPE\",\"ContractPresentIndicator\":\"yes\"}";
        var before = await _payments.WithDbAsync(db => db.DomesticPaymentConsents.CountAsync(Ct));

        var (status, _, body) = await _v4.CreateConsentAsync(initiation, risk);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Pis.AssertResponse("/domestic-payment-consents", "post", 400, body);
        Assert.False(body.TryGetProperty("Code", out _));
        var errors = body.GetProperty("Errors").EnumerateArray().Select(e => (e.GetProperty("ErrorCode").GetString(), e.GetProperty("Path").GetString())).ToList();
        Assert.Contains(("U002", "Data.Initiation.CreditorPostalAddress.Country"), errors);
        Assert.Contains(("U005", "Data.Initiation.CreditorPostalAddress.Street"), errors);
        Assert.Contains(("U002", "Data.Initiation.UltimateCreditor.LEI"), errors);
        Assert.Contains(("U005", "Data.Initiation.CreditorAgent.BIC"), errors);
        Assert.Contains(("U002", "Data.Initiation.RegulatoryReporting"), errors);
        Assert.Contains(("U002", "Data.Initiation.CreditorAccount.Proxy.Code"), errors);
        Assert.Contains(("U002", "Data.Initiation.RemittanceInformation.Unstructured"), errors);
        Assert.Contains(("U005", "Data.Initiation.RemittanceInformation.Reference"), errors);
        Assert.Contains(("U002", "Risk.PaymentContextCode"), errors);
        Assert.Contains(("U002", "Risk.PaymentPurposeCode"), errors);
        Assert.Contains(("U002", "Risk.CategoryPurposeCode"), errors);
        Assert.Contains(("U002", "Risk.ContractPresentIndicator"), errors);
        Assert.Equal(before, await _payments.WithDbAsync(db => db.DomesticPaymentConsents.CountAsync(Ct)));
    }

    [Fact]
    public async Task Consent_KeepsTheV4Initiation_AndFillsTheDomainFromIt()
    {
        var (consentId, token, initiation, accountId) = await _v4.AuthorisedAsync(amount: "12.34", extra: V4PaymentsClient.Extras);
        var onlyUnstructured = V4PaymentsClient.Initiation(remittance: "{\"Unstructured\":[\"A line of remittance longer than thirty-five characters\"]}");
        var (_, _, other) = await _v4.CreateConsentAsync(onlyUnstructured);

        var consent = await _payments.WithDbAsync(db => db.DomesticPaymentConsents.SingleAsync(c => c.Id == consentId, Ct));
        Assert.Equal(ApiVersion.V4_0, consent.ApiVersion);
        Assert.Equal(1234, consent.AmountMinor);
        Assert.Equal("Jane Smith", consent.CreditorName);
        Assert.Equal("20000012345678", consent.CreditorIdentification);
        Assert.Equal("INV-0001", consent.Reference);
        Assert.Null(JsonValues.FirstDifference(JsonDocument.Parse(initiation).RootElement, JsonDocument.Parse(consent.InitiationJson).RootElement, "Initiation"));
        var otherId = other.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        Assert.Equal("A line of remittance longer than t…",
            await _payments.WithDbAsync(db => db.DomesticPaymentConsents.Where(c => c.Id == otherId).Select(c => c.Reference).SingleAsync(Ct)));

        var (status, text, payment) = await _v4.SubmitAsync(token, consentId, initiation);

        Assert.True(status == HttpStatusCode.Created, text);
        var paymentId = PaymentsTests.PaymentId(payment);
        var made = await _payments.WithDbAsync(db => db.DomesticPayments.SingleAsync(p => p.Id == paymentId, Ct));
        Assert.Equal(ApiVersion.V4_0, made.ApiVersion);
        // The payer's statement carries the structured creditor reference.
        Assert.Equal("INV-0001", await _payments.WithDbAsync(db => db.Transactions.Where(t => t.AccountId == accountId && t.Reference == "INV-0001").Select(t => t.Reference).FirstAsync(Ct)));
        Assert.Equal("PDNG", payment.GetProperty("Data").GetProperty("Status").GetString());
        await _payments.SettleAsync();
        await _payments.SettleAsync();
        var (_, settled) = await _v4.GetAsync($"{V4PaymentsClient.Pisp}/domestic-payments/{paymentId}");
        Assert.Equal("ACSC", settled.GetProperty("Data").GetProperty("Status").GetString());
        var check = await _payments.CheckLedgerAsync();
        Assert.True(check.Holds, string.Join("\n", check.Problems));
    }

    [Theory]
    [InlineData("Insufficient Funds Ltd", "RJCT", "AM04", 0)]
    [InlineData("Risky Payee Ltd", "RJCT", "MS03", 0)]
    [InlineData("Review Payee Ltd", "PDNG", "NARR", 0)]
    [InlineData("Failing Payee Ltd", "RJCT", "ED05", 3)]
    public async Task Payment_PendingOrRejectedForAReason_CarriesItsIsoReason(string payee, string status, string reason, int settlements)
    {
        var (consentId, token, initiation, _) = await _v4.AuthorisedAsync(creditorName: payee);
        var (_, _, payment) = await _v4.SubmitAsync(token, consentId, initiation);
        var paymentId = PaymentsTests.PaymentId(payment);
        for (var i = 0; i < settlements; i++)
        {
            await _payments.SettleAsync();
        }

        var (_, read) = await _v4.GetAsync($"{V4PaymentsClient.Pisp}/domestic-payments/{paymentId}");
        var (_, details) = await _v4.GetAsync($"{V4PaymentsClient.Pisp}/domestic-payments/{paymentId}/payment-details");

        Assert.Equal(status, read.GetProperty("Data").GetProperty("Status").GetString());
        Assert.Equal(reason, read.GetProperty("Data").GetProperty("StatusReason")[0].GetProperty("StatusReasonCode").GetString());
        var last = details.GetProperty("Data").EnumerateArray().Last().GetProperty("PaymentStatus");
        Assert.Equal(status, last.GetProperty("Status").GetString());
        Assert.Equal(reason, last.GetProperty("StatusDetail").GetProperty("StatusReason").GetString());
        var check = await _payments.CheckLedgerAsync();
        Assert.True(check.Holds, string.Join("\n", check.Problems));
    }

    [Fact]
    public async Task AcceptedPayment_HasNoStatusReason()
    {
        var (consentId, token, initiation, _) = await _v4.AuthorisedAsync();
        var (_, _, payment) = await _v4.SubmitAsync(token, consentId, initiation);
        Assert.False(payment.GetProperty("Data").TryGetProperty("StatusReason", out _));
    }

    [Fact]
    public async Task Idempotency_SameKeySameBody_GivesTheSameResources_AnotherBody_IsRefusedAndChangesNothing()
    {
        var initiation = V4PaymentsClient.Initiation();
        var consentKey = Guid.NewGuid().ToString("N");
        var (first, _, created) = await _v4.CreateConsentAsync(initiation, key: consentKey);
        var (again, _, replayed) = await _v4.CreateConsentAsync(initiation, key: consentKey);
        var consentsBefore = await _payments.WithDbAsync(db => db.DomesticPaymentConsents.CountAsync(Ct));
        var (otherConsent, _, otherConsentBody) = await _v4.CreateConsentAsync(V4PaymentsClient.Initiation(amount: "11.00"), key: consentKey);

        Assert.Equal(HttpStatusCode.Created, first);
        Assert.Equal(HttpStatusCode.Created, again);
        var consentId = created.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        Assert.Equal(consentId, replayed.GetProperty("Data").GetProperty("ConsentId").GetString());
        // The consent POST documents no 409 in v4.0: 400 U006 on the header, as in v3.1.11.
        Assert.Equal(HttpStatusCode.BadRequest, otherConsent);
        Assert.Equal("U006", V4PaymentsClient.ErrorCode(otherConsentBody));
        Assert.Equal(consentsBefore, await _payments.WithDbAsync(db => db.DomesticPaymentConsents.CountAsync(Ct)));

        var accountId = (await _payments.AccountAsync("alice")).GetProperty("AccountId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await _payments.AuthoriseAsync(consentId, "alice", accountId));
        var token = PaymentsClient.PaymentToken(consentId: consentId);
        var key = Guid.NewGuid().ToString("N");
        var (made, _, payment) = await _v4.SubmitAsync(token, consentId, initiation, key);
        var balance = await _payments.BalanceAsync(accountId);
        var (repeat, _, repeated) = await _v4.SubmitAsync(token, consentId, initiation, key);
        var (conflict, _, conflictBody) = await _v4.SubmitAsync(token, consentId, initiation, key, risk: "{\"PaymentContextCode\":\"TransferToSelf\"}");

        Assert.Equal(HttpStatusCode.Created, made);
        Assert.Equal(HttpStatusCode.Created, repeat);
        Assert.Equal(PaymentsTests.PaymentId(payment), PaymentsTests.PaymentId(repeated));
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Assert.Equal("U029", V4PaymentsClient.ErrorCode(conflictBody));
        Assert.Equal("x-idempotency-key", conflictBody.GetProperty("Errors")[0].GetProperty("Path").GetString());
        Assert.Equal(1, await _payments.WithDbAsync(db => db.DomesticPayments.CountAsync(p => p.ConsentId == consentId, Ct)));
        Assert.Equal(balance, await _payments.BalanceAsync(accountId));
    }

    [Fact]
    public async Task TwentyIdenticalV4Submissions_AtOnce_MakeOnePayment_AndOneDebit()
    {
        var (consentId, token, initiation, accountId) = await _v4.AuthorisedAsync();
        var balance = await _payments.BalanceAsync(accountId);
        var key = Guid.NewGuid().ToString("N");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => _v4.SubmitAsync(token, consentId, initiation, key), Ct)));

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Created, a.Text));
        Assert.Single(answers.Select(a => PaymentsTests.PaymentId(a.Body)).Distinct());
        Assert.Equal(1, await _payments.WithDbAsync(db => db.DomesticPayments.CountAsync(p => p.ConsentId == consentId, Ct)));
        Assert.Equal(balance - 1_000, await _payments.BalanceAsync(accountId));
        var check = await _payments.CheckLedgerAsync();
        Assert.True(check.Holds, string.Join("\n", check.Problems));
    }

    [Fact]
    public async Task Payment_DifferingFromItsV4Consent_IsU008WithThePath()
    {
        var (consentId, token, initiation, _) = await _v4.AuthorisedAsync();
        var changed = initiation.Replace("\"Unstructured\":[\"Invoice 1\",\"March\"]", "\"Unstructured\":[\"Invoice 1\",\"April\"]", StringComparison.Ordinal);

        var (status, _, body) = await _v4.SubmitAsync(token, consentId, changed);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("U008", V4PaymentsClient.ErrorCode(body));
        Assert.Equal("Data.Initiation.RemittanceInformation.Unstructured[1]", body.GetProperty("Errors")[0].GetProperty("Path").GetString());
    }

    [Fact]
    public async Task V31ConsentAndPayment_AreNotFoundThroughV4_AndTheReverse()
    {
        var (v31Consent, v31Token, v31Initiation, _) = await _payments.AuthorisedAsync();
        var (_, _, v31Payment) = await _payments.SubmitAsync(v31Token, v31Consent, v31Initiation);
        var (v4Consent, v4Token, v4Initiation, _) = await _v4.AuthorisedAsync();
        var (_, _, v4Payment) = await _v4.SubmitAsync(v4Token, v4Consent, v4Initiation);

        foreach (var path in new[]
                 {
                     $"{V4PaymentsClient.Pisp}/domestic-payment-consents/{v31Consent}",
                     $"{V4PaymentsClient.Pisp}/domestic-payments/{PaymentsTests.PaymentId(v31Payment)}",
                     $"{V4PaymentsClient.Pisp}/domestic-payments/{PaymentsTests.PaymentId(v31Payment)}/payment-details",
                 })
        {
            var (status, body) = await _v4.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("U011", V4PaymentsClient.ErrorCode(body));
            Assert.Contains("v3.1.11", body.GetProperty("Errors")[0].GetProperty("Message").GetString(), StringComparison.Ordinal);
        }

        var (fundsStatus, fundsBody) = await _v4.GetAsync($"{V4PaymentsClient.Pisp}/domestic-payment-consents/{v31Consent}/funds-confirmation", v31Token);
        Assert.Equal(HttpStatusCode.BadRequest, fundsStatus);
        Assert.Equal("U011", V4PaymentsClient.ErrorCode(fundsBody));

        foreach (var path in new[]
                 {
                     $"{PaymentsClient.Pisp}/domestic-payment-consents/{v4Consent}",
                     $"{PaymentsClient.Pisp}/domestic-payments/{PaymentsTests.PaymentId(v4Payment)}",
                     $"{PaymentsClient.Pisp}/domestic-payments/{PaymentsTests.PaymentId(v4Payment)}/payment-details",
                 })
        {
            var (status, body) = await _payments.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("UK.OBIE.Resource.NotFound", body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
            Assert.Contains("v4.0", body.GetProperty("Errors")[0].GetProperty("Message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task V31Consent_SubmittedThroughV4_IsU008_AndNothingChanges_ThenItStillPaysThroughV31()
    {
        var (consentId, token, initiation, accountId) = await _payments.AuthorisedAsync();
        var balance = await _payments.BalanceAsync(accountId);
        var key = Guid.NewGuid().ToString("N");

        var (status, _, body) = await _payments.PostAsync(token, $"{V4PaymentsClient.Pisp}/domestic-payments",
            PaymentsClient.PaymentBody(consentId, initiation), key);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Pis.AssertResponse("/domestic-payments", "post", 400, body);
        Assert.Equal("U008", V4PaymentsClient.ErrorCode(body));
        Assert.Contains("v3.1.11", body.GetProperty("Errors")[0].GetProperty("Message").GetString(), StringComparison.Ordinal);
        await AssertNothingChangedAsync(consentId, accountId, balance, key);

        var (paid, text, _) = await _payments.SubmitAsync(token, consentId, initiation, key);
        Assert.True(paid == HttpStatusCode.Created, text);
    }

    [Fact]
    public async Task V4Consent_SubmittedThroughV31_IsConsentMismatch_AndNothingChanges()
    {
        var (consentId, token, initiation, accountId) = await _v4.AuthorisedAsync();
        var balance = await _payments.BalanceAsync(accountId);
        var key = Guid.NewGuid().ToString("N");

        var (status, _, body) = await _payments.PostAsync(token, $"{PaymentsClient.Pisp}/domestic-payments",
            PaymentsClient.PaymentBody(consentId, initiation, V4PaymentsClient.Risk), key);

        // The v4.0 Risk fails v3.1.11's OBRisk1 before the consent is looked at; a v3.1-shaped body reaches the version rule.
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var (mismatch, _, mismatchBody) = await _payments.PostAsync(token, $"{PaymentsClient.Pisp}/domestic-payments",
            PaymentsClient.PaymentBody(consentId, "{}"), key);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch);
        Assert.Equal("UK.OBIE.Resource.ConsentMismatch", mismatchBody.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
        Assert.Contains("v4.0", mismatchBody.GetProperty("Errors")[0].GetProperty("Message").GetString(), StringComparison.Ordinal);
        await AssertNothingChangedAsync(consentId, accountId, balance, key);

        var (paid, text, _) = await _v4.SubmitAsync(token, consentId, initiation, key);
        Assert.True(paid == HttpStatusCode.Created, text);
    }

    private async Task AssertNothingChangedAsync(string consentId, string accountId, long balance, string key)
    {
        Assert.Equal(0, await _payments.WithDbAsync(db => db.DomesticPayments.CountAsync(p => p.ConsentId == consentId, Ct)));
        Assert.Equal(0, await _payments.WithDbAsync(db => db.IdempotencyRecords.CountAsync(r => r.Key == key, Ct)));
        Assert.Equal(PaymentConsentStatus.Authorised,
            await _payments.WithDbAsync(db => db.DomesticPaymentConsents.Where(c => c.Id == consentId).Select(c => c.Status).SingleAsync(Ct)));
        Assert.Equal(balance, await _payments.BalanceAsync(accountId));
        var check = await _payments.CheckLedgerAsync();
        Assert.True(check.Holds, string.Join("\n", check.Problems));
    }
}
