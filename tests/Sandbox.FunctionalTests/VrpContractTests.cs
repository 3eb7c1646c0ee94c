using System.Net;
using System.Text.Json;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// Every domestic VRP operation of v3.1.11 and v4.0, success and error, against its version's vrp-openapi.yaml —
/// and the requests sent validated against the request schemas.
/// </summary>
public sealed class VrpContractTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    [Theory]
    [InlineData("v3.1", "obie-v3.1.11/vrp-openapi.yaml", "AwaitingAuthorisation", "Authorised", "AcceptedSettlementCompleted")]
    [InlineData("v4.0", "obie-v4.0/vrp-openapi.yaml", "AWAU", "AUTH", "ACSC")]
    public async Task EveryVrpOperation_FollowsItsVersionsSpecification(string version, string yaml, string awaiting, string authorised, string settled)
    {
        var spec = OpenApiContract.Load(yaml);
        var vrp = new VrpClient(factory, version);
        var controls = VrpClient.Controls(extra: "\"ValidFromDateTime\":\"2020-01-01T00:00:00+00:00\",\"ValidToDateTime\":\"2099-01-01T00:00:00+00:00\",\"PSUInteractionTypes\":[\"OffSession\",\"InSession\"],");
        var initiation = vrp.Initiation(VrpClient.Account("20000012345678"));
        Assert.Empty(spec.Validate("OBDomesticVRPConsentRequest", JsonDocument.Parse(vrp.ConsentBody(controls, initiation)).RootElement));

        var (status, text, created) = await vrp.CreateConsentAsync(controls, initiation);
        Assert.True(status == HttpStatusCode.Created, text);
        spec.AssertResponse("/domestic-vrp-consents", "post", 201, created);
        Assert.Equal(awaiting, created.GetProperty("Data").GetProperty("Status").GetString());
        var consentId = created.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        Assert.StartsWith("vrc-", consentId, StringComparison.Ordinal);

        var account = (await vrp.Payments.AccountAsync("alice")).GetProperty("AccountId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await vrp.Payments.AuthoriseAsync(consentId, "alice", account));
        var (_, read) = await vrp.GetAsync($"/domestic-vrp-consents/{consentId}");
        spec.AssertResponse("/domestic-vrp-consents/{ConsentId}", "get", 200, read);
        Assert.Equal(authorised, read.GetProperty("Data").GetProperty("Status").GetString());
        Assert.True(read.GetProperty("Data").TryGetProperty("DebtorAccount", out _));

        var token = PaymentsClient.PaymentToken(consentId: consentId);
        var (fundsStatus, fundsText, funds) = await vrp.FundsAsync(token, consentId, "20.00");
        Assert.True(fundsStatus == (vrp.V4 ? HttpStatusCode.Created : HttpStatusCode.OK), fundsText);
        spec.AssertResponse("/domestic-vrp-consents/{ConsentId}/funds-confirmation", "post", (int)fundsStatus, funds);
        Assert.Equal("Available", funds.GetProperty("Data").GetProperty("FundsAvailableResult").GetProperty("FundsAvailable").GetString());

        var paymentBody = vrp.PaymentBody(consentId, initiation, "20.00", extra: "\"PSUInteractionType\":\"OffSession\",");
        Assert.Empty(spec.Validate("OBDomesticVRPRequest", JsonDocument.Parse(paymentBody).RootElement));
        var (paid, paidText, payment) = await vrp.Payments.PostAsync(token, $"{vrp.Pisp}/domestic-vrps", paymentBody, Guid.NewGuid().ToString("N"));
        Assert.True(paid == HttpStatusCode.Created, paidText);
        spec.AssertResponse("/domestic-vrps", "post", 201, payment);
        var paymentId = VrpClient.PaymentId(payment);
        Assert.StartsWith("vrp-", paymentId, StringComparison.Ordinal);
        for (var step = 0; step < 3; step++)
        {
            var (_, current) = await vrp.GetAsync($"/domestic-vrps/{paymentId}");
            spec.AssertResponse("/domestic-vrps/{DomesticVRPId}", "get", 200, current);
            var (_, details) = await vrp.GetAsync($"/domestic-vrps/{paymentId}/payment-details");
            spec.AssertResponse("/domestic-vrps/{DomesticVRPId}/payment-details", "get", 200, details);
            await vrp.Payments.SettleAsync();
        }

        var (_, final) = await vrp.GetAsync($"/domestic-vrps/{paymentId}");
        Assert.Equal(settled, final.GetProperty("Data").GetProperty("Status").GetString());

        // Errors: a limit broken, an unknown consent and payment, a consent of the other version.
        var (over, _, overBody) = await vrp.PayAsync(token, consentId, initiation, "100.01");
        Assert.Equal(HttpStatusCode.BadRequest, over);
        spec.AssertResponse("/domestic-vrps", "post", 400, overBody);
        Assert.Equal(vrp.Code("UK.OBIE.Rules.FailsControlParameters", "U014"), vrp.ErrorCode(overBody));
        var (_, missing) = await vrp.GetAsync("/domestic-vrp-consents/vrc-nope");
        spec.AssertResponse("/domestic-vrp-consents/{ConsentId}", "get", 400, missing);
        var (_, missingPayment) = await vrp.GetAsync("/domestic-vrps/vrp-nope");
        spec.AssertResponse("/domestic-vrps/{DomesticVRPId}", "get", 400, missingPayment);
        var (_, missingDetails) = await vrp.GetAsync("/domestic-vrps/vrp-nope/payment-details");
        spec.AssertResponse("/domestic-vrps/{DomesticVRPId}/payment-details", "get", 400, missingDetails);
        var (badFunds, _, badFundsBody) = await vrp.FundsAsync(token, "vrc-nope", "1.00");
        Assert.Equal(HttpStatusCode.Forbidden, badFunds);
        var (invalid, _, invalidBody) = await vrp.CreateConsentAsync(VrpClient.Controls(limits: "[]"), initiation);
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        spec.AssertResponse("/domestic-vrp-consents", "post", 400, invalidBody);
        _ = badFundsBody;

        if (vrp.V4)
        {
            // PUT/PATCH (for migrating a consent between versions) are refused: consents stay in their version.
            using var client = vrp.Payments.Sandbox.Client(PaymentsClient.PaymentToken());
            using var put = new HttpRequestMessage(HttpMethod.Put, $"{vrp.Pisp}/domestic-vrp-consents/{consentId}")
            {
                Content = PaymentsClient.Json(vrp.ConsentBody(controls, initiation)),
            };
            put.Headers.TryAddWithoutValidation("x-idempotency-key", Guid.NewGuid().ToString("N"));
            using var refused = await client.SendAsync(put, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var refusal = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
            spec.AssertResponse("/domestic-vrp-consents/{ConsentId}", "put", 400, refusal);
            Assert.Equal("U002", vrp.ErrorCode(refusal));
        }

        // DELETE: 204, and the consent is gone for the app.
        Assert.Equal(HttpStatusCode.NoContent, await vrp.DeleteAsync(consentId));
        var (_, deleted) = await vrp.GetAsync($"/domestic-vrp-consents/{consentId}");
        spec.AssertResponse("/domestic-vrp-consents/{ConsentId}", "get", 400, deleted);
        var (afterDelete, _, afterDeleteBody) = await vrp.PayAsync(token, consentId, initiation, "1.00");
        Assert.Equal(HttpStatusCode.BadRequest, afterDelete);
        spec.AssertResponse("/domestic-vrps", "post", 400, afterDeleteBody);
    }
}
