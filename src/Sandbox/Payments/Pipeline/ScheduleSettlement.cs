using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Payments.Pipeline;

/// <summary>
/// Records the payment with its first status (and why, with the risk screen's reasons) and, when money has left the
/// payer, when the settlement worker is to move it on.
/// </summary>
public sealed class ScheduleSettlement(IOptions<PaymentOptions> options) : IPaymentStep
{
    public ValueTask ApplyAsync(PaymentContext payment, SandboxDbContext tx, CancellationToken ct)
    {
        var made = payment.RequirePayment();
        Schedule(made, payment.Now);
        tx.DomesticPayments.Add(made);
        tx.PaymentStatusChanges.Add(new PaymentStatusChange
        {
            PaymentId = made.Id,
            Status = made.Status,
            At = made.StatusUpdateDateTime,
            Detail = ColumnText.Truncate(Describe(made, payment.RequireAssessment()), 256),
        });
        return ValueTask.CompletedTask;
    }

    /// <summary>A debited payment is sent for settlement after the accept delay; anything else waits for nothing.</summary>
    public void Schedule(DomesticPayment payment, DateTime now)
        => payment.NextActionAt = payment.Debited ? now + Delay(options.Value.AcceptAfter, payment) : null;

    /// <summary>A settlement delay, stretched for the slow-settlement scenario.</summary>
    public TimeSpan Delay(TimeSpan delay, DomesticPayment payment)
        => payment.Scenario == nameof(Scenario.SlowSettlement) ? delay * options.Value.SlowFactor : delay;

    public static string Describe(DomesticPayment payment, RiskAssessment assessment) => payment.StatusReason switch
    {
        PaymentStatusReasons.RiskRejected => "Rejected by the risk screen. " + assessment.Describe(),
        PaymentStatusReasons.InsufficientFunds => "Rejected: insufficient funds. " + assessment.Describe(),
        PaymentStatusReasons.HeldForReview => "Held for review by the risk screen. " + assessment.Describe(),
        _ => "Accepted for settlement. " + assessment.Describe(),
    };
}
