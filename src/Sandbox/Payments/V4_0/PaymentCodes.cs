namespace OpenBanking.Sandbox.Payments.V4_0;

/// <summary>One OBStatusReason: an ISO 20022 status reason code, what it means here, and the field it is about.</summary>
public sealed record ObStatusReason(string StatusReasonCode, string StatusReasonDescription, string? Path = null);

/// <summary>
/// How v4.0 names the domain's payment states (docs/payments.md, "v4.0 domestic payments and CBPII"): the ISO 20022
/// status codes of the v4.0 enums, and ISO 20022 ExternalStatusReason1Code reasons for why a payment is pending or
/// rejected. The domain keeps one set of states; only these names differ between the versions.
/// </summary>
public static class PaymentCodes
{
    /// <summary>The consent's status: v4.0's PIS enum is AWAU/RJCT/AUTH/COND, COND being the consumed consent.</summary>
    public static string ConsentStatus(PaymentConsentStatus status) => status switch
    {
        PaymentConsentStatus.AwaitingAuthorisation => "AWAU",
        PaymentConsentStatus.Authorised => "AUTH",
        PaymentConsentStatus.Rejected => "RJCT",
        PaymentConsentStatus.Consumed => "COND",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A payment consent status without a v4.0 code."),
    };

    /// <summary>
    /// The payment's status: each v3.1.11 name's ISO code (Pending PDNG, AcceptedSettlementInProcess ACSP,
    /// AcceptedSettlementCompleted ACSC, Rejected RJCT). The bank settles the debtor side only, so ACCC is not reached.
    /// </summary>
    public static string PaymentStatus(PaymentStatus status) => status switch
    {
        Payments.PaymentStatus.Pending => "PDNG",
        Payments.PaymentStatus.AcceptedSettlementInProcess => "ACSP",
        Payments.PaymentStatus.AcceptedSettlementCompleted => "ACSC",
        Payments.PaymentStatus.Rejected => "RJCT",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A payment status without a v4.0 code."),
    };

    /// <summary>
    /// Why a payment is pending or rejected (<see cref="DomesticPayment.StatusReason"/>) as an ISO 20022 reason code:
    /// AM04 insufficient funds; ED05 settlement failed; MS03 (reason not specified, agent generated) for the risk
    /// screen's and a reviewer's rejections, since a bank does not tell a third party why it suspects a payment; NARR
    /// (narrative, see the description) for a payment held for review, which ISO has no code of its own for.
    /// </summary>
    public static ObStatusReason? Reason(string? reason) => reason switch
    {
        PaymentStatusReasons.InsufficientFunds => new("AM04", "Insufficient funds in the payer's account."),
        PaymentStatusReasons.SettlementFailed => new("ED05", "Settlement of the payment failed; the payer's account was refunded."),
        PaymentStatusReasons.RiskRejected => new("MS03", "Rejected by the bank's risk checks."),
        PaymentStatusReasons.RejectedOnReview => new("MS03", "Rejected after review by the bank."),
        PaymentStatusReasons.HeldForReview => new("NARR", "Held for review by the bank's risk checks; a reviewer releases or rejects it."),
        _ => null,
    };

    /// <summary>The payment's StatusReason array: its reason while it is pending or rejected for one, else none.</summary>
    public static IReadOnlyList<ObStatusReason>? Reasons(DomesticPayment payment)
        => payment.Status is Payments.PaymentStatus.Pending or Payments.PaymentStatus.Rejected && Reason(payment.StatusReason) is { } reason
            ? [reason]
            : null;

    /// <summary>
    /// The reason code of one step of the payment's history (payment-details' StatusDetail.StatusReason): the
    /// payment's reason on its rejection, and on its pending steps while it is still pending (held for review).
    /// </summary>
    public static string? HistoryReason(PaymentStatus step, DomesticPayment payment) => step switch
    {
        Payments.PaymentStatus.Rejected => Reason(payment.StatusReason)?.StatusReasonCode,
        Payments.PaymentStatus.Pending when payment.Status == Payments.PaymentStatus.Pending => Reason(payment.StatusReason)?.StatusReasonCode,
        _ => null,
    };
}
