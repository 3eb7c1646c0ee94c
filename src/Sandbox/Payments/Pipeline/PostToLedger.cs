using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.Pipeline;

/// <summary>
/// Acts on the risk screen's verdict: rejected, held for review, or accepted — the payer debited into clearing by a
/// balanced posting, with the account transaction the AIS API shows (or rejected for funds).
/// </summary>
public sealed class PostToLedger(IFaultInjector faults, International.InternationalLedger? international = null) : IPaymentStep
{
    public async ValueTask ApplyAsync(PaymentContext payment, SandboxDbContext tx, CancellationToken ct)
    {
        var made = payment.RequirePayment();
        made.Status = PaymentStatus.Pending;
        made.Debited = false;
        switch (payment.RequireAssessment().Decision)
        {
            case RiskDecision.Reject:
                made.Status = PaymentStatus.Rejected;
                made.StatusReason = PaymentStatusReasons.RiskRejected;
                break;
            case RiskDecision.Review:
                made.StatusReason = PaymentStatusReasons.HeldForReview;
                break;
            default:
                if (payment.KindData is International.InternationalSubmission submission)
                {
                    // A contract used up meanwhile refuses the payment (the transaction is rolled back: nothing was made).
                    if (await RequireInternational().DebitAsync(tx, made, submission.RequireTransfer(), submission.RequireConsent(), payment.Debtor!,
                            payment.Reference, payment.Scenario, payment.Now, ct) is { } refusal)
                    {
                        throw ObieException.BadRequest(new ObError(ObieErrorCodes.FieldInvalid, refusal,
                            International.InternationalRequests.EriPath + ".ContractIdentification"));
                    }
                }
                else
                {
                    await DebitAsync(tx, made, payment.Debtor!, payment.Reference, payment.Scenario, payment.Now, ct);
                }

                break;
        }

        faults.After("payment-decided");
    }

    public International.InternationalLedger RequireInternational()
        => international ?? throw new InvalidOperationException("International payments are not registered.");

    /// <summary>Takes the money into clearing, or rejects the payment for funds (also when a reviewer releases it).</summary>
    public async Task DebitAsync(SandboxDbContext tx, DomesticPayment payment, Account debtor, string? reference, Scenario scenario, DateTime now, CancellationToken ct)
    {
        var ledger = new LedgerStore(tx);
        var balance = scenario == Scenario.InsufficientFunds ? null : await ledger.TryDebitAsync(debtor.Id, payment.AmountMinor, ct);
        if (balance is not { } after)
        {
            payment.Status = PaymentStatus.Rejected;
            payment.StatusReason = PaymentStatusReasons.InsufficientFunds;
            payment.Debited = false;
            return;
        }

        faults.After("account-debited");
        ledger.Add(Posting.PaymentDebit(payment.Id, debtor.Id, payment.Currency, payment.AmountMinor), payment.TenantId, payment.Id, now);
        tx.Transactions.Add(PaymentTransactions.For(debtor, payment.Id, credit: false, payment.AmountMinor, after, Timestamps.WholeSeconds(now),
            reference, $"Payment to {payment.CreditorName}", payment.CreditorName, null, payment.CreditorIdentification));
        payment.Debited = true;
        payment.Status = PaymentStatus.Pending;
        payment.StatusReason = null;
    }
}
