using System.Collections.Immutable;
using System.Text.Json;
using OpenBanking.Shared;
using OpenIddict.Abstractions;

namespace OpenBanking.Identity.Clients;

/// <summary>
/// The platform's own facts about a partner app, kept in the OpenIddict application's <c>Properties</c>. An application
/// without <c>org_id</c> is not a partner app (the platform's service clients) and is invisible to the management API.
/// </summary>
internal static class PartnerClientProperties
{
    public const string OrganisationId = PlatformClaims.OrganisationId;
    public const string OrganisationName = "org_name";
    public const string Suspended = "suspended";
    public const string CreatedAt = "created_at";

    /// <summary>
    /// Bool: requests to payment and event-subscription endpoints must carry <c>x-jws-signature</c>. Absent = false, so
    /// apps registered before message signing (the demo app among them) keep working until their owner switches it on;
    /// new apps get true unless they ask otherwise.
    /// </summary>
    public const string RequireSignedRequests = "require_signed_requests";

    /// <summary>Bool: token requests must carry a DPoP proof (RFC 9449 <c>dpop_bound_access_tokens</c>). Absent = false.</summary>
    public const string RequireDpop = "require_dpop";

    /// <summary>JSON object: the app's public JWK set for <c>x-jws-signature</c> (apart from any private_key_jwt set).</summary>
    public const string MessageSigningJwks = "message_signing_jwks";

    /// <summary>When the message-signing keys last changed.</summary>
    public const string MessageSigningKeysUpdatedAt = "message_signing_keys_updated_at";

    public static bool IsPartner(IReadOnlyDictionary<string, JsonElement> properties)
        => properties.TryGetValue(OrganisationId, out var value) && value.ValueKind == JsonValueKind.String;

    public static bool IsSuspended(IReadOnlyDictionary<string, JsonElement> properties)
        => properties.TryGetValue(Suspended, out var value) && value.ValueKind == JsonValueKind.True;

    public static bool GetBool(IReadOnlyDictionary<string, JsonElement> properties, string name)
        => properties.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.True;

    public static string? GetString(IReadOnlyDictionary<string, JsonElement> properties, string name)
        => properties.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static void Set<T>(OpenIddictApplicationDescriptor descriptor, string name, T value)
        => descriptor.Properties[name] = JsonSerializer.SerializeToElement(value);

    public static DateTimeOffset? GetCreatedAt(IReadOnlyDictionary<string, JsonElement> properties)
        => properties.TryGetValue(CreatedAt, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at)
            ? at
            : null;

    public static DateTimeOffset? GetDateTimeOffset(IReadOnlyDictionary<string, JsonElement> properties, string name)
        => properties.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at)
            ? at
            : null;

    public static ImmutableDictionary<string, JsonElement> Of(OpenIddictApplicationDescriptor descriptor)
        => descriptor.Properties.ToImmutableDictionary();
}
