using System.Text.Json;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.V3_1;

/// <summary>OBCashAccountDebtor4 / a refund account: the payer's account as the bank knows it.</summary>
public sealed record ObPaymentAccount(string SchemeName, string Identification, string? Name)
{
    public static ObPaymentAccount Of(Account account) => new(account.SchemeName, account.Identification, account.Name);
}

public sealed record ObRefund(ObPaymentAccount Account);

/// <summary>OBWriteDomesticConsentResponse5.</summary>
public sealed record PaymentConsentResponse(PaymentConsentData Data, JsonElement Risk, Links Links, Meta Meta)
{
    public static PaymentConsentResponse From(DomesticPaymentConsent consent, Account? debtor, string self) => new(
        new PaymentConsentData(
            consent.Id,
            consent.CreationDateTime,
            consent.Status,
            consent.StatusUpdateDateTime,
            consent.ReadRefundAccount,
            Parse(consent.InitiationJson),
            consent.AuthorisationJson is null ? null : Parse(consent.AuthorisationJson),
            consent.ScaSupportDataJson is null ? null : Parse(consent.ScaSupportDataJson),
            debtor is null ? null : ObPaymentAccount.Of(debtor)),
        Parse(consent.RiskJson),
        new Links(self),
        new Meta());

    internal static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

public sealed record PaymentConsentData(
    string ConsentId,
    DateTimeOffset CreationDateTime,
    PaymentConsentStatus Status,
    DateTimeOffset StatusUpdateDateTime,
    string? ReadRefundAccount,
    JsonElement Initiation,
    JsonElement? Authorisation,
    JsonElement? SCASupportData,
    ObPaymentAccount? Debtor);

/// <summary>OBWriteDomesticResponse5.</summary>
public sealed record PaymentResponse(PaymentData Data, Links Links, Meta Meta)
{
    public static PaymentResponse From(DomesticPayment payment, DomesticPaymentConsent consent, Account debtor, string self) => new(
        new PaymentData(
            payment.Id,
            payment.ConsentId,
            Utc(payment.CreationDateTime),
            payment.Status,
            Utc(payment.StatusUpdateDateTime),
            consent.ReadRefundAccount == "Yes" ? new ObRefund(ObPaymentAccount.Of(debtor)) : null,
            PaymentConsentResponse.Parse(consent.InitiationJson),
            ObPaymentAccount.Of(debtor)),
        new Links(self),
        new Meta());

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

public sealed record PaymentData(
    string DomesticPaymentId,
    string ConsentId,
    DateTimeOffset CreationDateTime,
    PaymentStatus Status,
    DateTimeOffset StatusUpdateDateTime,
    ObRefund? Refund,
    JsonElement Initiation,
    ObPaymentAccount Debtor);

/// <summary>OBWritePaymentDetailsResponse1: the status history, with the risk assessment in the status details.</summary>
public sealed record PaymentDetailsResponse(PaymentDetailsData Data, Links Links, Meta Meta);

public sealed record PaymentDetailsData(IReadOnlyList<PaymentStatusEntry> PaymentStatus);

public sealed record PaymentStatusEntry(string PaymentTransactionId, PaymentStatus Status, DateTimeOffset StatusUpdateDateTime, PaymentStatusDetail StatusDetail);

public sealed record PaymentStatusDetail(string? LocalInstrument, string Status, string? StatusReason, string? StatusReasonDescription);

/// <summary>OBWriteFundsConfirmationResponse1 (of a payment consent).</summary>
public sealed record ConsentFundsResponse(ConsentFundsData Data, Links Links, Meta Meta);

public sealed record ConsentFundsData(FundsAvailableResult FundsAvailableResult);

public sealed record FundsAvailableResult(DateTimeOffset FundsAvailableDateTime, bool FundsAvailable);
