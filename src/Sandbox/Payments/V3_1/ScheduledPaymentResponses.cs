using System.Text.Json;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Scheduled;

namespace OpenBanking.Sandbox.Payments.V3_1;

/// <summary>OBWriteDomesticScheduledConsentResponse5: the request echoed as sent, ExpectedExecutionDateTime = the requested time.</summary>
public sealed record ScheduledConsentResponse(ScheduledConsentData Data, JsonElement Risk, Links Links, Meta Meta)
{
    public static ScheduledConsentResponse From(DomesticScheduledPaymentConsent consent, Account? debtor, string self) => new(
        new ScheduledConsentData(
            consent.Id,
            consent.CreationDateTime,
            consent.Status,
            consent.StatusUpdateDateTime,
            "Create",
            consent.ReadRefundAccount,
            PaymentResponse.Utc(consent.RequestedExecutionDateTime),
            PaymentConsentResponse.Parse(consent.InitiationJson),
            consent.AuthorisationJson is null ? null : PaymentConsentResponse.Parse(consent.AuthorisationJson),
            consent.ScaSupportDataJson is null ? null : PaymentConsentResponse.Parse(consent.ScaSupportDataJson),
            debtor is null ? null : ObPaymentAccount.Of(debtor)),
        PaymentConsentResponse.Parse(consent.RiskJson),
        new Links(self),
        new Meta());
}

public sealed record ScheduledConsentData(
    string ConsentId,
    DateTimeOffset CreationDateTime,
    PaymentConsentStatus Status,
    DateTimeOffset StatusUpdateDateTime,
    string Permission,
    string? ReadRefundAccount,
    DateTimeOffset ExpectedExecutionDateTime,
    JsonElement Initiation,
    JsonElement? Authorisation,
    JsonElement? SCASupportData,
    ObPaymentAccount? Debtor);

/// <summary>OBWriteDomesticScheduledResponse5.</summary>
public sealed record ScheduledPaymentResponse(ScheduledPaymentData Data, Links Links, Meta Meta)
{
    public static ScheduledPaymentResponse From(DomesticScheduledPayment payment, DomesticScheduledPaymentConsent consent, Account debtor, string self) => new(
        new ScheduledPaymentData(
            payment.Id,
            payment.ConsentId,
            PaymentResponse.Utc(payment.CreationDateTime),
            payment.Status,
            PaymentResponse.Utc(payment.StatusUpdateDateTime),
            PaymentResponse.Utc(payment.RequestedExecutionDateTime),
            consent.ReadRefundAccount == "Yes" ? new ObRefund(ObPaymentAccount.Of(debtor)) : null,
            PaymentConsentResponse.Parse(consent.InitiationJson),
            ObPaymentAccount.Of(debtor)),
        new Links(self),
        new Meta());
}

public sealed record ScheduledPaymentData(
    string DomesticScheduledPaymentId,
    string ConsentId,
    DateTimeOffset CreationDateTime,
    ScheduledPaymentStatus Status,
    DateTimeOffset StatusUpdateDateTime,
    DateTimeOffset ExpectedExecutionDateTime,
    ObRefund? Refund,
    JsonElement Initiation,
    ObPaymentAccount Debtor);

/// <summary>OBWritePaymentDetailsResponse1 of a scheduled payment (its Status includes Cancelled, which a domestic payment never reaches).</summary>
public sealed record ScheduledDetailsResponse(ScheduledDetailsData Data, Links Links, Meta Meta)
{
    public static ScheduledDetailsResponse From(IEnumerable<ScheduledStep> steps, string? localInstrument, string self) => new(
        new ScheduledDetailsData(steps.Select(s => Entry(s, localInstrument)).ToList()), new Links(self), new Meta());

    private static ScheduledStatusEntry Entry(ScheduledStep step, string? instrument)
    {
        var (status, reason) = step switch
        {
            { Cancelled: true } => ("Cancelled", "Cancelled"),
            { Execution: null } => ("Pending", (string?)null),
            { Execution: PaymentStatus.Rejected } => ("Rejected", "ProprietaryRejection"),
            { Execution: PaymentStatus.Pending or PaymentStatus.AcceptedSettlementInProcess } => (step.Execution.ToString()!, "PendingSettlement"),
            _ => (step.Execution.ToString()!, null),
        };
        var detail = step.Cancelled ? "Cancelled" : step.Execution is null ? "InitiationPending" : status;
        return new ScheduledStatusEntry(step.TransactionId, status, PaymentResponse.Utc(step.At), new PaymentStatusDetail(instrument, detail, reason, step.Detail));
    }
}

public sealed record ScheduledDetailsData(IReadOnlyList<ScheduledStatusEntry> PaymentStatus);

public sealed record ScheduledStatusEntry(string PaymentTransactionId, string Status, DateTimeOffset StatusUpdateDateTime, PaymentStatusDetail StatusDetail);
