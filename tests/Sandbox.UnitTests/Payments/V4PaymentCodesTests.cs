using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Funds.V4_0;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.V4_0;

namespace OpenBanking.Sandbox.UnitTests.Payments;

/// <summary>How v4.0 names the domain's payment and consent states and reasons (docs/payments.md).</summary>
public sealed class V4PaymentCodesTests
{
    [Theory]
    [InlineData(PaymentConsentStatus.AwaitingAuthorisation, "AWAU")]
    [InlineData(PaymentConsentStatus.Authorised, "AUTH")]
    [InlineData(PaymentConsentStatus.Rejected, "RJCT")]
    [InlineData(PaymentConsentStatus.Consumed, "COND")]
    public void EveryPaymentConsentStatus_HasItsIsoCode(PaymentConsentStatus status, string code)
        => Assert.Equal(code, PaymentCodes.ConsentStatus(status));

    [Theory]
    [InlineData(PaymentStatus.Pending, "PDNG")]
    [InlineData(PaymentStatus.AcceptedSettlementInProcess, "ACSP")]
    [InlineData(PaymentStatus.AcceptedSettlementCompleted, "ACSC")]
    [InlineData(PaymentStatus.Rejected, "RJCT")]
    public void EveryPaymentStatus_HasItsIsoCode(PaymentStatus status, string code) => Assert.Equal(code, PaymentCodes.PaymentStatus(status));

    [Fact]
    public void EveryDomainState_IsMapped()
    {
        Assert.All(Enum.GetValues<PaymentStatus>(), s => Assert.Equal(4, PaymentCodes.PaymentStatus(s).Length));
        Assert.All(Enum.GetValues<PaymentConsentStatus>(), s => Assert.Equal(4, PaymentCodes.ConsentStatus(s).Length));
    }

    [Theory]
    [InlineData(PaymentStatusReasons.InsufficientFunds, "AM04")]
    [InlineData(PaymentStatusReasons.SettlementFailed, "ED05")]
    [InlineData(PaymentStatusReasons.RiskRejected, "MS03")]
    [InlineData(PaymentStatusReasons.RejectedOnReview, "MS03")]
    [InlineData(PaymentStatusReasons.HeldForReview, "NARR")]
    public void EveryDomainReason_HasAnIsoReasonCode(string reason, string code)
    {
        var mapped = PaymentCodes.Reason(reason);
        Assert.NotNull(mapped);
        Assert.Equal(code, mapped.StatusReasonCode);
        Assert.InRange(mapped.StatusReasonDescription.Length, 1, 500);
    }

    [Fact]
    public void EveryReasonTheDomainDefines_IsMapped()
    {
        var reasons = typeof(PaymentStatusReasons).GetFields().Select(f => (string)f.GetValue(null)!);
        Assert.All(reasons, r => Assert.NotNull(PaymentCodes.Reason(r)));
    }

    [Theory]
    [InlineData(PaymentStatus.Rejected, PaymentStatusReasons.InsufficientFunds, true)]
    [InlineData(PaymentStatus.Pending, PaymentStatusReasons.HeldForReview, true)]
    [InlineData(PaymentStatus.Pending, null, false)]
    [InlineData(PaymentStatus.AcceptedSettlementInProcess, null, false)]
    [InlineData(PaymentStatus.AcceptedSettlementCompleted, null, false)]
    public void APayment_CarriesAStatusReason_OnlyWhenPendingOrRejectedForOne(PaymentStatus status, string? reason, bool carries)
    {
        var payment = Payment(status, reason);
        Assert.Equal(carries, PaymentCodes.Reasons(payment) is { Count: 1 });
    }

    [Fact]
    public void History_NamesTheReason_OnTheRejection_AndOnPendingStepsOnlyWhileStillPending()
    {
        var rejected = Payment(PaymentStatus.Rejected, PaymentStatusReasons.InsufficientFunds);
        var held = Payment(PaymentStatus.Pending, PaymentStatusReasons.HeldForReview);

        Assert.Equal("AM04", PaymentCodes.HistoryReason(PaymentStatus.Rejected, rejected));
        Assert.Null(PaymentCodes.HistoryReason(PaymentStatus.Pending, rejected));
        Assert.Equal("NARR", PaymentCodes.HistoryReason(PaymentStatus.Pending, held));
        Assert.Null(PaymentCodes.HistoryReason(PaymentStatus.AcceptedSettlementInProcess, held));
    }

    [Theory]
    [InlineData(ConsentStatus.AwaitingAuthorisation, "AWAU", null)]
    [InlineData(ConsentStatus.Authorised, "AUTH", null)]
    [InlineData(ConsentStatus.Rejected, "RJCT", null)]
    [InlineData(ConsentStatus.Revoked, "RJCT", "MS02")]
    public void FundsConsentStatuses_UseTheCbpiiEnum_ARevokedOneIsRjctWithItsReason(ConsentStatus status, string code, string? reason)
    {
        Assert.Equal(code, FundsCodes.ConsentStatus(status));
        Assert.Equal(reason, FundsCodes.Reasons(status)?.Single().StatusReasonCode);
    }

    private static DomesticPayment Payment(PaymentStatus status, string? reason) => new()
    {
        Id = "dp-1",
        ClientId = "wallet",
        ConsentId = "pdc-1",
        CustomerId = "c-1",
        DebtorAccountId = "acc-1",
        Currency = "GBP",
        CreditorName = "Payee",
        CreditorIdentification = "11223387654321",
        RiskReasons = string.Empty,
        Status = status,
        StatusReason = reason,
        ApiVersion = ApiVersion.V4_0,
    };
}
