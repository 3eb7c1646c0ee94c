using System.Net;
using System.Text.Json;
using OpenBanking.Sandbox.Domain;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// Real responses of every domestic scheduled payment operation — success at each stage of the payment's life
/// (pending, executed, failed, cancelled) and errors — validated against the schemas of both versions' YAML, and the
/// requests the tests send validated against the request schemas.
/// </summary>
public sealed class ScheduledPaymentContractTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private static readonly OpenApiContract V3 = OpenApiContract.Load("obie-v3.1.11/payment-initiation-openapi.yaml");
    private static readonly OpenApiContract V4 = OpenApiContract.Load("obie-v4.0/payment-initiation-openapi.yaml");

    private readonly ScheduledPaymentsClient _scheduled = new(factory);

    public static TheoryData<ApiVersion, string, string, string> Lives => new()
    {
        { ApiVersion.V3_1_11, "executed", "InitiationCompleted", "Consumed" },
        { ApiVersion.V3_1_11, "insufficient", "InitiationFailed", "Consumed" },
        { ApiVersion.V3_1_11, "cancelled", "Cancelled", "Consumed" },
        { ApiVersion.V4_0, "executed", "ACSP", "COND" },
        { ApiVersion.V4_0, "insufficient", "RJCT", "COND" },
        { ApiVersion.V4_0, "cancelled", "RJCT", "COND" },
    };

    [Theory]
    [MemberData(nameof(Lives))]
    public async Task EveryScheduledResponse_FollowsTheSpecification(ApiVersion version, string life, string finalStatus, string consentStatus)
    {
        var pis = version == ApiVersion.V4_0 ? V4 : V3;
        var pisp = ScheduledPaymentsClient.Pisp(version);
        var organisation = ScheduledPaymentsClient.NewOrganisation();
        var client = PaymentsClient.PaymentToken(organisationId: organisation);
        var when = await _scheduled.NowAsync(organisation) + TimeSpan.FromDays(2);
        var initiation = ScheduledPaymentsClient.Initiation(version, when, amount: life == "insufficient" ? "9999999.00" : "25.00");
        var body = ScheduledPaymentsClient.ConsentBody(version, initiation,
            "\"ReadRefundAccount\":\"Yes\",\"Authorisation\":{\"AuthorisationType\":\"Single\"},\"SCASupportData\":{\"AppliedAuthenticationApproach\":\"SCA\"},");
        Assert.Empty(pis.Validate("OBWriteDomesticScheduledConsent4", JsonDocument.Parse(body).RootElement));

        var (status, text, consent) = await _scheduled.CreateConsentAsync(version, organisation, body);
        Assert.True(status == HttpStatusCode.Created, text);
        pis.AssertResponse("/domestic-scheduled-payment-consents", "post", 201, consent);
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        Assert.StartsWith("sdc-", consentId);
        Assert.Equal("Create", consent.GetProperty("Data").GetProperty("Permission").GetString());

        var accountId = (await _scheduled.Payments.AccountAsync("alice", organisationId: organisation)).GetProperty("AccountId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await _scheduled.Payments.AuthoriseAsync(consentId, "alice", accountId, organisation));
        var (_, read) = await _scheduled.Payments.GetAsync($"{pisp}/domestic-scheduled-payment-consents/{consentId}", client);
        pis.AssertResponse("/domestic-scheduled-payment-consents/{ConsentId}", "get", 200, read);

        var paymentBody = PaymentsClient.PaymentBody(consentId, initiation, ScheduledPaymentsClient.Risk(version));
        Assert.Empty(pis.Validate("OBWriteDomesticScheduled2", JsonDocument.Parse(paymentBody).RootElement));
        var token = PaymentsClient.PaymentToken(organisationId: organisation, consentId: consentId);
        var (submitted, submitText, payment) = await _scheduled.Payments.PostAsync(token, $"{pisp}/domestic-scheduled-payments", paymentBody, Guid.NewGuid().ToString("N"));
        Assert.True(submitted == HttpStatusCode.Created, submitText);
        pis.AssertResponse("/domestic-scheduled-payments", "post", 201, payment);
        var paymentId = payment.GetProperty("Data").GetProperty("DomesticScheduledPaymentId").GetString()!;
        Assert.Equal(version == ApiVersion.V4_0 ? "RCVD" : "InitiationPending", payment.GetProperty("Data").GetProperty("Status").GetString());
        await AssertReadsAsync(pis, pisp, paymentId, client);

        if (life == "cancelled")
        {
            Assert.Equal(HttpStatusCode.OK, await _scheduled.RevokeAsync(organisation, consentId));
        }

        await _scheduled.SetClockAsync(organisation, when);
        await _scheduled.Payments.SettleAsync();
        var final = await AssertReadsAsync(pis, pisp, paymentId, client);
        Assert.Equal(finalStatus, final.GetProperty("Data").GetProperty("Status").GetString());
        var (_, consumed) = await _scheduled.Payments.GetAsync($"{pisp}/domestic-scheduled-payment-consents/{consentId}", client);
        pis.AssertResponse("/domestic-scheduled-payment-consents/{ConsentId}", "get", 200, consumed);
        Assert.Equal(consentStatus, consumed.GetProperty("Data").GetProperty("Status").GetString());
    }

    [Theory]
    [InlineData(ApiVersion.V3_1_11)]
    [InlineData(ApiVersion.V4_0)]
    public async Task ScheduledErrors_FollowTheSpecification(ApiVersion version)
    {
        var pis = version == ApiVersion.V4_0 ? V4 : V3;
        var pisp = ScheduledPaymentsClient.Pisp(version);
        var organisation = ScheduledPaymentsClient.NewOrganisation();
        var client = PaymentsClient.PaymentToken(organisationId: organisation);

        var past = ScheduledPaymentsClient.Initiation(version, await _scheduled.NowAsync(organisation) - TimeSpan.FromMinutes(1));
        var (status, _, error) = await _scheduled.CreateConsentAsync(version, organisation, ScheduledPaymentsClient.ConsentBody(version, past));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        pis.AssertResponse("/domestic-scheduled-payment-consents", "post", 400, error);

        (status, error) = await _scheduled.Payments.GetAsync($"{pisp}/domestic-scheduled-payment-consents/sdc-unknown", client);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        pis.AssertResponse("/domestic-scheduled-payment-consents/{ConsentId}", "get", 400, error);

        var consent = await _scheduled.AuthorisedAsync(version, organisation);
        (status, _, error) = await _scheduled.SubmitAsync(consent, initiation: ScheduledPaymentsClient.Initiation(version, consent.When, amount: "26.00"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        pis.AssertResponse("/domestic-scheduled-payments", "post", 400, error);

        (status, error) = await _scheduled.Payments.GetAsync($"{pisp}/domestic-scheduled-payments/sdp-unknown", client);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        pis.AssertResponse("/domestic-scheduled-payments/{DomesticScheduledPaymentId}", "get", 400, error);
        (status, error) = await _scheduled.Payments.GetAsync($"{pisp}/domestic-scheduled-payments/sdp-unknown/payment-details", client);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        pis.AssertResponse("/domestic-scheduled-payments/{DomesticScheduledPaymentId}/payment-details", "get", 400, error);
    }

    private async Task<JsonElement> AssertReadsAsync(OpenApiContract pis, string pisp, string paymentId, string token)
    {
        var (status, current) = await _scheduled.Payments.GetAsync($"{pisp}/domestic-scheduled-payments/{paymentId}", token);
        Assert.Equal(HttpStatusCode.OK, status);
        pis.AssertResponse("/domestic-scheduled-payments/{DomesticScheduledPaymentId}", "get", 200, current);
        var (detailsStatus, details) = await _scheduled.Payments.GetAsync($"{pisp}/domestic-scheduled-payments/{paymentId}/payment-details", token);
        Assert.Equal(HttpStatusCode.OK, detailsStatus);
        pis.AssertResponse("/domestic-scheduled-payments/{DomesticScheduledPaymentId}/payment-details", "get", 200, details);
        return current;
    }
}
