using System.Net;
using System.Text.Json;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// Real responses of every v4.0 PIS (domestic) and CBPII endpoint, success and error, validated against the schemas
/// of specs/obie-v4.0 — and the requests the tests send validated against the v4.0 request schemas, so the bank is
/// shown to accept what the specification allows.
/// </summary>
public sealed class V4PaymentContractTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private static readonly OpenApiContract Pis = OpenApiContract.Load("obie-v4.0/payment-initiation-openapi.yaml");
    private static readonly OpenApiContract Cof = OpenApiContract.Load("obie-v4.0/confirmation-funds-openapi.yaml");

    private readonly V4PaymentsClient _v4 = new(new PaymentsClient(factory));

    [Theory]
    [InlineData("Jane Smith", false, "ACSC")]
    [InlineData("Failing Payee Ltd", true, "RJCT")]
    [InlineData("Review Payee Ltd", false, "PDNG")]
    [InlineData("Risky Payee Ltd", true, "RJCT")]
    [InlineData("Insufficient Funds Ltd", false, "RJCT")]
    public async Task EveryPisResponse_FollowsTheV4Specification(string payee, bool extras, string finalStatus)
    {
        var extraData = extras
            ? "\"ReadRefundAccount\":\"Yes\",\"Authorisation\":{\"AuthorisationType\":\"Single\"},\"SCASupportData\":{\"AppliedAuthenticationApproach\":\"SCA\"},"
            : null;
        const string risk = "{\"PaymentContextCode\":\"EcommerceMerchantInitiatedPayment\",\"BeneficiaryPrepopulatedIndicator\":true,\"ContractPresentIndicator\":false,"
            + "\"CategoryPurposeCode\":\"SUPP\",\"PaymentPurposeCode\":\"GDDS\",\"BeneficiaryAccountType\":\"Business\",\"MerchantCategoryCode\":\"5411\","
            + "\"DeliveryAddress\":{\"TownName\":\"Leeds\",\"Country\":\"GB\",\"AddressLine\":[\"1 High St\"],\"AddressType\":\"DLVY\"}}";
        var initiation = V4PaymentsClient.Initiation(creditorName: payee, extra: extras ? V4PaymentsClient.Extras : null);
        var consentBody = "{\"Data\":{" + extraData + "\"Initiation\":" + initiation + "},\"Risk\":" + risk + "}";
        Assert.Empty(Pis.Validate("OBWriteDomesticConsent4", JsonDocument.Parse(consentBody).RootElement));

        var (status, text, consent) = await _v4.CreateConsentAsync(initiation, risk, extraData: extraData);
        Assert.True(status == HttpStatusCode.Created, text);
        Pis.AssertResponse("/domestic-payment-consents", "post", 201, consent);
        Assert.Equal("AWAU", consent.GetProperty("Data").GetProperty("Status").GetString());
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;

        var account = (await _v4.Payments.AccountAsync("alice")).GetProperty("AccountId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await _v4.Payments.AuthoriseAsync(consentId, "alice", account));
        var token = PaymentsClient.PaymentToken(consentId: consentId);
        var (_, read) = await _v4.GetAsync($"{V4PaymentsClient.Pisp}/domestic-payment-consents/{consentId}");
        Pis.AssertResponse("/domestic-payment-consents/{ConsentId}", "get", 200, read);
        Assert.Equal("AUTH", read.GetProperty("Data").GetProperty("Status").GetString());
        var (_, funds) = await _v4.GetAsync($"{V4PaymentsClient.Pisp}/domestic-payment-consents/{consentId}/funds-confirmation", token);
        Pis.AssertResponse("/domestic-payment-consents/{ConsentId}/funds-confirmation", "get", 200, funds);

        Assert.Empty(Pis.Validate("OBWriteDomestic2", JsonDocument.Parse(PaymentsClient.PaymentBody(consentId, initiation, risk)).RootElement));
        var (submitted, submitText, payment) = await _v4.SubmitAsync(token, consentId, initiation, risk: risk);
        Assert.True(submitted == HttpStatusCode.Created, submitText);
        Pis.AssertResponse("/domestic-payments", "post", 201, payment);
        var paymentId = PaymentsTests.PaymentId(payment);
        JsonElement current = default;
        for (var step = 0; step < 3; step++)
        {
            (_, current) = await _v4.GetAsync($"{V4PaymentsClient.Pisp}/domestic-payments/{paymentId}");
            Pis.AssertResponse("/domestic-payments/{DomesticPaymentId}", "get", 200, current);
            var (_, details) = await _v4.GetAsync($"{V4PaymentsClient.Pisp}/domestic-payments/{paymentId}/payment-details");
            Pis.AssertResponse("/domestic-payments/{DomesticPaymentId}/payment-details", "get", 200, details);
            await _v4.Payments.SettleAsync();
        }

        (_, current) = await _v4.GetAsync($"{V4PaymentsClient.Pisp}/domestic-payments/{paymentId}");
        Assert.Equal(finalStatus, current.GetProperty("Data").GetProperty("Status").GetString());
        var (_, consumed) = await _v4.GetAsync($"{V4PaymentsClient.Pisp}/domestic-payment-consents/{consentId}");
        Pis.AssertResponse("/domestic-payment-consents/{ConsentId}", "get", 200, consumed);
        Assert.Equal("COND", consumed.GetProperty("Data").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task PisErrors_FollowTheV4Specification()
    {
        var (status, _, error) = await _v4.CreateConsentAsync(V4PaymentsClient.Initiation(amount: "-1"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Pis.AssertResponse("/domestic-payment-consents", "post", 400, error);
        Assert.Equal("U002", V4PaymentsClient.ErrorCode(error));

        var (_, _, submitError) = await _v4.SubmitAsync(PaymentsClient.PaymentToken(consentId: "pdc-x"), "pdc-x", V4PaymentsClient.Initiation());
        Pis.AssertResponse("/domestic-payments", "post", 400, submitError);
        Assert.Equal("U011", V4PaymentsClient.ErrorCode(submitError));

        var (_, notFound) = await _v4.GetAsync($"{V4PaymentsClient.Pisp}/domestic-payments/dp-x");
        Pis.AssertResponse("/domestic-payments/{DomesticPaymentId}", "get", 400, notFound);
        var (_, detailsNotFound) = await _v4.GetAsync($"{V4PaymentsClient.Pisp}/domestic-payments/dp-x/payment-details");
        Pis.AssertResponse("/domestic-payments/{DomesticPaymentId}/payment-details", "get", 400, detailsNotFound);
        var (_, consentNotFound) = await _v4.GetAsync($"{V4PaymentsClient.Pisp}/domestic-payment-consents/pdc-x");
        Pis.AssertResponse("/domestic-payment-consents/{ConsentId}", "get", 400, consentNotFound);

        // The same key with another payment body: the 409 v4.0 documents on POST /domestic-payments.
        var (consentId, token, initiation, _) = await _v4.AuthorisedAsync();
        var key = Guid.NewGuid().ToString("N");
        await _v4.SubmitAsync(token, consentId, initiation, key);
        var (conflict, _, conflictBody) = await _v4.SubmitAsync(token, consentId, initiation,
            key, risk: "{\"PaymentContextCode\":\"TransferToSelf\"}");
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Pis.AssertResponse("/domestic-payments", "post", 409, conflictBody);
    }

    [Fact]
    public async Task EveryCbpiiResponse_FollowsTheV4Specification()
    {
        var (consentId, token, _) = await V4FundsConfirmationTests.AuthorisedAsync(_v4.Payments, V4PaymentsClient.Cbpii);
        var (_, consent) = await _v4.GetAsync($"{V4PaymentsClient.Cbpii}/funds-confirmation-consents/{consentId}", FundsConfirmationTests.FundsToken());
        Cof.AssertResponse("/funds-confirmation-consents/{ConsentId}", "get", 200, consent);
        Assert.Equal("AUTH", consent.GetProperty("Data").GetProperty("Status").GetString());

        var (created, _, createdBody) = await _v4.Payments.PostAsync(FundsConfirmationTests.FundsToken(), $"{V4PaymentsClient.Cbpii}/funds-confirmation-consents",
            "{\"Data\":{\"DebtorAccount\":{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":\"60837112345678\"}}}");
        Assert.Equal(HttpStatusCode.Created, created);
        Cof.AssertResponse("/funds-confirmation-consents", "post", 201, createdBody);
        Assert.Equal("AWAU", createdBody.GetProperty("Data").GetProperty("Status").GetString());

        var (confirmed, _, confirmation) = await _v4.Payments.PostAsync(token, $"{V4PaymentsClient.Cbpii}/funds-confirmations",
            V4FundsConfirmationTests.Confirmation(consentId, "12.00", "contract"));
        Assert.Equal(HttpStatusCode.Created, confirmed);
        Cof.AssertResponse("/funds-confirmations", "post", 201, confirmation);

        var (bad, _, error) = await _v4.Payments.PostAsync(FundsConfirmationTests.FundsToken(), $"{V4PaymentsClient.Cbpii}/funds-confirmation-consents", "{\"Data\":{}}");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Cof.AssertResponse("/funds-confirmation-consents", "post", 400, error);
        Assert.Equal("U004", V4PaymentsClient.ErrorCode(error));

        var (_, notFound) = await _v4.GetAsync($"{V4PaymentsClient.Cbpii}/funds-confirmation-consents/fcc-x", FundsConfirmationTests.FundsToken());
        Cof.AssertResponse("/funds-confirmation-consents/{ConsentId}", "get", 400, notFound);
    }
}
