using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Payments.Pipeline;

/// <summary>
/// The <c>x-idempotency-key</c>: looked up first, so a repeat gets its payment even though the consent is Consumed by
/// now; claimed in the payment's transaction, so the key is never claimed without its payment or the reverse (the
/// unique index lets exactly one concurrent duplicate win).
/// </summary>
public sealed class ClaimIdempotencyKey(SandboxDbContext db, IFaultInjector faults) : IPaymentStep
{
    public async ValueTask CheckAsync(PaymentContext payment, CancellationToken ct)
        => payment.Repeated = await FindAnswerAsync(payment, ct);

    public ValueTask ApplyAsync(PaymentContext payment, SandboxDbContext tx, CancellationToken ct)
    {
        Idempotency.Claim(tx, payment.Caller.ClientId, payment.Operation, payment.IdempotencyKey, payment.RequestHash, payment.RequirePayment().Id, payment.Now);
        faults.After("key-claimed");
        return ValueTask.CompletedTask;
    }

    /// <summary>The payment made under this key, if the key is live; a different request under it is refused.</summary>
    public async Task<DomesticPayment?> FindAnswerAsync(PaymentContext payment, CancellationToken ct)
    {
        var record = await Idempotency.FindAsync(db, payment.Caller.ClientId, payment.Operation, payment.IdempotencyKey, payment.RequestHash, payment.Now, ct,
            payment.KeyConflict ?? (payment.Version == ApiVersion.V4_0 ? KeyConflict.Conflict : KeyConflict.BadRequest));
        return record is null ? null : await PaymentQueries.Payment(db, record.ResourceId, ct)
            ?? throw new InvalidOperationException($"The idempotency key names payment {record.ResourceId}, which is gone.");
    }

    /// <summary>Frees the key if its claim is older than 24 hours; whether it did.</summary>
    public Task<bool> ReleaseIfExpiredAsync(PaymentContext payment, CancellationToken ct)
        => Idempotency.PurgeExpiredAsync(db, payment.Caller.ClientId, payment.Operation, payment.IdempotencyKey, payment.Now, ct);
}
