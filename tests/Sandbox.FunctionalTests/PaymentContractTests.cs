using System.Net;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// Real responses of every PIS (domestic) and CBPII endpoint, success and error, validated against the schemas of
/// payment-initiation-openapi.yaml and confirmation-funds-openapi.yaml.
/// </summary>
public sealed class PaymentContractTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private static readonly OpenApiContract Pis = OpenApiContract.Load("obie-v3.1.11/payment-initiation-openapi.yaml");
    private static readonly OpenApiContract Cof = OpenApiContract.Load("obie-v3.1.11/confirmation-funds-openapi.yaml");

    private readonly PaymentsClient _payments = new(factory);

    [Theory]
    [InlineData("Jane Smith", false)]
    [InlineData("Failing Payee Ltd", true)]
    [InlineData("Review Payee Ltd", false)]
    [InlineData("Risky Payee Ltd", true)]
    public async Task EveryPisResponse_FollowsTheSpecification(string payee, bool extras)
    {
        var initiation = PaymentsClient.Initiation(creditorName: payee);
        var extraData = extras
            ? "\"ReadRefundAccount\":\"Yes\",\"Authorisation\":{\"AuthorisationType\":\"Single\"},\"SCASupportData\":{\"AppliedAuthenticationApproach\":\"SCA\"},"
            : null;
        const string risk = "{\"PaymentContextCode\":\"PispPayee\",\"BeneficiaryPrepopulatedIndicator\":true,\"DeliveryAddress\":{\"TownName\":\"Leeds\",\"Country\":\"GB\",\"AddressLine\":[\"1 High St\"]}}";
        var (status, consent) = await _payments.CreateConsentAsync(initiation, risk, extraData: extraData);
        Assert.Equal(HttpStatusCode.Created, status);
        Pis.AssertResponse("/domestic-payment-consents", "post", 201, consent);
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;

        var account = (await _payments.AccountAsync("alice")).GetProperty("AccountId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await _payments.AuthoriseAsync(consentId, "alice", account));
        var token = PaymentsClient.PaymentToken(consentId: consentId);
        var (_, read) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payment-consents/{consentId}");
        Pis.AssertResponse("/domestic-payment-consents/{ConsentId}", "get", 200, read);
        var (_, funds) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payment-consents/{consentId}/funds-confirmation", token);
        Pis.AssertResponse("/domestic-payment-consents/{ConsentId}/funds-confirmation", "get", 200, funds);

        var (submitted, text, payment) = await _payments.SubmitAsync(token, consentId, initiation, risk: risk);
        Assert.True(submitted == HttpStatusCode.Created, text);
        Pis.AssertResponse("/domestic-payments", "post", 201, payment);
        var paymentId = PaymentsTests.PaymentId(payment);
        for (var step = 0; step < 3; step++)
        {
            var (_, current) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/{paymentId}");
            Pis.AssertResponse("/domestic-payments/{DomesticPaymentId}", "get", 200, current);
            var (_, details) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/{paymentId}/payment-details");
            Pis.AssertResponse("/domestic-payments/{DomesticPaymentId}/payment-details", "get", 200, details);
            await _payments.SettleAsync();
        }

        var (_, consumed) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payment-consents/{consentId}");
        Pis.AssertResponse("/domestic-payment-consents/{ConsentId}", "get", 200, consumed);
    }

    [Fact]
    public async Task PisErrors_FollowTheSpecification()
    {
        var (status, error) = await _payments.CreateConsentAsync(PaymentsClient.Initiation(amount: "-1"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Pis.AssertResponse("/domestic-payment-consents", "post", 400, error);
        var (_, _, submitError) = await _payments.SubmitAsync(PaymentsClient.PaymentToken(consentId: "pdc-x"), "pdc-x", PaymentsClient.Initiation());
        Pis.AssertResponse("/domestic-payments", "post", 400, submitError);
        var (_, notFound) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/dp-x");
        Pis.AssertResponse("/domestic-payments/{DomesticPaymentId}", "get", 400, notFound);
    }

    [Fact]
    public async Task EveryCbpiiResponse_FollowsTheSpecification()
    {
        var (consentId, token, _) = await FundsConfirmationTests.AuthorisedAsync(_payments);
        var (_, consent) = await _payments.GetAsync($"{PaymentsClient.Cbpii}/funds-confirmation-consents/{consentId}", FundsConfirmationTests.FundsToken());
        Cof.AssertResponse("/funds-confirmation-consents/{ConsentId}", "get", 200, consent);

        var (created, _, createdBody) = await _payments.PostAsync(FundsConfirmationTests.FundsToken(), $"{PaymentsClient.Cbpii}/funds-confirmation-consents",
            "{\"Data\":{\"DebtorAccount\":{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":\"60837112345678\"}}}");
        Assert.Equal(HttpStatusCode.Created, created);
        Cof.AssertResponse("/funds-confirmation-consents", "post", 201, createdBody);

        var (confirmed, _, confirmation) = await _payments.PostAsync(token, $"{PaymentsClient.Cbpii}/funds-confirmations",
            $"{{\"Data\":{{\"ConsentId\":\"{consentId}\",\"Reference\":\"contract\",\"InstructedAmount\":{{\"Amount\":\"12.00\",\"Currency\":\"GBP\"}}}}}}");
        Assert.Equal(HttpStatusCode.Created, confirmed);
        Cof.AssertResponse("/funds-confirmations", "post", 201, confirmation);

        var (bad, _, error) = await _payments.PostAsync(FundsConfirmationTests.FundsToken(), $"{PaymentsClient.Cbpii}/funds-confirmation-consents", "{\"Data\":{}}");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Cof.AssertResponse("/funds-confirmation-consents", "post", 400, error);
    }
}
