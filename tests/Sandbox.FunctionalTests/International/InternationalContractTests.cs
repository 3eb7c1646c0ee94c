using System.Net;
using System.Text.Json;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests.International;

/// <summary>
/// Every international payment operation of v3.1.11 and v4.0, success and error, against its version's
/// payment-initiation-openapi.yaml — and the requests sent validated against the request schemas.
/// </summary>
public sealed class InternationalContractTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    [Theory]
    [InlineData("v3.1", "obie-v3.1.11/payment-initiation-openapi.yaml", "AwaitingAuthorisation", "Authorised", "Consumed", "AcceptedSettlementCompleted")]
    [InlineData("v4.0", "obie-v4.0/payment-initiation-openapi.yaml", "AWAU", "AUTH", "COND", "ACSC")]
    public async Task EveryInternationalOperation_FollowsItsVersionsSpecification(
        string version, string yaml, string awaiting, string authorised, string consumed, string settled)
    {
        var spec = OpenApiContract.Load(yaml);
        var ip = new InternationalClient(factory, version);
        var org = InternationalClient.NewOrganisation();
        var initiation = ip.Initiation(eri: InternationalClient.Eri("Actual"));
        Assert.Empty(spec.Validate("OBWriteInternationalConsent5", JsonDocument.Parse(ip.ConsentBody(initiation, "\"ReadRefundAccount\":\"Yes\",")).RootElement));

        var (status, text, created) = await ip.CreateConsentAsync(initiation, org, extraData: "\"ReadRefundAccount\":\"Yes\",");
        Assert.True(status == HttpStatusCode.Created, text);
        spec.AssertResponse("/international-payment-consents", "post", 201, created);
        var data = created.GetProperty("Data");
        Assert.Equal(awaiting, data.GetProperty("Status").GetString());
        Assert.Equal("Actual", data.GetProperty("ExchangeRateInformation").GetProperty("RateType").GetString());
        Assert.Equal(JsonValueKind.Number, data.GetProperty("ExchangeRateInformation").GetProperty("ExchangeRate").ValueKind);
        Assert.Equal(data.GetProperty("CutOffDateTime").GetString(), data.GetProperty("ExchangeRateInformation").GetProperty("ExpirationDateTime").GetString());
        var consentId = data.GetProperty("ConsentId").GetString()!;
        Assert.StartsWith("ipc-", consentId, StringComparison.Ordinal);

        var account = (await ip.Payments.AccountAsync("alice", organisationId: org)).GetProperty("AccountId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await ip.Payments.AuthoriseAsync(consentId, "alice", account, org));
        var (_, read) = await ip.GetAsync($"/international-payment-consents/{consentId}", org);
        spec.AssertResponse("/international-payment-consents/{ConsentId}", "get", 200, read);
        Assert.Equal(authorised, read.GetProperty("Data").GetProperty("Status").GetString());
        Assert.True(read.GetProperty("Data").TryGetProperty("Debtor", out _));

        var token = PaymentsClient.PaymentToken(organisationId: org, consentId: consentId);
        var (fundsStatus, funds) = await ip.Payments.GetAsync($"{ip.Pisp}/international-payment-consents/{consentId}/funds-confirmation", token);
        Assert.Equal(HttpStatusCode.OK, fundsStatus);
        spec.AssertResponse("/international-payment-consents/{ConsentId}/funds-confirmation", "get", 200, funds);
        Assert.True(funds.GetProperty("Data").GetProperty("FundsAvailableResult").GetProperty("FundsAvailable").GetBoolean());

        var paymentBody = ip.PaymentBody(consentId, initiation);
        Assert.Empty(spec.Validate("OBWriteInternational3", JsonDocument.Parse(paymentBody).RootElement));
        var (paid, paidText, payment) = await ip.Payments.PostAsync(token, $"{ip.Pisp}/international-payments", paymentBody, Guid.NewGuid().ToString("N"));
        Assert.True(paid == HttpStatusCode.Created, paidText);
        spec.AssertResponse("/international-payments", "post", 201, payment);
        var paymentId = InternationalClient.PaymentId(payment);
        Assert.StartsWith("ip-", paymentId, StringComparison.Ordinal);
        Assert.True(payment.GetProperty("Data").TryGetProperty("Refund", out _));
        for (var step = 0; step < 3; step++)
        {
            var (_, current) = await ip.GetAsync($"/international-payments/{paymentId}", org);
            spec.AssertResponse("/international-payments/{InternationalPaymentId}", "get", 200, current);
            var (_, details) = await ip.GetAsync($"/international-payments/{paymentId}/payment-details", org);
            spec.AssertResponse("/international-payments/{InternationalPaymentId}/payment-details", "get", 200, details);
            await ip.Payments.SettleAsync();
        }

        var (_, final) = await ip.GetAsync($"/international-payments/{paymentId}", org);
        Assert.Equal(settled, final.GetProperty("Data").GetProperty("Status").GetString());
        var (_, used) = await ip.GetAsync($"/international-payment-consents/{consentId}", org);
        spec.AssertResponse("/international-payment-consents/{ConsentId}", "get", 200, used);
        Assert.Equal(consumed, used.GetProperty("Data").GetProperty("Status").GetString());

        // Errors: the consent used up, unknown ids, a request with every kind of problem, funds on a consumed consent.
        var (again, _, againBody) = await ip.Payments.PostAsync(token, $"{ip.Pisp}/international-payments", paymentBody, Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.BadRequest, again);
        spec.AssertResponse("/international-payments", "post", 400, againBody);
        Assert.Equal(ip.Code("UK.OBIE.Resource.InvalidConsentStatus", "U009"), InternationalClient.Errors(againBody).First().Code);
        var (_, missing) = await ip.GetAsync("/international-payment-consents/ipc-nope", org);
        spec.AssertResponse("/international-payment-consents/{ConsentId}", "get", 400, missing);
        Assert.Equal(ip.Code("UK.OBIE.Resource.NotFound", "U011"), InternationalClient.Errors(missing).First().Code);
        var (_, missingPayment) = await ip.GetAsync("/international-payments/ip-nope", org);
        spec.AssertResponse("/international-payments/{InternationalPaymentId}", "get", 400, missingPayment);
        var (_, missingDetails) = await ip.GetAsync("/international-payments/ip-nope/payment-details", org);
        spec.AssertResponse("/international-payments/{InternationalPaymentId}/payment-details", "get", 400, missingDetails);
        var (_, consumedFunds) = await ip.Payments.GetAsync($"{ip.Pisp}/international-payment-consents/{consentId}/funds-confirmation", token);
        spec.AssertResponse("/international-payment-consents/{ConsentId}/funds-confirmation", "get", 400, consumedFunds);
        Assert.Equal(ip.Code("UK.OBIE.Resource.InvalidConsentStatus", "U009"), InternationalClient.Errors(consumedFunds).First().Code);

        var bad = ip.Initiation(amount: "10.001", currency: "EUR", eri: InternationalClient.Eri("Agreed"), instrument: "UK.OBIE.FPS");
        var (invalid, _, invalidBody) = await ip.CreateConsentAsync(bad, org);
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        spec.AssertResponse("/international-payment-consents", "post", 400, invalidBody);
        var errors = InternationalClient.Errors(invalidBody).ToList();
        Assert.Contains((ip.Code("UK.OBIE.Field.Invalid", "U002"), "Data.Initiation.InstructedAmount.Amount"), errors);
        Assert.Contains((ip.Code("UK.OBIE.Field.Expected", "U001"), "Data.Initiation.ExchangeRateInformation.ExchangeRate"), errors);
        Assert.Contains((ip.Code("UK.OBIE.Field.Expected", "U001"), "Data.Initiation.ExchangeRateInformation.ContractIdentification"), errors);
        Assert.Contains((ip.Code("UK.OBIE.Unsupported.LocalInstrument", "U026"), "Data.Initiation.LocalInstrument"), errors);

        // A consent of the other version is not found here, and its payment does not match.
        var other = new InternationalClient(factory, ip.V4 ? "v3.1" : "v4.0");
        var (_, foreign) = await other.GetAsync($"/international-payment-consents/{consentId}", org);
        Assert.Equal(other.Code("UK.OBIE.Resource.NotFound", "U011"), InternationalClient.Errors(foreign).First().Code);
    }

    [Fact]
    public async Task AV4ConsentWithPurpose_IsRefused_AsItsSchemaHasNone()
    {
        var ip = new InternationalClient(factory, "v4.0");
        var initiation = ip.Initiation()[..^1] + ",\"Purpose\":\"CASH\"}";
        var (status, _, body) = await ip.CreateConsentAsync(initiation, InternationalClient.NewOrganisation());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(("U005", "Data.Initiation.Purpose"), InternationalClient.Errors(body));
    }
}
