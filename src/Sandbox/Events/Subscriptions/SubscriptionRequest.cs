using System.Text.Json;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Events.Subscriptions;

/// <summary>What a partner asks of its subscription: a callback (null: polling only), a version, event types (null: all).</summary>
public sealed record SubscriptionRequest(string? CallbackUrl, string Version, IReadOnlyList<string>? EventTypes);

/// <summary>
/// Reads <c>OBEventSubscription1</c> (POST) and <c>OBEventSubscriptionResponse1</c> (PUT) and collects every problem
/// at once (<see cref="ObieValidator"/>). Members the schema does not name are refused rather than ignored: a
/// misspelt <c>CallbackURL</c> silently dropped would leave a partner polling without knowing why.
/// </summary>
public static class SubscriptionRequests
{
    public const int MaxVersionLength = 10;

    public static SubscriptionRequest ParseCreate(JsonElement root, CallbackPolicy policy)
        => Parse(root, policy, pathId: null);

    /// <summary>A PUT's body: the whole subscription again, its <c>EventSubscriptionId</c> the one in the path.</summary>
    public static SubscriptionRequest ParseChange(JsonElement root, CallbackPolicy policy, string pathId)
        => Parse(root, policy, pathId);

    private static SubscriptionRequest Parse(JsonElement root, CallbackPolicy policy, string? pathId)
    {
        var v = new ObieValidator();
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.FieldInvalid, "The body must be a JSON object with Data.", "Data"));
        }

        // PUT's schema is the response's: Links and Meta may come back as they were read.
        if (pathId is null)
        {
            v.Only(root, "", "Data");
        }
        else
        {
            v.Only(root, "", "Data", "Links", "Meta");
        }

        string[] allowed = pathId is null ? ["CallbackUrl", "Version", "EventTypes"] : ["EventSubscriptionId", "CallbackUrl", "Version", "EventTypes"];
        var data = v.Object(root, "Data", "Data", required: true, allowed);
        if (data is not { } d)
        {
            v.ThrowIfAny();
            throw new InvalidOperationException("Unreachable: a missing Data is an error.");
        }

        if (pathId is not null)
        {
            var id = v.String(d, "EventSubscriptionId", "Data.EventSubscriptionId", required: true, 40);
            if (id is not null && !string.Equals(id, pathId, StringComparison.Ordinal))
            {
                v.Add(ObieErrorCodes.FieldInvalid, $"EventSubscriptionId '{id}' is not the one in the path ('{pathId}').", "Data.EventSubscriptionId");
            }
        }

        var version = v.String(d, "Version", "Data.Version", required: true, MaxVersionLength);
        if (version is not null && !EventSubscriptionRules.IsVersion(version))
        {
            v.Add(ObieErrorCodes.FieldInvalid, "Version must name the event notification version, e.g. \"3.1\" or \"4.0\" (also \"v3.1\", \"3.1.11\", \"v4.0\").", "Data.Version");
        }

        var callbackUrl = v.String(d, "CallbackUrl", "Data.CallbackUrl", required: false, CallbackPolicy.MaxLength);
        if (callbackUrl is not null && policy.Problem(callbackUrl) is { } problem)
        {
            v.Add(ObieErrorCodes.FieldInvalid, problem, "Data.CallbackUrl");
        }

        var eventTypes = EventTypeList(v, d);
        v.ThrowIfAny();
        return new SubscriptionRequest(callbackUrl, version!, eventTypes);
    }

    private static List<string>? EventTypeList(ObieValidator v, JsonElement data)
    {
        if (!data.TryGetProperty("EventTypes", out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            v.Add(ObieErrorCodes.FieldInvalid, "EventTypes must be an array of event type URNs (leave it out for every type).", "Data.EventTypes");
            return null;
        }

        // An empty list would mean "nothing" while an absent one means "everything": refused, so the two cannot be confused.
        if (value.GetArrayLength() == 0)
        {
            v.Add(ObieErrorCodes.FieldInvalid, "EventTypes must name at least one event type; leave it out to receive every type.", "Data.EventTypes");
            return null;
        }

        var types = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var path = $"Data.EventTypes[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                v.Add(ObieErrorCodes.FieldInvalid, "Each event type must be a string.", path);
            }
            else if (item.GetString() is var type && !EventTypes.IsKnown(type!))
            {
                v.Add(ObieErrorCodes.UnsupportedEventType,
                    $"'{Shorten(type!)}' is not an event type this bank notifies; use {string.Join(", ", EventTypes.All)}.", path);
            }
            else if (types.Contains(type!, StringComparer.Ordinal))
            {
                v.Add(ObieErrorCodes.FieldInvalid, $"'{type}' is listed twice.", path);
            }
            else
            {
                types.Add(type!);
            }
        }

        return types;
    }

    // Error messages are at most 500 characters (OBError1.Message).
    private static string Shorten(string value) => value.Length <= 100 ? value : value[..100] + "…";

}
