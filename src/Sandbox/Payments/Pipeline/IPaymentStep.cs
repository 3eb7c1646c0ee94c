using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Payments.Pipeline;

/// <summary>
/// One named step of the payment pipeline, in two parts: checks and reads before the transaction (so the single
/// writer's transaction stays short), and its writes inside the payment's one transaction.
/// </summary>
public interface IPaymentStep
{
    /// <summary>Checks and reads; may answer the request outright by setting <see cref="PaymentContext.Repeated"/>.</summary>
    ValueTask CheckAsync(PaymentContext payment, CancellationToken ct) => ValueTask.CompletedTask;

    /// <summary>Its writes, in the transaction <paramref name="tx"/> shared by every step of the payment.</summary>
    ValueTask ApplyAsync(PaymentContext payment, SandboxDbContext tx, CancellationToken ct) => ValueTask.CompletedTask;

    /// <summary>After the transaction has committed (to keep in-process state in step with the database).</summary>
    void Committed(PaymentContext payment)
    {
    }
}

/// <summary>
/// The step that checks the payment against its consent and uses the consent up or counts the payment against it:
/// one per kind of consent (<see cref="CheckAndConsumeConsent"/> for a domestic payment, Vrp.CheckVrpConsent for a VRP).
/// </summary>
public interface IConsentStep : IPaymentStep
{
    /// <summary>After a lost race that no duplicate of the request won: the refusal to answer with, or null to rethrow.</summary>
    Task<Exception?> LostRaceAsync(PaymentContext payment, CancellationToken ct);
}

/// <summary>The consent was not (or is no longer) Authorised: the request may still be a repeat of the payment that consumed it.</summary>
public sealed class ConsentUnavailableException(PaymentConsentStatus status) : Exception($"The consent is {status}.")
{
    public PaymentConsentStatus Status { get; } = status;
}
