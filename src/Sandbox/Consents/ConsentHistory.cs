using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Consents;

/// <summary>
/// The words of a consent's history rows (<see cref="ConsentStatusChange"/>): who made each change and what it was.
/// The rows are added by <c>Infrastructure.DomainChangesInterceptor</c> beside the outbox rows, never by endpoints;
/// the one exception is expiry, which changes nothing stored and is recorded once when a call finds it
/// (<see cref="RecordExpiryAsync"/>).
/// </summary>
public static class ConsentHistory
{
    public const string Expired = "Expired";
    public const string Deleted = "Deleted";
    public const string AccessRevoked = "AccessRevoked";

    /// <summary>The outbox resources that are consents.</summary>
    public static bool IsConsent(OutboxResource resource) => resource is OutboxResource.AccountAccessConsent or OutboxResource.DomesticPaymentConsent
        or OutboxResource.FundsConfirmationConsent or OutboxResource.DomesticScheduledPaymentConsent or OutboxResource.DomesticStandingOrderConsent
        or OutboxResource.DomesticVrpConsent or OutboxResource.InternationalPaymentConsent;

    /// <summary>The history row of a tracked consent's save, or null when the save changed nothing the history keeps.</summary>
    internal static ConsentStatusChange? For(EntityEntry entry, IConsent consent, IReadOnlyList<OutboxChange> changes, DateTimeOffset now, DateTimeOffset realNow)
    {
        var move = ConsentChangeNotes.Take(consent);
        // A re-authorisation with the same accounts changes no status and no accounts (so no event), but the customer acted.
        if (changes.Count == 0 && !(move?.Action == ConsentAction.Authorise && entry.State == EntityState.Modified))
        {
            return null;
        }

        var accounts = entry.Metadata.FindProperty("AccountIds") is not null && entry.Property("AccountIds").CurrentValue is IEnumerable<string> ids
            ? ids.ToList() : [];
        var created = entry.State == EntityState.Added;
        string status, actor, detail;
        if (created)
        {
            (status, actor, detail) = (consent.Status.ToString(), ConsentActors.Tpp, "Created by the app; it waits for the customer to authorise it.");
        }
        else if (changes.Contains(OutboxChange.StatusChanged))
        {
            status = consent.Status.ToString();
            actor = ActorOf(move, consent.Status);
            detail = (consent.Status, move?.Action) switch
            {
                (ConsentStatus.Authorised, _) => $"Authorised by the customer {consent.CustomerId}"
                    + (accounts.Count > 0 ? $" for account{(accounts.Count == 1 ? "" : "s")} {string.Join(", ", accounts)}." : "."),
                (ConsentStatus.Rejected, ConsentAction.Expire) => "It was left unauthorised until it expired.",
                (ConsentStatus.Rejected, _) when actor == ConsentActors.Bank => "The bank rejected it: the authorisation could not be completed.",
                (ConsentStatus.Rejected, ConsentAction.Revoke) => "The customer cancelled it from their dashboard.",
                (ConsentStatus.Rejected, _) => "The customer declined it in the consent journey.",
                (ConsentStatus.Revoked, _) when actor == ConsentActors.Tpp => "The app revoked it.",
                (ConsentStatus.Revoked, _) => "The customer revoked it from their dashboard; calls with it are refused.",
                (ConsentStatus.Consumed, _) => "Used up by the payment made with it.",
                _ => $"Now {consent.Status}.",
            };
        }
        else if (changes.Contains(OutboxChange.AccessRevoked))
        {
            (status, actor, detail) = (AccessRevoked, ConsentActors.Customer,
                "The customer withdrew the app's access from their dashboard; tokens issued before this no longer work (the status stays Authorised).");
        }
        else if (changes.Contains(OutboxChange.Deleted))
        {
            (status, actor, detail) = (Deleted, ConsentActors.Tpp, "Deleted by the app; calls with it are refused.");
        }
        else if (changes.Contains(OutboxChange.LinkedAccountsChanged) || move?.Action == ConsentAction.Authorise)
        {
            (status, actor, detail) = (consent.Status.ToString(), ConsentActors.Customer,
                $"Authorised again by the customer {consent.CustomerId} for account{(accounts.Count == 1 ? "" : "s")} {string.Join(", ", accounts)}.");
        }
        else
        {
            return null;
        }

        return Row(consent.Id, consent.TenantId, consent.ClientId, status, actor, detail, now, realNow);
    }

    /// <summary>The history row of an outbox row a set-based update's caller wrote itself (a payment consuming its consent).</summary>
    internal static ConsentStatusChange? ForMessage(OutboxMessage message, DateTimeOffset realNow)
    {
        if (!IsConsent(message.Resource) || message.Change != OutboxChange.StatusChanged)
        {
            return null;
        }

        var detail = message.Status == nameof(ConsentStatus.Consumed) ? "Used up by the payment made with it." : $"Now {message.Status}.";
        var actor = message.Status == nameof(ConsentStatus.Consumed) ? ConsentActors.Tpp : ConsentActors.Bank;
        return Row(message.ResourceId, message.TenantId, message.ClientId, message.Status, actor, detail,
            new DateTimeOffset(DateTime.SpecifyKind(message.OccurredAt, DateTimeKind.Utc)), realNow);
    }

    /// <summary>
    /// Records once that a call found the consent expired (nothing stored changes at expiry: the tenant clock passes
    /// the consent's expiration time). Saved at once, on its own: the refused call itself writes nothing.
    /// </summary>
    public static async Task RecordExpiryAsync(SandboxDbContext db, string consentId, Guid tenantId, string clientId, DateTimeOffset expiredAt, DateTimeOffset realNow, CancellationToken ct)
    {
        if (await db.ConsentStatusChanges.AnyAsync(c => c.TenantId == tenantId && c.ConsentId == consentId && c.Status == Expired, ct))
        {
            return;
        }

        var row = Row(consentId, tenantId, clientId, Expired, ConsentActors.Clock,
            $"It expired at {expiredAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} (its ExpirationDateTime); calls with it are refused.", expiredAt, realNow);
        db.ConsentStatusChanges.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            db.Entry(row).State = EntityState.Detached;
        }
    }

    private static string ActorOf(ConsentChangeNotes.ConsentMove? move, ConsentStatus status) => move switch
    {
        { Action: ConsentAction.Expire } => ConsentActors.Clock,
        { Actor: ConsentActor.Customer } => ConsentActors.Customer,
        { Actor: ConsentActor.PartnerApp } => ConsentActors.Tpp,
        { Actor: ConsentActor.Bank } => ConsentActors.Bank,
        _ => status switch
        {
            ConsentStatus.Consumed => ConsentActors.Tpp,
            ConsentStatus.Authorised or ConsentStatus.Rejected or ConsentStatus.Revoked => ConsentActors.Customer,
            _ => ConsentActors.Bank,
        },
    };

    private static ConsentStatusChange Row(string consentId, Guid tenantId, string clientId, string status, string actor, string detail, DateTimeOffset at, DateTimeOffset realNow)
        => new()
        {
            ConsentId = consentId,
            TenantId = tenantId,
            ClientId = clientId,
            Status = status,
            Actor = actor,
            Detail = detail.Length > 500 ? detail[..500] : detail,
            At = at.UtcDateTime,
            RecordedAt = realNow.UtcDateTime,
        };
}
