using System.Text.Json.Serialization;
using OpenBanking.Sandbox.Events.Polling;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Events.Subscriptions;

/// <summary>A subscription as both versions' <c>OBEventSubscriptionResponse1</c> and <c>OBEventSubscriptionsResponse1</c> show it.</summary>
public sealed record EventSubscriptionData(string EventSubscriptionId, string? CallbackUrl, string Version, IReadOnlyList<string>? EventTypes)
{
    /// <summary>Event types as the partner sent them; left out when it asked for all (as it left them out).</summary>
    public static EventSubscriptionData From(EventSubscription s, CallbackProtection callbacks) => new(s.Id, callbacks.Reveal(s.CallbackUrl), s.Version, s.EventTypeList);
}

/// <summary>OBEventSubscriptionResponse1.</summary>
public sealed record EventSubscriptionResponse(EventSubscriptionData Data, Links Links, Meta Meta);

public sealed record EventSubscriptionsData(IReadOnlyList<EventSubscriptionData> EventSubscription);

/// <summary>OBEventSubscriptionsResponse1.</summary>
public sealed record EventSubscriptionsResponse(EventSubscriptionsData Data, Links Links, Meta Meta);

/// <summary>
/// Serialization code for the Events API's answers, generated at build time, with the conventions of
/// <see cref="ObieApi.JsonOptions"/> (names as declared, nulls left out).
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventSubscriptionResponse))]
[JsonSerializable(typeof(EventSubscriptionsResponse))]
[JsonSerializable(typeof(EventPollingResponse))]
internal sealed partial class EventsJsonContext : JsonSerializerContext;
