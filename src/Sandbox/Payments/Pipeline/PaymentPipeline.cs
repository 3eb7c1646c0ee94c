using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.Pipeline;

/// <summary>
/// The one place the payment steps are put in order: each step checks (before the transaction), then all of them
/// write in one transaction — key claimed, consent consumed, payer debited, payment recorded — so a failure at any
/// step leaves nothing, and a duplicate finds the original.
/// </summary>
public sealed class PaymentPipeline(
    SandboxDbContext db,
    WriteTransaction transaction,
    ClaimIdempotencyKey key,
    AuthoriseCaller caller,
    CheckAndConsumeConsent consent,
    ScreenRisk risk,
    PostToLedger ledger,
    ScheduleSettlement settlement,
    IFaultInjector faults,
    Internal.IFraudFeedSignal? fraudFeed = null)
{
    /// <summary>The payment this request made, or — for a repeat — the one its first sending made (<see cref="PaymentContext.Repeated"/>).</summary>
    public Task<PaymentContext> RunAsync(PaymentContext payment, CancellationToken ct) => RunAsync(payment, consent, ct);

    /// <summary>The same steps around another kind's consent step (a VRP's).</summary>
    public async Task<PaymentContext> RunAsync(PaymentContext payment, IConsentStep consentStep, CancellationToken ct)
    {
        // The key first: a repeat is answered whatever the consent's state now.
        IPaymentStep[] steps = [key, caller, consentStep, risk, ledger, settlement];
        // One connection for every read of the request (EF Core would open and close one per query).
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            foreach (var step in steps)
            {
                await step.CheckAsync(payment, ct);
                if (payment.Repeated is not null)
                {
                    return payment;
                }
            }

            // The reads are done: the connection goes back to the pool before the wait for the writer (held through the
            // wait, a queue of payments held as many connections, and the pool opened new native ones for the next).
            await db.Database.CloseConnectionAsync();
            await transaction.RunAsync(async tx =>
            {
                foreach (var step in steps)
                {
                    await step.ApplyAsync(payment, tx, ct);
                }

                await tx.SaveChangesAsync(ct);
                faults.After("saved");
            }, ct);
        }
        catch (ConsentUnavailableException e)
        {
            // A duplicate of this request may have consumed the consent since the key was looked up: answer with its payment.
            payment.Repeated = await key.FindAnswerAsync(payment, ct) ?? throw InvalidConsentStatus(e.Status);
            return payment;
        }
        catch (Exception e) when (e is DbUpdateException or CheckAndConsumeConsent.ConsentRaceException)
        {
            // Lost a race: to a duplicate of this request (answer with its payment) or to another payment of the consent.
            db.ChangeTracker.Clear();
            if (await key.FindAnswerAsync(payment, ct) is { } winner)
            {
                payment.Repeated = winner;
                return payment;
            }

            if (await key.ReleaseIfExpiredAsync(payment, ct))
            {
                // The key was last used more than 24 hours ago: it is free again.
                return await RunAsync(Restart(payment), consentStep, ct);
            }

            // Another payment of the consent won (the consent step says how to refuse); anything else is not the client's fault.
            if (await consentStep.LostRaceAsync(payment, ct) is { } refusal)
            {
                throw refusal;
            }

            throw;
        }
        finally
        {
            db.ChangeTracker.Clear();
            await db.Database.CloseConnectionAsync();
        }

        foreach (var step in steps)
        {
            step.Committed(payment);
        }

        fraudFeed?.Raise(); // the bank's fraud dashboard long-polls for new screenings (InternalFraudApi)
        return payment;
    }

    private static PaymentContext Restart(PaymentContext payment)
        => new(payment.Caller, payment.IdempotencyKey, payment.RequestHash, payment.Operation, payment.Instruction, payment.Now, payment.Version)
        {
            KindData = payment.KindData,
            KeyConflict = payment.KeyConflict,
        };

    public static ObieException InvalidConsentStatus(PaymentConsentStatus status) => ObieException.BadRequest(new ObError(
        ObieErrorCodes.ResourceInvalidConsentStatus, $"The consent is {status}; a payment needs an Authorised consent (one payment per consent)."));
}
