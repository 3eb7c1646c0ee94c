using System.Net;
using System.Net.Http.Json;

namespace OpenBanking.Portal.Platform;

/// <summary>
/// The Sandbox's internal events endpoints for one app of one organisation (scope <c>sandbox.internal</c>): its event
/// subscription, delivery log, test events, replays and the verify-my-endpoint check. The Sandbox bounds every call by
/// the organisation's tenant; the Portal checks first that the app is the organisation's.
/// </summary>
public sealed class SandboxEventsClient(HttpClient http)
{
    private static string Base(Guid organisationId, string clientId)
        => $"internal/tenants/{organisationId}/apps/{Uri.EscapeDataString(clientId)}/events";

    /// <summary>The app's subscription; null when it has none.</summary>
    public async Task<EventSubscription?> GetSubscriptionAsync(Guid organisationId, string clientId, CancellationToken ct)
    {
        using var response = await http.GetAsync($"{Base(organisationId, clientId)}/subscription", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<EventSubscription>(ct);
    }

    /// <summary>Creates or changes the subscription.</summary>
    /// <exception cref="PlatformServiceException">Refused; <see cref="PlatformServiceException.Errors"/> names each field (callbackUrl, eventTypes, version).</exception>
    public async Task<EventSubscription> SaveSubscriptionAsync(Guid organisationId, string clientId, EventSubscriptionChange change, CancellationToken ct)
    {
        using var response = await http.PutAsJsonAsync($"{Base(organisationId, clientId)}/subscription", change, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<EventSubscription>(ct))!;
    }

    /// <summary>Deletes the subscription; false when there was none.</summary>
    public async Task<bool> DeleteSubscriptionAsync(Guid organisationId, string clientId, CancellationToken ct)
    {
        using var response = await http.DeleteAsync($"{Base(organisationId, clientId)}/subscription", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return true;
    }

    /// <summary>The delivery log, newest first; <paramref name="before"/> is the previous page's <see cref="EventNotificationPage.NextBefore"/>.</summary>
    public async Task<EventNotificationPage> ListAsync(Guid organisationId, string clientId, EventLogFilter filter, CancellationToken ct)
    {
        var query = new List<string> { $"take={filter.Take}" };
        if (!string.IsNullOrEmpty(filter.State))
        {
            query.Add($"state={Uri.EscapeDataString(filter.State)}");
        }

        if (!string.IsNullOrWhiteSpace(filter.ResourceId))
        {
            query.Add($"resourceId={Uri.EscapeDataString(filter.ResourceId.Trim())}");
        }

        if (filter.Before is { } before)
        {
            query.Add($"before={before}");
        }

        using var response = await http.GetAsync($"{Base(organisationId, clientId)}?{string.Join('&', query)}", ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<EventNotificationPage>(ct))!;
    }

    /// <summary>One notification with its attempts and decoded SET; null when it is not the app's (or gone).</summary>
    public async Task<EventNotificationDetail?> GetAsync(Guid organisationId, string clientId, long id, CancellationToken ct)
    {
        using var response = await http.GetAsync($"{Base(organisationId, clientId)}/{id}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<EventNotificationDetail>(ct);
    }

    /// <exception cref="PlatformServiceException">The app has no callback URL (the message says so).</exception>
    public async Task<EventNotificationSummary> SendTestAsync(Guid organisationId, string clientId, CancellationToken ct)
    {
        using var response = await http.PostAsync($"{Base(organisationId, clientId)}/test", null, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<EventNotificationSummary>(ct))!;
    }

    /// <summary>Queues one notification again; how many were queued (1).</summary>
    public async Task<int> ReplayAsync(Guid organisationId, string clientId, long id, CancellationToken ct)
    {
        using var response = await http.PostAsync($"{Base(organisationId, clientId)}/{id}/replay", null, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<EventReplayed>(ct))!.Queued;
    }

    /// <summary>Queues again every Failed notification created since <paramref name="since"/>; how many.</summary>
    public async Task<int> ReplayFailedAsync(Guid organisationId, string clientId, DateTimeOffset since, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync($"{Base(organisationId, clientId)}/replay", new { Since = since }, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<EventReplayed>(ct))!.Queued;
    }

    /// <summary>Pushes a signed test SET now (to <paramref name="callbackUrl"/>, or the subscription's) and reads the check-list.</summary>
    public async Task<EndpointVerification> VerifyAsync(Guid organisationId, string clientId, string? callbackUrl, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync($"{Base(organisationId, clientId)}/verify", new { CallbackUrl = callbackUrl }, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<EndpointVerification>(ct))!;
    }

    private sealed record EventReplayed(int Queued);
}

/// <summary>An app's event subscription (the Sandbox's <c>SubscriptionView</c>); <see cref="CallbackUrl"/> null: polling only; <see cref="EventTypes"/> null: all.</summary>
public sealed record EventSubscription(
    string SubscriptionId, string? CallbackUrl, IReadOnlyList<string>? EventTypes, string Version, string ApiVersion,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record EventSubscriptionChange(string? CallbackUrl, IReadOnlyList<string>? EventTypes, string? Version);

/// <param name="State">Pending, Delivered, Failed, PollingOnly or Acknowledged (all states when empty).</param>
public sealed record EventLogFilter(string? State = null, string? ResourceId = null, long? Before = null, int Take = 25);

public sealed record EventNotificationSummary(
    long Id, string Jti, string EventType, string ResourceType, string ResourceId, string? ResourceStatus, string State, bool IsTest,
    int Attempts, DateTimeOffset? NextAttemptAt, DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError, string? CallbackUrl,
    string RoundTrigger, DateTimeOffset CreatedAt, DateTimeOffset OccurredAt, DateTimeOffset ExpiresAt, DateTimeOffset? AcknowledgedAt,
    string? SetError = null, string? SetErrorDescription = null);

public sealed record EventNotificationPage(IReadOnlyList<EventNotificationSummary> Items, long? NextBefore);

public sealed record EventDeliveryAttempt(
    long Id, DateTimeOffset AttemptedAt, string CallbackUrl, string InteractionId, int? StatusCode, int LatencyMs, bool EchoedInteractionId,
    string? Error, string Trigger);

/// <param name="Header">Pretty JSON.</param>
/// <param name="Claims">Pretty JSON.</param>
public sealed record DecodedSet(string Token, string Kid, string Header, string Claims, bool SignatureVerified, string? SignatureProblem);

public sealed record EventNotificationDetail(EventNotificationSummary Notification, IReadOnlyList<EventDeliveryAttempt> Attempts, DecodedSet Set);

/// <param name="Passed">True: passed; false: failed; null: not checked.</param>
public sealed record EndpointCheck(string Key, string Title, bool? Passed, string Detail);

public sealed record EndpointVerification(
    bool Passed, string? Url, string? Target, string? InteractionId, int? StatusCode, int? LatencyMs, long? NotificationId,
    IReadOnlyList<EndpointCheck> Checks);
