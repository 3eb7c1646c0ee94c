using System.Text.Json;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.V3_1;

namespace OpenBanking.Sandbox.Payments.V4_0;

/// <summary>OBWriteDomesticConsentResponse5 of v4.0: the request echoed as sent, ISO status codes.</summary>
public sealed record PaymentConsentResponse(PaymentConsentData Data, JsonElement Risk, Links Links, Meta Meta)
{
    public static PaymentConsentResponse From(DomesticPaymentConsent consent, Account? debtor, string self) => new(
        new PaymentConsentData(
            consent.Id,
            consent.CreationDateTime,
            PaymentCodes.ConsentStatus(consent.Status),
            consent.StatusUpdateDateTime,
            consent.ReadRefundAccount,
            V3_1.PaymentConsentResponse.Parse(consent.InitiationJson),
            consent.AuthorisationJson is null ? null : V3_1.PaymentConsentResponse.Parse(consent.AuthorisationJson),
            consent.ScaSupportDataJson is null ? null : V3_1.PaymentConsentResponse.Parse(consent.ScaSupportDataJson),
            debtor is null ? null : ObPaymentAccount.Of(debtor)),
        V3_1.PaymentConsentResponse.Parse(consent.RiskJson),
        new Links(self),
        new Meta());
}

public sealed record PaymentConsentData(
    string ConsentId,
    DateTimeOffset CreationDateTime,
    string Status,
    DateTimeOffset StatusUpdateDateTime,
    string? ReadRefundAccount,
    JsonElement Initiation,
    JsonElement? Authorisation,
    JsonElement? SCASupportData,
    ObPaymentAccount? Debtor);

/// <summary>OBWriteDomesticResponse5 of v4.0: ISO status, and StatusReason when the payment is pending or rejected for a reason.</summary>
public sealed record PaymentResponse(PaymentData Data, Links Links, Meta Meta)
{
    public static PaymentResponse From(DomesticPayment payment, DomesticPaymentConsent consent, Account debtor, string self) => new(
        new PaymentData(
            payment.Id,
            payment.ConsentId,
            V3_1.PaymentResponse.Utc(payment.CreationDateTime),
            PaymentCodes.PaymentStatus(payment.Status),
            V3_1.PaymentResponse.Utc(payment.StatusUpdateDateTime),
            PaymentCodes.Reasons(payment),
            consent.ReadRefundAccount == "Yes" ? new ObRefund(ObPaymentAccount.Of(debtor)) : null,
            V3_1.PaymentConsentResponse.Parse(consent.InitiationJson),
            ObPaymentAccount.Of(debtor)),
        new Links(self),
        new Meta());
}

public sealed record PaymentData(
    string DomesticPaymentId,
    string ConsentId,
    DateTimeOffset CreationDateTime,
    string Status,
    DateTimeOffset StatusUpdateDateTime,
    IReadOnlyList<ObStatusReason>? StatusReason,
    ObRefund? Refund,
    JsonElement Initiation,
    ObPaymentAccount Debtor);

/// <summary>OBWritePaymentDetailsResponse1 of v4.0: Data is the array of the payment's status steps.</summary>
public sealed record PaymentDetailsResponse(IReadOnlyList<PaymentDetails> Data, Links Links, Meta Meta);

public sealed record PaymentDetails(PaymentStatusEntry PaymentStatus);

public sealed record PaymentStatusEntry(string PaymentTransactionId, string Status, DateTimeOffset StatusUpdateDateTime, PaymentStatusDetail StatusDetail);

/// <summary>StatusDetail: the ISO status and reason codes (four characters each), with the bank's own words for the step.</summary>
public sealed record PaymentStatusDetail(string? LocalInstrument, string Status, string? StatusReason, string? StatusReasonDescription);
