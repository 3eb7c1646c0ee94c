using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.Pipeline;

namespace OpenBanking.Sandbox.UnitTests.Payments;

/// <summary>The payment cross-version rule: consents and payments are used and read only through their own version.</summary>
public sealed class PaymentVersionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(ApiVersion.V3_1_11, ApiVersion.V4_0)]
    [InlineData(ApiVersion.V4_0, ApiVersion.V3_1_11)]
    public void AConsentOfTheOtherVersion_IsNotFound_NamingItsVersion(ApiVersion created, ApiVersion used)
    {
        var consent = new DomesticPaymentConsent
        {
            Id = "pdc-1", ClientId = "wallet", InitiationJson = "{}", RiskJson = "{}", Currency = "GBP", CreditorName = "Payee",
            CreditorSchemeName = "UK.OBIE.SortCodeAccountNumber", CreditorIdentification = "11223387654321", ApiVersion = created,
        };

        var refused = Assert.Throws<ObieException>(() => PaymentVersions.Readable(consent, used));

        Assert.Equal(ObieErrorCodes.ResourceNotFound, refused.Errors.Single().ErrorCode);
        Assert.Contains(created.Name(), refused.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Same(consent, PaymentVersions.Readable(consent, created));
    }

    [Fact]
    public void IdempotencyScopes_DifferByVersion_AndV31KeepsItsOriginalNames()
    {
        Assert.Equal(PaymentService.CreatePaymentOperation, PaymentVersions.CreatePaymentOperation(ApiVersion.V3_1_11));
        Assert.Equal(PaymentService.CreateConsentOperation, PaymentVersions.CreateConsentOperation(ApiVersion.V3_1_11));
        Assert.NotEqual(PaymentVersions.CreatePaymentOperation(ApiVersion.V3_1_11), PaymentVersions.CreatePaymentOperation(ApiVersion.V4_0));
        Assert.NotEqual(PaymentVersions.CreateConsentOperation(ApiVersion.V3_1_11), PaymentVersions.CreateConsentOperation(ApiVersion.V4_0));
    }

    [Fact]
    public async Task Check_AV31ConsentSubmittedThroughV4_IsConsentMismatch_BeforeAnythingIsMade()
    {
        await using var database = await PaymentsDatabase.CreateAsync();
        var consent = await database.AuthorisedConsentAsync();
        await using var db = database.Context();
        var v31 = database.Payment(consent.Id);
        var payment = new PaymentContext(v31.Caller, v31.IdempotencyKey, v31.RequestHash, v31.Operation, v31.Instruction, v31.Now, ApiVersion.V4_0);

        var refused = await Assert.ThrowsAsync<ObieException>(
            () => new CheckAndConsumeConsent(db, new NoFaultsHere()).CheckAsync(payment, Ct).AsTask());

        Assert.Equal(ObieErrorCodes.ResourceConsentMismatch, refused.Errors.Single().ErrorCode);
        Assert.Equal("Data.ConsentId", refused.Errors.Single().Path);
        Assert.Null(payment.Payment);
    }

    [Fact]
    public async Task Check_APaymentThroughItsConsentsVersion_RecordsThatVersion()
    {
        await using var database = await PaymentsDatabase.CreateAsync();
        var consent = await database.AuthorisedConsentAsync();
        await using var db = database.Context();
        var payment = database.Payment(consent.Id);

        await new CheckAndConsumeConsent(db, new NoFaultsHere()).CheckAsync(payment, Ct);

        Assert.Equal(ApiVersion.V3_1_11, payment.RequirePayment().ApiVersion);
    }
}
