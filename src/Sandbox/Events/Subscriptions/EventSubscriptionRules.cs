using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Events.Subscriptions;

/// <summary>
/// The rules a subscription's fields follow, in one place for the Portal's internal API and the public
/// event-subscriptions API: the callback URL (SSRF rules of <see cref="CallbackPolicy"/>), known event types, and the
/// version ("3.1", "v3.1", "3.1.x", "4.0", "v4.0"; at most 10 characters; "3.1" when left out).
/// </summary>
public static class EventSubscriptionRules
{
    public const string DefaultVersion = "3.1";
    public const int MaxVersionLength = 10;

    /// <summary>A subscription's fields as stored: callback null for polling only, event types null for all.</summary>
    public sealed record Accepted(string? CallbackUrl, string? EventTypes, string Version, string ApiVersion);

    /// <summary>Every problem at once, by field name (camelCase); the accepted values when there is none.</summary>
    public static (Accepted Accepted, Dictionary<string, string[]> Errors) Check(
        string? callbackUrl, IReadOnlyList<string>? eventTypes, string? version, CallbackPolicy policy)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var callback = string.IsNullOrWhiteSpace(callbackUrl) ? null : callbackUrl.Trim();
        if (callback is not null && policy.Problem(callback) is { } problem)
        {
            errors["callbackUrl"] = [problem];
        }

        string? types = null;
        if (eventTypes is not null)
        {
            var distinct = eventTypes.Select(t => t?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
            var unknown = distinct.Where(t => !Events.EventTypes.IsKnown(t)).ToList();
            if (distinct.Count == 0)
            {
                errors["eventTypes"] = ["Choose at least one event type, or leave the event types out to receive every type."];
            }
            else if (unknown.Count > 0)
            {
                errors["eventTypes"] = [$"Unknown event type{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown.Select(u => $"\"{u}\""))}: use {string.Join(", ", Events.EventTypes.All)}."];
            }
            else
            {
                // Kept in the bank's order, so the same choice reads the same whatever order it was sent in.
                types = string.Join(' ', Events.EventTypes.All.Where(distinct.Contains));
            }
        }

        var chosen = string.IsNullOrWhiteSpace(version) ? DefaultVersion : version.Trim();
        if (!IsVersion(chosen))
        {
            errors["version"] = [$"Use version \"3.1\" or \"4.0\" (\"v3.1\", \"3.1.x\" and \"v4.0\" are accepted too), at most {MaxVersionLength} characters."];
        }

        return (new Accepted(callback, types, chosen, ApiVersionOf(chosen).Name()), errors);
    }

    public static bool IsVersion(string version)
        => version.Length <= MaxVersionLength
           && System.Text.RegularExpressions.Regex.IsMatch(version, @"^v?(3\.1|4\.0)(\.(x|\d{1,3}))?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>The API version a subscription's version names (v3.1.11 unless it names 4.0).</summary>
    public static ApiVersion ApiVersionOf(string version) => version.TrimStart('v').StartsWith("4.0", StringComparison.Ordinal) ? ApiVersion.V4_0 : ApiVersion.V3_1_11;

    /// <summary>"es-" and 20 hex characters.</summary>
    public static string NewId() => "es-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10));
}
