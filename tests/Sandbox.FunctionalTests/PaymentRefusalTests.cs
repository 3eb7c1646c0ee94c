using System.Net;
using Microsoft.EntityFrameworkCore;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>Refusals of the PIS API: the specification's status and UK.OBIE code, and nothing changed.</summary>
public sealed class PaymentRefusalTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private readonly PaymentsClient _payments = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> BadInitiations() => new()
    {
        { PaymentsClient.Initiation(amount: "-1.00"), "UK.OBIE.Field.Invalid", "Data.Initiation.InstructedAmount.Amount" },
        { PaymentsClient.Initiation(amount: "0.00"), "UK.OBIE.Field.Invalid", "Data.Initiation.InstructedAmount.Amount" },
        { PaymentsClient.Initiation(amount: "1.001"), "UK.OBIE.Field.Invalid", "Data.Initiation.InstructedAmount.Amount" },
        { PaymentsClient.Initiation(amount: "1,00"), "UK.OBIE.Field.Invalid", "Data.Initiation.InstructedAmount.Amount" },
        { PaymentsClient.Initiation().Replace("\"Amount\":\"10.00\"", "\"Amount\":10.00", StringComparison.Ordinal), "UK.OBIE.Field.Invalid", "Data.Initiation.InstructedAmount.Amount" },
        { PaymentsClient.Initiation(currency: "gbp"), "UK.OBIE.Field.Invalid", "Data.Initiation.InstructedAmount.Currency" },
        { PaymentsClient.Initiation(currency: "JPY"), "UK.OBIE.Unsupported.Currency", "Data.Initiation.InstructedAmount.Currency" },
        { PaymentsClient.Initiation(creditorIdentification: "2000001234567"), "UK.OBIE.Field.Invalid", "Data.Initiation.CreditorAccount.Identification" },
        { PaymentsClient.Initiation(creditorIdentification: "GB00SBNK60837100000001", scheme: "UK.OBIE.IBAN"), "UK.OBIE.Field.Invalid", "Data.Initiation.CreditorAccount.Identification" },
        { PaymentsClient.Initiation(creditorIdentification: "5412000011112222", scheme: "UK.OBIE.PAN"), "UK.OBIE.Unsupported.Scheme", "Data.Initiation.CreditorAccount.SchemeName" },
        { PaymentsClient.Initiation().Replace(",\"Name\":\"Jane Smith\"", string.Empty, StringComparison.Ordinal), "UK.OBIE.Field.Missing", "Data.Initiation.CreditorAccount.Name" },
        { PaymentsClient.Initiation().Replace("UK.OBIE.FPS", "UK.OBIE.Link", StringComparison.Ordinal), "UK.OBIE.Unsupported.LocalInstrument", "Data.Initiation.LocalInstrument" },
        { PaymentsClient.Initiation(debtor: "\"DebtorAccount\":{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":\"12\"}"), "UK.OBIE.Field.Invalid", "Data.Initiation.DebtorAccount.Identification" },
    };

    [Theory]
    [MemberData(nameof(BadInitiations))]
    public async Task Consent_WithABadInitiation_Is400WithTheFieldNamed(string initiation, string code, string path)
    {
        var countBefore = await _payments.WithDbAsync(db => db.DomesticPaymentConsents.CountAsync(Ct));

        var (status, body) = await _payments.CreateConsentAsync(initiation);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(body.GetProperty("Errors").EnumerateArray(), e => e.GetProperty("ErrorCode").GetString() == code && e.GetProperty("Path").GetString() == path);
        Assert.Equal(countBefore, await _payments.WithDbAsync(db => db.DomesticPaymentConsents.CountAsync(Ct)));
    }

    [Fact]
    public async Task Consent_WithAnUnknownRiskField_Is400()
    {
        var (status, body) = await _payments.CreateConsentAsync(PaymentsClient.Initiation(), risk: "{\"BeneficiaryPaymentDetailsPrepopulatedIndicator\":true}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("UK.OBIE.Field.Unexpected", body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
    }

    [Fact]
    public async Task Payment_OfAConsentNotYetAuthorised_IsInvalidConsentStatus()
    {
        var initiation = PaymentsClient.Initiation();
        var (_, created) = await _payments.CreateConsentAsync(initiation);
        var consentId = created.GetProperty("Data").GetProperty("ConsentId").GetString()!;

        var (status, _, body) = await _payments.SubmitAsync(PaymentsClient.PaymentToken(consentId: consentId), consentId, initiation);

        AssertError(status, body, HttpStatusCode.BadRequest, "UK.OBIE.Resource.InvalidConsentStatus");
        Assert.Equal(0, await _payments.WithDbAsync(db => db.DomesticPayments.CountAsync(p => p.ConsentId == consentId, Ct)));
    }

    [Fact]
    public async Task SecondPayment_OfAConsumedConsent_IsInvalidConsentStatus_AndMovesNoMoney()
    {
        var (consentId, token, initiation, accountId) = await _payments.AuthorisedAsync(amount: "1.50");
        await _payments.SubmitAsync(token, consentId, initiation);
        var balance = await _payments.BalanceAsync(accountId);

        var (status, _, body) = await _payments.SubmitAsync(token, consentId, initiation);

        AssertError(status, body, HttpStatusCode.BadRequest, "UK.OBIE.Resource.InvalidConsentStatus");
        Assert.Equal(balance, await _payments.BalanceAsync(accountId));
    }

    [Fact]
    public async Task Payment_OfARejectedConsent_IsInvalidConsentStatus()
    {
        var initiation = PaymentsClient.Initiation();
        var (_, created) = await _payments.CreateConsentAsync(initiation);
        var consentId = created.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        using (var client = _payments.Sandbox.Client(SandboxFactory.InternalToken()))
        using (var rejected = await client.PostAsync($"/internal/consents/{consentId}/reject", PaymentsClient.Json("{}"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        }

        var (status, _, body) = await _payments.SubmitAsync(PaymentsClient.PaymentToken(consentId: consentId), consentId, initiation);
        AssertError(status, body, HttpStatusCode.BadRequest, "UK.OBIE.Resource.InvalidConsentStatus");
    }

    [Theory]
    [InlineData("\"Amount\":\"10.00\"", "\"Amount\":\"10.01\"", "Data.Initiation.InstructedAmount.Amount")]
    [InlineData("\"Amount\":\"10.00\"", "\"Amount\":\"10.0\"", "Data.Initiation.InstructedAmount.Amount")]
    [InlineData("\"Name\":\"Jane Smith\"", "\"Name\":\"John Smith\"", "Data.Initiation.CreditorAccount.Name")]
    [InlineData("\"Reference\":\"INV-0001\"", "\"Reference\":\"INV-0002\"", "Data.Initiation.RemittanceInformation.Reference")]
    public async Task Payment_DifferingFromTheConsent_IsConsentMismatch_WithThePath(string from, string to, string path)
    {
        var (consentId, token, initiation, accountId) = await _payments.AuthorisedAsync();
        var balance = await _payments.BalanceAsync(accountId);

        var (status, _, body) = await _payments.SubmitAsync(token, consentId, initiation.Replace(from, to, StringComparison.Ordinal));

        AssertError(status, body, HttpStatusCode.BadRequest, "UK.OBIE.Resource.ConsentMismatch");
        Assert.Equal(path, body.GetProperty("Errors")[0].GetProperty("Path").GetString());
        Assert.Equal(balance, await _payments.BalanceAsync(accountId));
        Assert.Equal("Authorised", await ConsentStatusAsync(consentId));
    }

    [Fact]
    public async Task Payment_WithADifferentRisk_IsConsentMismatch()
    {
        var (consentId, token, initiation, _) = await _payments.AuthorisedAsync();
        var (status, _, body) = await _payments.SubmitAsync(token, consentId, initiation, risk: "{}");
        AssertError(status, body, HttpStatusCode.BadRequest, "UK.OBIE.Resource.ConsentMismatch");
        Assert.Equal("Risk.PaymentContextCode", body.GetProperty("Errors")[0].GetProperty("Path").GetString());
    }

    [Fact]
    public async Task Payment_PropertyOrderDoesNotMatter()
    {
        var (consentId, token, _, _) = await _payments.AuthorisedAsync();
        var (_, consent) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payment-consents/{consentId}");
        var reordered = System.Text.Json.Nodes.JsonNode.Parse(consent.GetProperty("Data").GetProperty("Initiation").GetRawText())!.AsObject();
        var sorted = new System.Text.Json.Nodes.JsonObject(reordered.OrderByDescending(p => p.Key).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));

        var (status, text, _) = await _payments.SubmitAsync(token, consentId, sorted.ToJsonString());

        Assert.True(status == HttpStatusCode.Created, text);
    }

    [Fact]
    public async Task WrongTokenKinds_AreForbidden()
    {
        var (consentId, token, initiation, _) = await _payments.AuthorisedAsync();

        // A client-credentials token cannot submit; a customer token cannot manage consents or read payments.
        Assert.Equal(HttpStatusCode.Forbidden, (await _payments.SubmitAsync(PaymentsClient.PaymentToken(), consentId, initiation)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payment-consents/{consentId}", token)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _payments.PostAsync(token, $"{PaymentsClient.Pisp}/domestic-payment-consents",
            "{\"Data\":{\"Initiation\":" + PaymentsClient.Initiation() + "},\"Risk\":{}}", Guid.NewGuid().ToString("N"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payment-consents/{consentId}/funds-confirmation")).Status);
        // An accounts-scoped token is not a payments token.
        Assert.Equal(HttpStatusCode.Forbidden, (await _payments.SubmitAsync(SandboxFactory.ClientToken(consentId: consentId), consentId, initiation)).Status);
        var (status, _, created) = await _payments.SubmitAsync(token, consentId, initiation);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/{PaymentsTests.PaymentId(created)}", token)).Status);
    }

    [Fact]
    public async Task AnotherClientsConsentOrPayment_IsForbidden_AndUnchanged()
    {
        var (consentId, _, initiation, accountId) = await _payments.AuthorisedAsync();
        var balance = await _payments.BalanceAsync(accountId);
        var intruder = PaymentsClient.PaymentToken(clientId: "wallet-b", consentId: consentId);

        Assert.Equal(HttpStatusCode.Forbidden, (await _payments.SubmitAsync(intruder, consentId, initiation)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payment-consents/{consentId}", PaymentsClient.PaymentToken(clientId: "wallet-b"))).Status);
        // A token bound to one consent cannot spend another.
        var (otherConsent, _, _, _) = await _payments.AuthorisedAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await _payments.SubmitAsync(PaymentsClient.PaymentToken(consentId: otherConsent), consentId, initiation)).Status);

        Assert.Equal(balance, await _payments.BalanceAsync(accountId));
        Assert.Equal("Authorised", await ConsentStatusAsync(consentId));
    }

    [Fact]
    public async Task UnknownIds_Are400NotFound()
    {
        var (status, body) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payment-consents/pdc-nope");
        AssertError(status, body, HttpStatusCode.BadRequest, "UK.OBIE.Resource.NotFound");
        (status, body) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/dp-nope");
        AssertError(status, body, HttpStatusCode.BadRequest, "UK.OBIE.Resource.NotFound");
        (status, body) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/dp-nope/payment-details");
        AssertError(status, body, HttpStatusCode.BadRequest, "UK.OBIE.Resource.NotFound");
        var (submit, _, submitted) = await _payments.SubmitAsync(PaymentsClient.PaymentToken(consentId: "pdc-nope"), "pdc-nope", PaymentsClient.Initiation());
        AssertError(submit, submitted, HttpStatusCode.BadRequest, "UK.OBIE.Resource.NotFound");
    }

    [Fact]
    public async Task NotJson_IsInvalidFormat_AndNeverA500()
    {
        var (status, _, body) = await _payments.PostAsync(PaymentsClient.PaymentToken(), $"{PaymentsClient.Pisp}/domestic-payment-consents", "{not json", "k1");
        AssertError(status, body, HttpStatusCode.BadRequest, "UK.OBIE.Resource.InvalidFormat");
        (status, _, body) = await _payments.PostAsync(PaymentsClient.PaymentToken(), $"{PaymentsClient.Pisp}/domestic-payment-consents", "[]", "k2");
        AssertError(status, body, HttpStatusCode.BadRequest, "UK.OBIE.Resource.InvalidFormat");
        (status, _, body) = await _payments.PostAsync(PaymentsClient.PaymentToken(), $"{PaymentsClient.Pisp}/domestic-payment-consents", "{\"Data\":{}}", "k3");
        AssertError(status, body, HttpStatusCode.BadRequest, "UK.OBIE.Field.Missing");
    }

    private async Task<string> ConsentStatusAsync(string consentId)
    {
        var (_, consent) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payment-consents/{consentId}");
        return consent.GetProperty("Data").GetProperty("Status").GetString()!;
    }

    private static void AssertError(HttpStatusCode status, System.Text.Json.JsonElement body, HttpStatusCode expected, string code)
    {
        Assert.Equal(expected, status);
        Assert.Equal(code, body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
    }
}
