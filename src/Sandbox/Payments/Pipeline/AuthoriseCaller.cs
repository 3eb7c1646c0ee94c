using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.Pipeline;

/// <summary>Validates who asks: a payment is submitted with the customer's token, bound to this very consent.</summary>
public sealed class AuthoriseCaller : IPaymentStep
{
    public ValueTask CheckAsync(PaymentContext payment, CancellationToken ct)
    {
        if (payment.Caller.ConsentId is null)
        {
            throw ObieException.Forbidden("A payment is submitted with the customer's token, not a client-credentials token.");
        }

        if (payment.Caller.ConsentId != payment.Instruction.ConsentId)
        {
            throw ObieException.Forbidden("The token is bound to another consent.");
        }

        return ValueTask.CompletedTask;
    }
}
