using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Events;
using OpenBanking.Sandbox.Events.Subscriptions;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Signing;
using OpenBanking.Sandbox.Tenancy;

namespace OpenBanking.Sandbox.Internal;

/// <summary>
/// One app's event notifications for the Portal: its subscription, the delivery log with each SET decoded, test
/// events, replays and the verify-my-endpoint check. The Portal has checked that the app is the organisation's; here
/// every query is bounded by the organisation's tenant and the client id together, so another tenant's rows (even of
/// an app with the same client id) are never read or changed.
/// </summary>
public static class InternalEventsApi
{
    public const int MaxPageSize = 200;

    public static RouteGroupBuilder MapInternalEventsApi(this RouteGroupBuilder internalGroup)
    {
        var group = internalGroup.MapGroup("/tenants/{organisationId}/apps/{clientId}/events");
        group.MapGet("/subscription", GetSubscriptionAsync).WithName("GetAppEventSubscription")
            .WithSummary("The app's event subscription (404 when it has none: nothing is notified)");
        group.MapPut("/subscription", PutSubscriptionAsync).WithName("PutAppEventSubscription")
            .WithSummary("Creates or changes the app's subscription: callback URL (none: polling only), event types (none: all), version");
        group.MapDelete("/subscription", DeleteSubscriptionAsync).WithName("DeleteAppEventSubscription");
        group.MapGet("", ListAsync).WithName("ListAppEventNotifications")
            .WithSummary("The delivery log: the app's notifications newest first, by state and resource, paged by id");
        group.MapGet("/{notificationId:long}", GetAsync).WithName("GetAppEventNotification")
            .WithSummary("One notification: its attempts and its SET decoded, with whether the signature verifies");
        group.MapPost("/test", SendTestAsync).WithName("SendAppTestEvent")
            .WithSummary("Queues a signed test resource-update for the app's callback");
        group.MapPost("/{notificationId:long}/replay", ReplayAsync).WithName("ReplayAppEventNotification");
        group.MapPost("/replay", ReplayFailedAsync).WithName("ReplayFailedAppEventNotifications")
            .WithSummary("Queues again every Failed notification created since a time");
        group.MapPost("/verify", VerifyAsync).WithName("VerifyAppEventEndpoint")
            .WithSummary("Pushes a signed test SET now and answers a check-list of what the endpoint did right");
        return group;
    }

    // ---- Subscription ----

    public sealed record SubscriptionView(
        string SubscriptionId, string? CallbackUrl, IReadOnlyList<string>? EventTypes, string Version, string ApiVersion,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    /// <param name="EventTypes">Null: every type.</param>
    /// <param name="Version">Null: "3.1".</param>
    public sealed record SubscriptionChange(string? CallbackUrl, IReadOnlyList<string>? EventTypes, string? Version);

    public static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> GetSubscriptionAsync(
        string organisationId, string clientId, SandboxDbContext db, CallbackProtection callbacks, CancellationToken ct)
    {
        var tenantId = await TenantIdAsync(db, organisationId, ct);
        var subscription = tenantId is null ? null
            : await db.EventSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == tenantId && s.ClientId == clientId, ct);
        return subscription is null ? NoSubscription() : TypedResults.Ok(View(subscription, callbacks));
    }

    public static async Task<Results<Ok<SubscriptionView>, Created<SubscriptionView>, ValidationProblem>> PutSubscriptionAsync(
        string organisationId, string clientId, SubscriptionChange body, SandboxDbContext db, TenantService tenants, CallbackPolicy policy,
        EventSubscriptionService subscriptions, CallbackProtection callbacks, TimeProvider time, CancellationToken ct)
    {
        var (rules, errors) = EventSubscriptionRules.Check(body.CallbackUrl, body.EventTypes, body.Version, policy);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The subscription cannot be saved.");
        }

        var tenant = await tenants.GetOrCreateAsync(organisationId, ct);
        var subscription = await db.EventSubscriptions.SingleOrDefaultAsync(s => s.TenantId == tenant.Id && s.ClientId == clientId, ct);
        var created = subscription is null;
        if (subscription is null)
        {
            var now = time.GetUtcNow().UtcDateTime;
            subscription = db.EventSubscriptions.Add(new EventSubscription
            {
                Id = EventSubscriptionRules.NewId(),
                TenantId = tenant.Id,
                ClientId = clientId,
                CallbackUrl = callbacks.Protect(rules.CallbackUrl),
                EventTypes = rules.EventTypes,
                Version = rules.Version,
                // The Portal is no API edge: the subscription counts as made through the version it asks for.
                ApiVersion = rules.ApiVersion,
                CreatedAt = now,
                UpdatedAt = now,
            }).Entity;
            await db.SaveChangesAsync(ct);
        }
        else
        {
            // The same change as the API's PUT, so a callback fixed in the Portal also re-points the pushes still waiting.
            await subscriptions.ChangeAsync(subscription, rules.CallbackUrl, rules.Version, rules.EventTypes, rules.ApiVersion, ct);
        }

        var view = View(subscription, callbacks);
        return created ? TypedResults.Created($"/internal/tenants/{organisationId}/apps/{clientId}/events/subscription", view) : TypedResults.Ok(view);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSubscriptionAsync(
        string organisationId, string clientId, SandboxDbContext db, EventSubscriptionService subscriptions, CancellationToken ct)
    {
        var tenantId = await TenantIdAsync(db, organisationId, ct);
        var subscription = tenantId is null ? null
            : await db.EventSubscriptions.SingleOrDefaultAsync(s => s.TenantId == tenantId && s.ClientId == clientId, ct);
        if (subscription is null)
        {
            return NoSubscription();
        }

        // The same as the API's DELETE: what waits to be pushed is left to polling.
        await subscriptions.DeleteAsync(subscription, ct);
        return TypedResults.NoContent();
    }

    // ---- Delivery log ----

    /// <summary>How a notification stands as the log shows it: the push state, or Acknowledged when a poll took it.</summary>
    public enum LogState
    {
        Pending,
        Delivered,
        Failed,
        PollingOnly,
        Acknowledged,
    }

    public sealed record NotificationSummary(
        long Id, string Jti, string EventType, string ResourceType, string ResourceId, string? ResourceStatus, string State, bool IsTest,
        int Attempts, DateTimeOffset? NextAttemptAt, DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError, string? CallbackUrl,
        string RoundTrigger, DateTimeOffset CreatedAt, DateTimeOffset OccurredAt, DateTimeOffset ExpiresAt, DateTimeOffset? AcknowledgedAt,
        string? SetError, string? SetErrorDescription);

    /// <param name="NextBefore">Pass as <c>before</c> for the next (older) page; null on the last page.</param>
    public sealed record NotificationPage(IReadOnlyList<NotificationSummary> Items, long? NextBefore);

    public static async Task<Results<Ok<NotificationPage>, ValidationProblem>> ListAsync(
        string organisationId, string clientId, string? state, string? resourceId, long? before, int? take, SandboxDbContext db, CallbackProtection callbacks,
        CancellationToken ct)
    {
        LogState? wanted = null;
        if (!string.IsNullOrEmpty(state))
        {
            if (!Enum.TryParse<LogState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["state"] = [$"Filter by one of {string.Join(", ", Enum.GetNames<LogState>())}."],
                });
            }

            wanted = parsed;
        }

        var tenantId = await TenantIdAsync(db, organisationId, ct);
        if (tenantId is null)
        {
            return TypedResults.Ok(new NotificationPage([], null));
        }

        var size = Math.Clamp(take ?? 50, 1, MaxPageSize);
        var query = Of(db, tenantId.Value, clientId).AsNoTracking();
        if (before is not null)
        {
            query = query.Where(n => n.Id < before);
        }

        if (!string.IsNullOrWhiteSpace(resourceId))
        {
            var id = resourceId.Trim();
            query = query.Where(n => n.ResourceId == id);
        }

        query = wanted switch
        {
            LogState.Acknowledged => query.Where(n => n.AcknowledgedAt != null && n.State != EventDeliveryState.Delivered),
            LogState.Delivered => query.Where(n => n.State == EventDeliveryState.Delivered),
            LogState.Pending => query.Where(n => n.State == EventDeliveryState.Pending && n.AcknowledgedAt == null),
            LogState.Failed => query.Where(n => n.State == EventDeliveryState.Failed && n.AcknowledgedAt == null),
            LogState.PollingOnly => query.Where(n => n.State == EventDeliveryState.PollingOnly && n.AcknowledgedAt == null),
            _ => query,
        };
        var rows = await query.OrderByDescending(n => n.Id).Take(size + 1).ToListAsync(ct);
        var items = rows.Take(size).Select(n => Summary(n, callbacks)).ToList();
        return TypedResults.Ok(new NotificationPage(items, rows.Count > size ? items[^1].Id : null));
    }

    public sealed record AttemptView(
        long Id, DateTimeOffset AttemptedAt, string CallbackUrl, string InteractionId, int? StatusCode, int LatencyMs, bool EchoedInteractionId,
        string? Error, string Trigger);

    /// <param name="Header">The JOSE header, pretty JSON.</param>
    /// <param name="Claims">The claims, pretty JSON.</param>
    /// <param name="SignatureProblem">Why the signature does not verify, in words; null when it does.</param>
    public sealed record DecodedSet(string Token, string Kid, string Header, string Claims, bool SignatureVerified, string? SignatureProblem);

    public sealed record NotificationDetail(NotificationSummary Notification, IReadOnlyList<AttemptView> Attempts, DecodedSet Set);

    public static async Task<Results<Ok<NotificationDetail>, ProblemHttpResult>> GetAsync(
        string organisationId, string clientId, long notificationId, SandboxDbContext db, BankSigningKeys keys, CallbackProtection callbacks, CancellationToken ct)
    {
        var tenantId = await TenantIdAsync(db, organisationId, ct);
        var notification = tenantId is null ? null
            : await Of(db, tenantId.Value, clientId).AsNoTracking().Include(n => n.DeliveryAttempts).SingleOrDefaultAsync(n => n.Id == notificationId, ct);
        if (notification is null)
        {
            return NoNotification();
        }

        var attempts = notification.DeliveryAttempts.OrderByDescending(a => a.Id)
            .Select(a => new AttemptView(a.Id, Utc(a.AttemptedAt), callbacks.Reveal(a.CallbackUrl)!, a.InteractionId, a.StatusCode, a.LatencyMs, a.EchoedInteractionId, a.Error, a.Trigger.ToString()))
            .ToList();
        return TypedResults.Ok(new NotificationDetail(Summary(notification, callbacks), attempts, await DecodeAsync(notification, keys, ct)));
    }

    // ---- Test events and replays ----

    public static async Task<Results<Created<NotificationSummary>, ProblemHttpResult>> SendTestAsync(
        string organisationId, string clientId, SandboxDbContext db, SecurityEventTokens tokens, EventSignal signal, IOptions<EventOptions> options,
        CallbackProtection callbacks, TimeProvider time, CancellationToken ct)
    {
        var tenantId = await TenantIdAsync(db, organisationId, ct);
        var subscription = tenantId is null ? null
            : await db.EventSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == tenantId && s.ClientId == clientId, ct);
        if (subscription?.CallbackUrl is null)
        {
            // Polling never returns test events, so a test without a callback would reach nobody.
            return NoCallback("send a test event");
        }

        var notification = await NewTestAsync(tenantId!.Value, clientId, subscription.CallbackUrl, subscription.Version, tokens, options.Value, time, ct);
        Queue(notification, EventAttemptTrigger.Test, time.GetUtcNow().UtcDateTime);
        db.EventNotifications.Add(notification);
        await db.SaveChangesAsync(ct);
        signal.Notifications.Set();
        return TypedResults.Created($"/internal/tenants/{organisationId}/apps/{clientId}/events/{notification.Id}", Summary(notification, callbacks));
    }

    public sealed record Replayed(int Queued);

    public static async Task<Results<Ok<Replayed>, ProblemHttpResult>> ReplayAsync(
        string organisationId, string clientId, long notificationId, SandboxDbContext db, EventSignal signal, TimeProvider time, CancellationToken ct)
    {
        var tenantId = await TenantIdAsync(db, organisationId, ct);
        var notification = tenantId is null ? null : await Of(db, tenantId.Value, clientId).SingleOrDefaultAsync(n => n.Id == notificationId, ct);
        if (notification is null)
        {
            return NoNotification();
        }

        var callback = await CallbackUrlAsync(db, tenantId!.Value, clientId, ct);
        if (callback is null)
        {
            return NoCallback("replay a notification");
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (notification.ExpiresAt <= now)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "This notification has expired.",
                detail: $"It expired at {notification.ExpiresAt:u}: the bank neither pushes nor returns a notification after its retention.");
        }

        // A replay is the partner asking for it again, so even a delivered or acknowledged one is pushed (to the callback
        // the app has now, which may be fixed since): it counts as unacknowledged again until the next 202 or ack.
        notification.AcknowledgedAt = null;
        notification.SetError = null;
        notification.SetErrorDescription = null;
        notification.CallbackUrl = callback;
        Queue(notification, EventAttemptTrigger.Replay, now);
        await db.SaveChangesAsync(ct);
        signal.Notifications.Set();
        return TypedResults.Ok(new Replayed(1));
    }

    public sealed record ReplayFailed(DateTimeOffset? Since);

    public static async Task<Results<Ok<Replayed>, ProblemHttpResult, ValidationProblem>> ReplayFailedAsync(
        string organisationId, string clientId, ReplayFailed body, SandboxDbContext db, EventSignal signal, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (body.Since is not { } since)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["since"] = ["Say since when: failed notifications created from then on are sent again."] });
        }

        if (since.UtcDateTime > now)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["since"] = ["Choose a time in the past."] });
        }

        var tenantId = await TenantIdAsync(db, organisationId, ct);
        var callback = tenantId is null ? null : await CallbackUrlAsync(db, tenantId.Value, clientId, ct);
        if (callback is null)
        {
            return NoCallback("replay notifications");
        }

        var from = since.UtcDateTime;
        // Failed and still unacknowledged (a poll may have taken one since) and still within retention.
        var queued = await Of(db, tenantId!.Value, clientId)
            .Where(n => n.State == EventDeliveryState.Failed && n.AcknowledgedAt == null && n.CreatedAt >= from && n.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(n => n.State, EventDeliveryState.Pending)
                .SetProperty(n => n.CallbackUrl, callback)
                .SetProperty(n => n.NextAttemptAt, now)
                .SetProperty(n => n.RoundStartedAt, now)
                .SetProperty(n => n.RoundTrigger, EventAttemptTrigger.Replay), ct);
        if (queued > 0)
        {
            signal.Notifications.Set();
        }

        return TypedResults.Ok(new Replayed(queued));
    }

    // ---- Verify my endpoint ----

    /// <param name="CallbackUrl">The URL to check; null for the subscription's.</param>
    public sealed record VerifyRequest(string? CallbackUrl);

    /// <param name="Passed">True: passed; false: failed; null: not checked (an earlier step failed).</param>
    /// <param name="Detail">What happened and, when it failed, how to fix it.</param>
    public sealed record VerifyCheck(string Key, string Title, bool? Passed, string Detail);

    public sealed record VerifyResult(
        bool Passed, string? Url, string? Target, string? InteractionId, int? StatusCode, int? LatencyMs, long? NotificationId,
        IReadOnlyList<VerifyCheck> Checks);

    public static async Task<Ok<VerifyResult>> VerifyAsync(
        string organisationId, string clientId, VerifyRequest body, SandboxDbContext db, TenantService tenants, CallbackPolicy policy,
        CallbackSender sender, SecurityEventTokens tokens, IOptions<EventOptions> options, CallbackProtection callbacks, TimeProvider time, CancellationToken ct)
    {
        var tenantId = await TenantIdAsync(db, organisationId, ct);
        var subscription = tenantId is null ? null
            : await db.EventSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == tenantId && s.ClientId == clientId, ct);
        var url = string.IsNullOrWhiteSpace(body.CallbackUrl) ? callbacks.Reveal(subscription?.CallbackUrl) : body.CallbackUrl.Trim();
        var problem = url is null
            ? "There is no URL to check: enter one, or set a callback URL on the subscription."
            : policy.Problem(url);
        if (problem is not null)
        {
            return TypedResults.Ok(EndpointChecks.Refused(url, problem));
        }

        tenantId ??= (await tenants.GetOrCreateAsync(organisationId, ct)).Id;
        var notification = await NewTestAsync(tenantId.Value, clientId, callbacks.Protect(url)!, subscription?.Version ?? "3.1", tokens, options.Value, time, ct);
        var result = await sender.SendAsync(url!, notification.Set, cancellationToken: ct);
        var now = time.GetUtcNow().UtcDateTime;
        // Recorded as a test delivery that already happened: one attempt, no retries (the check is the answer).
        notification.State = result.Delivered ? EventDeliveryState.Delivered : EventDeliveryState.Failed;
        notification.RoundTrigger = EventAttemptTrigger.Test;
        notification.RoundStartedAt = now;
        notification.Attempts = 1;
        notification.LastAttemptAt = now;
        notification.LastStatusCode = result.StatusCode;
        notification.LastError = Truncate(result.Error, 500);
        notification.AcknowledgedAt = result.Delivered ? now : null;
        notification.DeliveryAttempts.Add(new EventDeliveryAttempt
        {
            AttemptedAt = now,
            CallbackUrl = callbacks.Protect(result.Target.ToString())!,
            InteractionId = result.InteractionId,
            StatusCode = result.StatusCode,
            LatencyMs = (int)Math.Min(int.MaxValue, result.Latency.TotalMilliseconds),
            EchoedInteractionId = result.EchoedInteractionId,
            Error = Truncate(result.Error, 500),
            Trigger = EventAttemptTrigger.Test,
        });
        db.EventNotifications.Add(notification);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(EndpointChecks.From(url!, result, options.Value.DeliveryTimeout, notification.Id));
    }

    // ---- Helpers ----

    private static IQueryable<EventNotification> Of(SandboxDbContext db, Guid tenantId, string clientId)
        => db.EventNotifications.Where(n => n.TenantId == tenantId && n.ClientId == clientId);

    private static Task<Guid?> TenantIdAsync(SandboxDbContext db, string organisationId, CancellationToken ct)
        => db.Tenants.AsNoTracking().Where(t => t.OrganisationId == organisationId).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(ct);

    private static Task<string?> CallbackUrlAsync(SandboxDbContext db, Guid tenantId, string clientId, CancellationToken ct)
        => db.EventSubscriptions.AsNoTracking().Where(s => s.TenantId == tenantId && s.ClientId == clientId).Select(s => s.CallbackUrl).SingleOrDefaultAsync(ct);

    /// <summary>Queues a push as the deliverer expects (PREAMBLE contract): attempts are kept, a new round starts now.</summary>
    private static void Queue(EventNotification notification, EventAttemptTrigger trigger, DateTime now)
    {
        notification.State = EventDeliveryState.Pending;
        notification.NextAttemptAt = now;
        notification.RoundStartedAt = now;
        notification.RoundTrigger = trigger;
    }

    /// <summary>A signed resource-update about a made-up domestic payment, as real ones look, marked as a test.</summary>
    private static async Task<EventNotification> NewTestAsync(
        Guid tenantId, string clientId, string callbackUrl, string subscriptionVersion, SecurityEventTokens tokens, EventOptions options,
        TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var jti = Guid.NewGuid().ToString();
        var resource = EventResources.Of(OutboxResource.DomesticPayment)!;
        var resourceId = "test-" + Guid.NewGuid().ToString("N")[..16];
        var version = EventSubscriptionRules.ApiVersionOf(subscriptionVersion);
        var links = EventResources.ReadableVersions(resource, version)
            .Select(v => new SetLink(EventResources.LinkVersion(v), tokens.Issuer + v.BasePath() + resource.PathOf(resourceId)))
            .ToList();
        var claims = new SetClaims(jti, clientId, EventTypes.ResourceUpdate, resource.Type, resourceId,
            tokens.Issuer + version.BasePath() + resource.PathOf(resourceId), links, $"{resourceId}:1", now, now);
        var signed = await tokens.SignAsync(claims, ct);
        return new EventNotification
        {
            Jti = jti,
            TenantId = tenantId,
            ClientId = clientId,
            EventType = EventTypes.ResourceUpdate,
            ResourceType = resource.Type,
            ResourceId = resourceId,
            ResourceStatus = "AcceptedSettlementCompleted",
            IsTest = true,
            Set = signed.Token,
            Kid = signed.Kid,
            OccurredAt = now.UtcDateTime,
            CreatedAt = now.UtcDateTime,
            ExpiresAt = now.UtcDateTime + options.Retention,
            CallbackUrl = callbackUrl,
            State = EventDeliveryState.Pending,
        };
    }

    private static async Task<DecodedSet> DecodeAsync(EventNotification notification, BankSigningKeys keys, CancellationToken ct)
    {
        string header, claims;
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(notification.Set);
            header = Pretty(Base64UrlEncoder.Decode(token.EncodedHeader));
            claims = Pretty(Base64UrlEncoder.Decode(token.EncodedPayload));
        }
        catch (Exception exception) when (exception is ArgumentException or SecurityTokenMalformedException or JsonException or FormatException)
        {
            return new DecodedSet(notification.Set, notification.Kid, "", "", false, "The stored token cannot be decoded.");
        }

        var key = await keys.PublicKeyAsync(token.Kid ?? notification.Kid, ct);
        if (key is null)
        {
            return new DecodedSet(notification.Set, notification.Kid, header, claims, false, $"The bank has no key {token.Kid} any more.");
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(notification.Set, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidAlgorithms = [BankSigningKeys.Algorithm],
            ValidTypes = [SecurityEventTokens.TokenType],
            // Only the signature is in question here: a SET has no exp, and its issuer and audience are the bank's own.
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
        return new DecodedSet(notification.Set, notification.Kid, header, claims, result.IsValid,
            result.IsValid ? null : $"The signature does not verify against key {token.Kid}: {result.Exception?.Message}");
    }

    private static readonly JsonSerializerOptions PrettyJson = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string Pretty(string json) => JsonNode.Parse(json)?.ToJsonString(PrettyJson) ?? json;

    private static NotificationSummary Summary(EventNotification n, CallbackProtection callbacks) => new(
        n.Id, n.Jti, n.EventType, n.ResourceType, n.ResourceId, n.ResourceStatus, StateOf(n).ToString(), n.IsTest, n.Attempts,
        n.State == EventDeliveryState.Pending ? Utc(n.NextAttemptAt) : null, Utc(n.LastAttemptAt), n.LastStatusCode, n.LastError, callbacks.Reveal(n.CallbackUrl),
        n.RoundTrigger.ToString(), Utc(n.CreatedAt), Utc(n.OccurredAt), Utc(n.ExpiresAt), Utc(n.AcknowledgedAt), n.SetError, n.SetErrorDescription);

    private static LogState StateOf(EventNotification n) => n.State switch
    {
        EventDeliveryState.Delivered => LogState.Delivered,
        _ when n.AcknowledgedAt is not null => LogState.Acknowledged,
        EventDeliveryState.Pending => LogState.Pending,
        EventDeliveryState.Failed => LogState.Failed,
        _ => LogState.PollingOnly,
    };

    private static SubscriptionView View(EventSubscription s, CallbackProtection callbacks) => new(
        s.Id, callbacks.Reveal(s.CallbackUrl), s.EventTypeList, s.Version, s.ApiVersion, Utc(s.CreatedAt), Utc(s.UpdatedAt));

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? Utc(v) : null;

    private static string? Truncate(string? text, int length) => text is null || text.Length <= length ? text : text[..length];

    private static ProblemHttpResult NoSubscription() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: "The app has no event subscription.", detail: "Nothing is notified to it. Create a subscription to receive events by callback or polling.");

    private static ProblemHttpResult NoNotification() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: "No such notification for this app.", detail: "It may have been removed by a sandbox reset or after its retention.");

    private static ProblemHttpResult NoCallback(string what) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
        title: "The app has no callback URL.",
        detail: $"Set a callback URL on the app's event subscription to {what}: without one the bank only answers polls.");
}

/// <summary>The verify-my-endpoint check-list: what a push got back, item by item, with how to fix what failed.</summary>
public static class EndpointChecks
{
    public const string Url = "url";
    public const string Connected = "connected";
    public const string Accepted = "accepted";
    public const string Timely = "timely";
    public const string Echoed = "echoed";
    public const string NoRedirect = "no-redirect";

    public static InternalEventsApi.VerifyResult Refused(string? url, string problem) => new(false, url, null, null, null, null, null,
    [
        new(Url, "URL accepted", false, problem),
        new(Connected, "Connected", null, "Not tried: the URL was not accepted."),
        new(Accepted, "Answered 202 Accepted", null, "Not tried."),
        new(Timely, "Answered within the timeout", null, "Not tried."),
        new(Echoed, "Echoed x-fapi-interaction-id", null, "Not tried."),
        new(NoRedirect, "No redirect", null, "Not tried."),
    ]);

    public static InternalEventsApi.VerifyResult From(string url, CallbackResult result, TimeSpan timeout, long notificationId)
    {
        var answered = result.StatusCode is not null;
        var status = result.StatusCode ?? 0;
        var latency = (int)result.Latency.TotalMilliseconds;
        var limit = $"{timeout.TotalSeconds:0.#} s";
        var timedOut = !answered && result.Error?.StartsWith("No answer within", StringComparison.Ordinal) == true;
        var checks = new List<InternalEventsApi.VerifyCheck>
        {
            new(Url, "URL accepted", true, $"The bank POSTs SETs to {result.Target}."),
            answered
                ? new(Connected, "Connected", true, $"Connected to {result.Target.Authority}.")
                : new(Connected, "Connected", timedOut ? null : false, timedOut
                    ? "No answer came, so whether it connected is not known."
                    : $"{result.Error} Check that the server is running, reachable from the bank and that its certificate is valid."),
            !answered
                ? new(Accepted, "Answered 202 Accepted", timedOut ? false : null, timedOut ? "No answer came in time. Answer 202 as soon as the SET arrives." : "Not checked: no connection.")
                : status == 202
                    ? new(Accepted, "Answered 202 Accepted", true, "Answered 202 Accepted.")
                    : status is >= 200 and < 300
                        ? new(Accepted, "Answered 202 Accepted", false, $"Answered {status}: the bank counts any 2xx as delivered, but the specification asks for 202 Accepted. Answer 202 with no body.")
                        : new(Accepted, "Answered 202 Accepted", false, $"Answered {status}. Accept the POST (Content-Type application/jwt) at {result.Target.AbsolutePath} and answer 202 with no body; verify the SET afterwards, not before answering."),
            answered
                ? new(Timely, "Answered within the timeout", true, $"Answered in {latency} ms (the bank waits at most {limit}).")
                : new(Timely, "Answered within the timeout", timedOut ? false : null, timedOut
                    ? $"No answer within {limit}. Answer 202 at once and do the work afterwards (queue the SET)."
                    : "Not checked: no connection."),
            !answered
                ? new(Echoed, "Echoed x-fapi-interaction-id", null, "Not checked: no answer.")
                : result.EchoedInteractionId
                    ? new(Echoed, "Echoed x-fapi-interaction-id", true, $"Echoed {result.InteractionId}.")
                    : new(Echoed, "Echoed x-fapi-interaction-id", false, $"The answer did not carry x-fapi-interaction-id: {result.InteractionId}. Copy the request's header into the answer, so both sides can trace the delivery."),
            !answered
                ? new(NoRedirect, "No redirect", null, "Not checked: no answer.")
                : status is >= 300 and < 400
                    ? new(NoRedirect, "No redirect", false, $"Answered {status}, a redirect the bank does not follow. Register the final URL as the callback.")
                    : new(NoRedirect, "No redirect", true, "Answered without redirecting."),
        };
        return new(checks.All(c => c.Passed == true), url, result.Target.ToString(), result.InteractionId, result.StatusCode, latency, notificationId, checks);
    }
}
