using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Tenancy;

namespace OpenBanking.Sandbox.Events.Subscriptions;

/// <summary>
/// An app's event subscription — at most one per app (unique per tenant and client in the database too) — and what
/// changing or deleting it does to the notifications already made for the app. Only the calling app's rows are ever
/// read or written: every query names its tenant and client id, both from the access token.
/// </summary>
public sealed class EventSubscriptionService(SandboxDbContext db, TenantService tenants, TimeProvider clock, EventSignal signal, CallbackProtection callbacks)
{
    public const string NoCallbackError = "The subscription no longer has a callback URL: the event is available to polling (POST /events) until it expires.";
    public const string DeletedError = "The subscription was deleted: the event is available to polling (POST /events) until it expires.";

    public async Task<EventSubscription> CreateAsync(CallerContext caller, ApiVersion version, SubscriptionRequest request, CancellationToken ct)
    {
        var tenant = await tenants.GetOrCreateAsync(caller.OrganisationId, ct);
        if (await db.EventSubscriptions.AnyAsync(s => s.TenantId == tenant.Id && s.ClientId == caller.ClientId, ct))
        {
            throw AlreadyExists();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var subscription = new EventSubscription
        {
            Id = EventSubscriptionRules.NewId(),
            TenantId = tenant.Id,
            ClientId = caller.ClientId,
            CallbackUrl = callbacks.Protect(request.CallbackUrl),
            Version = request.Version,
            EventTypes = Join(request.EventTypes),
            ApiVersion = version.Name(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.EventSubscriptions.Add(subscription);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two POSTs at once: the unique index let one through; the other is the second subscription.
            db.ChangeTracker.Clear();
            if (await db.EventSubscriptions.AnyAsync(s => s.TenantId == tenant.Id && s.ClientId == caller.ClientId, ct))
            {
                throw AlreadyExists();
            }

            throw;
        }

        return subscription;
    }

    /// <summary>The app's subscriptions: none or one.</summary>
    public async Task<List<EventSubscription>> ListAsync(CallerContext caller, CancellationToken ct)
    {
        var tenant = await tenants.FindAsync(caller.OrganisationId, ct);
        return tenant is null
            ? []
            : await db.EventSubscriptions.AsNoTracking().Where(s => s.TenantId == tenant.Id && s.ClientId == caller.ClientId).OrderBy(s => s.CreatedAt).ToListAsync(ct);
    }

    /// <summary>
    /// Replaces the subscription (PUT: what the body leaves out is gone — no callback means polling only, no types means
    /// all). Notifications made from now on follow the new settings. Those still waiting to be pushed follow the new
    /// callback at once (tried now, not at their backed-off time), or, without one, are given up on for push and left to
    /// polling. Event types apply to new events only: what was already made for the app stays.
    /// </summary>
    public async Task<EventSubscription> ChangeAsync(CallerContext caller, ApiVersion version, string id, SubscriptionRequest request, CancellationToken ct)
    {
        var subscription = await FindAsync(caller, id, ct);
        await ChangeAsync(subscription, request.CallbackUrl, request.Version, Join(request.EventTypes), version.Name(), ct);
        return subscription;
    }

    /// <summary>
    /// Changes a subscription (the API's PUT and the Portal's edit alike): a new callback URL re-points what still
    /// waits to be pushed and tries it at once; no callback leaves it to polling. New event types apply to what is
    /// made from now on.
    /// </summary>
    public async Task ChangeAsync(EventSubscription subscription, string? callbackUrl, string version, string? eventTypes, string apiVersion, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var callbackChanged = !string.Equals(callbacks.Reveal(subscription.CallbackUrl), callbackUrl, StringComparison.Ordinal);
        if (callbackChanged)
        {
            subscription.CallbackUrl = callbacks.Protect(callbackUrl);
        }

        subscription.Version = version;
        subscription.EventTypes = eventTypes;
        subscription.ApiVersion = apiVersion;
        subscription.UpdatedAt = now;

        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            if (callbackChanged)
            {
                var pending = Pending(subscription.TenantId, subscription.ClientId);
                if (subscription.CallbackUrl is { } callback)
                {
                    // The subscription's stored (encrypted) value, copied as it is.
                    await pending.ExecuteUpdateAsync(s => s
                        .SetProperty(n => n.CallbackUrl, callback)
                        .SetProperty(n => n.NextAttemptAt, n => n.NextAttemptAt > now ? now : n.NextAttemptAt), ct);
                }
                else
                {
                    await GiveUpAsync(pending, NoCallbackError, ct);
                }
            }

            await transaction.CommitAsync(ct);
        });

        if (callbackChanged && callbackUrl is not null)
        {
            signal.Notifications.Set();
        }
    }

    /// <summary>Deletes the subscription: nothing more is made for the app, and what waits to be pushed is left to polling.</summary>
    public async Task DeleteAsync(CallerContext caller, string id, CancellationToken ct)
        => await DeleteAsync(await FindAsync(caller, id, ct), ct);

    /// <inheritdoc cref="DeleteAsync(CallerContext, string, CancellationToken)"/>
    public async Task DeleteAsync(EventSubscription subscription, CancellationToken ct)
    {
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.EventSubscriptions.Remove(subscription);
            await db.SaveChangesAsync(ct);
            await GiveUpAsync(Pending(subscription.TenantId, subscription.ClientId), DeletedError, ct);
            await transaction.CommitAsync(ct);
        });
    }

    /// <summary>
    /// The app's subscription by id. Another app's id is answered as an unknown one (400 Resource.NotFound, the
    /// specification's answer for an id in the URL that does not exist): it does not tell the caller that it exists.
    /// </summary>
    private async Task<EventSubscription> FindAsync(CallerContext caller, string id, CancellationToken ct)
    {
        var tenant = await tenants.FindAsync(caller.OrganisationId, ct);
        var subscription = tenant is null
            ? null
            : await db.EventSubscriptions.SingleOrDefaultAsync(s => s.Id == id && s.TenantId == tenant.Id && s.ClientId == caller.ClientId, ct);
        return subscription ?? throw ObieException.NotFound("event subscription", id.Length <= 40 ? id : id[..40] + "…");
    }

    private IQueryable<EventNotification> Pending(Guid tenantId, string clientId)
        => db.EventNotifications.Where(n => n.TenantId == tenantId && n.ClientId == clientId
            && n.State == EventDeliveryState.Pending && n.AcknowledgedAt == null);

    private static Task<int> GiveUpAsync(IQueryable<EventNotification> pending, string why, CancellationToken ct)
        => pending.ExecuteUpdateAsync(s => s
            .SetProperty(n => n.State, EventDeliveryState.Failed)
            .SetProperty(n => n.NextAttemptAt, (DateTime?)null)
            .SetProperty(n => n.LastError, why), ct);

    private static string? Join(IReadOnlyList<string>? types) => types is null ? null : string.Join(' ', types);

    private static ObieException AlreadyExists() => new(StatusCodes.Status409Conflict, "The app already has an event subscription.",
    [
        new ObError(ObieErrorCodes.RulesResourceAlreadyExists,
            "This app already has an event subscription (one per app): change it with PUT /event-subscriptions/{EventSubscriptionId}, or DELETE it first."),
    ]);
}
