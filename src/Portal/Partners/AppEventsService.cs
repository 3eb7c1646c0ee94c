using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Partners;

/// <summary>
/// One app's event notifications as its team sees them in the Portal: the subscription, the delivery log, test events,
/// replays and the verify-my-endpoint check. An interface so the events area can be tested without the platform.
/// Every refusal is a <see cref="PortalRefusalException"/> written for the person.
/// </summary>
public interface IAppEvents
{
    /// <summary>Null: the app has no subscription (nothing is notified to it).</summary>
    Task<EventSubscription?> SubscriptionAsync(string clientId, CancellationToken ct = default);

    /// <summary>Owners and developers; every problem of the change at once (fields callbackUrl, eventTypes, version).</summary>
    Task<EventSubscription> SaveSubscriptionAsync(string clientId, EventSubscriptionChange change, CancellationToken ct = default);

    Task DeleteSubscriptionAsync(string clientId, CancellationToken ct = default);

    Task<EventNotificationPage> LogAsync(string clientId, EventLogFilter filter, CancellationToken ct = default);

    /// <summary>Null when the notification is not the app's or is gone.</summary>
    Task<EventNotificationDetail?> DetailAsync(string clientId, long id, CancellationToken ct = default);

    Task<EventNotificationSummary> SendTestAsync(string clientId, CancellationToken ct = default);

    /// <summary>How many were queued.</summary>
    Task<int> ReplayAsync(string clientId, long id, CancellationToken ct = default);

    /// <summary>Every failed notification created since <paramref name="since"/>, queued again; how many.</summary>
    Task<int> ReplayFailedAsync(string clientId, DateTimeOffset since, CancellationToken ct = default);

    /// <param name="callbackUrl">Null: the subscription's callback URL.</param>
    Task<EndpointVerification> VerifyAsync(string clientId, string? callbackUrl, CancellationToken ct = default);
}

/// <summary>
/// <see cref="IAppEvents"/> through the Sandbox's internal events API. The organisation sent is always the signed-in
/// member's, and the app must be one of its apps; changes need an owner or developer and are written to the audit log
/// (subscription edits, test events, replays and endpoint checks all reach the partner's endpoint or change what it gets).
/// </summary>
public sealed class AppEventsService(CurrentPartner current, IDbContextFactory<PortalDbContext> dbFactory, SandboxEventsClient events, TimeProvider clock)
    : IAppEvents
{
    public async Task<EventSubscription?> SubscriptionAsync(string clientId, CancellationToken ct = default)
    {
        var organisation = await ReadAsync(clientId, ct);
        return await CallAsync(() => events.GetSubscriptionAsync(organisation.Id, clientId, ct));
    }

    public async Task<EventSubscription> SaveSubscriptionAsync(string clientId, EventSubscriptionChange change, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (context, app) = await ChangeAsync(db, clientId, "change event subscriptions", ct);
        var before = await CallAsync(() => events.GetSubscriptionAsync(app.OrganisationId, clientId, ct));
        var saved = await CallAsync(() => events.SaveSubscriptionAsync(app.OrganisationId, clientId, change, ct));
        Record(db, context, AuditActions.AppEventSubscriptionSaved, app, before is null ? null : Snapshot(before), Snapshot(saved));
        await db.SaveChangesAsync(ct);
        return saved;
    }

    public async Task DeleteSubscriptionAsync(string clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (context, app) = await ChangeAsync(db, clientId, "change event subscriptions", ct);
        var before = await CallAsync(() => events.GetSubscriptionAsync(app.OrganisationId, clientId, ct));
        if (before is null || !await CallAsync(() => events.DeleteSubscriptionAsync(app.OrganisationId, clientId, ct)))
        {
            throw new PortalNotFoundException("The app has no event subscription.");
        }

        Record(db, context, AuditActions.AppEventSubscriptionDeleted, app, Snapshot(before), null);
        await db.SaveChangesAsync(ct);
    }

    public async Task<EventNotificationPage> LogAsync(string clientId, EventLogFilter filter, CancellationToken ct = default)
    {
        var organisation = await ReadAsync(clientId, ct);
        return await CallAsync(() => events.ListAsync(organisation.Id, clientId, filter, ct));
    }

    public async Task<EventNotificationDetail?> DetailAsync(string clientId, long id, CancellationToken ct = default)
    {
        var organisation = await ReadAsync(clientId, ct);
        return await CallAsync(() => events.GetAsync(organisation.Id, clientId, id, ct));
    }

    public async Task<EventNotificationSummary> SendTestAsync(string clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (context, app) = await ChangeAsync(db, clientId, "send test events", ct);
        var sent = await CallAsync(() => events.SendTestAsync(app.OrganisationId, clientId, ct));
        Record(db, context, AuditActions.AppEventTestSent, app, null, AuditTrail.Snapshot(new { sent.Id, sent.Jti, CallbackUrl = CallbackForAudit(sent.CallbackUrl) }));
        await db.SaveChangesAsync(ct);
        return sent;
    }

    public async Task<int> ReplayAsync(string clientId, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (context, app) = await ChangeAsync(db, clientId, "replay event deliveries", ct);
        var queued = await CallAsync(() => events.ReplayAsync(app.OrganisationId, clientId, id, ct));
        Record(db, context, AuditActions.AppEventsReplayed, app, null, AuditTrail.Snapshot(new { NotificationId = id, Queued = queued }));
        await db.SaveChangesAsync(ct);
        return queued;
    }

    public async Task<int> ReplayFailedAsync(string clientId, DateTimeOffset since, CancellationToken ct = default)
    {
        if (since > clock.GetUtcNow())
        {
            throw new PortalValidationException("since", "Choose a time in the past.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (context, app) = await ChangeAsync(db, clientId, "replay event deliveries", ct);
        var queued = await CallAsync(() => events.ReplayFailedAsync(app.OrganisationId, clientId, since, ct));
        Record(db, context, AuditActions.AppEventsReplayed, app, null, AuditTrail.Snapshot(new { FailedSince = since, Queued = queued }));
        await db.SaveChangesAsync(ct);
        return queued;
    }

    public async Task<EndpointVerification> VerifyAsync(string clientId, string? callbackUrl, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (context, app) = await ChangeAsync(db, clientId, "verify event endpoints", ct);
        var result = await CallAsync(() => events.VerifyAsync(app.OrganisationId, clientId, string.IsNullOrWhiteSpace(callbackUrl) ? null : callbackUrl.Trim(), ct));
        Record(db, context, AuditActions.AppEventEndpointVerified, app, null, AuditTrail.Snapshot(new { Url = CallbackForAudit(result.Url), result.Passed, result.StatusCode, result.NotificationId }));
        await db.SaveChangesAsync(ct);
        return result;
    }

    private static string Snapshot(EventSubscription subscription)
        => AuditTrail.Snapshot(new { CallbackUrl = CallbackForAudit(subscription.CallbackUrl), subscription.EventTypes, subscription.Version });

    /// <summary>
    /// The audit keeps where a callback points (its origin) and a fingerprint of the whole URL, enough to see that it
    /// changed, but not its path, which may carry the partner's own webhook secret (the Sandbox keeps it encrypted).
    /// </summary>
    internal static string? CallbackForAudit(string? url)
    {
        if (url is null)
        {
            return null;
        }

        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)).AsSpan(0, 6));
        return Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? $"{uri.GetLeftPart(UriPartial.Authority)}/... (sha256 {fingerprint})"
            : $"(sha256 {fingerprint})";
    }

    private void Record(PortalDbContext db, PartnerContext context, string action, PartnerApp app, string? before, string? after)
        => AuditTrail.Record(db, clock.GetUtcNow(), context.Actor, context.Role.ToString(), action, nameof(PartnerApp), app.ClientId, app.OrganisationId, before, after);

    /// <summary>The member's organisation, when the app is one of its apps (another organisation's app is "not found").</summary>
    private async Task<Organisation> ReadAsync(string clientId, CancellationToken ct)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var organisation = (await CurrentPartner.LoadAsync(db, actor, ct)).RequireOrganisation();
        if (!await db.Apps.AnyAsync(a => a.ClientId == clientId && a.OrganisationId == organisation.Id, ct))
        {
            throw new PortalNotFoundException("No such app in your organisation.");
        }

        return organisation;
    }

    private async Task<(PartnerContext Context, PartnerApp App)> ChangeAsync(PortalDbContext db, string clientId, string what, CancellationToken ct)
    {
        var actor = await current.GetActorAsync();
        var context = await CurrentPartner.LoadAsync(db, actor, ct);
        var organisation = context.RequireOrganisation();
        var app = await db.Apps.AsNoTracking().SingleOrDefaultAsync(a => a.ClientId == clientId && a.OrganisationId == organisation.Id, ct)
            ?? throw new PortalNotFoundException("No such app in your organisation.");
        context.Require(TeamRole.Developer, what);
        return (context, app);
    }

    /// <summary>The Sandbox's refusals become the Portal's, in its words: field errors stay on their fields.</summary>
    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (PlatformServiceException refusal)
        {
            throw refusal.Errors.Count > 0 ? new PortalValidationException(refusal.Errors) : new PortalValidationException("", refusal.Message);
        }
        catch (HttpRequestException)
        {
            throw new PortalValidationException("", "The sandbox bank could not be reached; try again in a moment.");
        }
    }
}
