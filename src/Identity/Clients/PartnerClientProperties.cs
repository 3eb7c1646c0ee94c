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

    public static bool IsPartner(IReadOnlyDictionary<string, JsonElement> properties)
        => properties.TryGetValue(OrganisationId, out var value) && value.ValueKind == JsonValueKind.String;

    public static bool IsSuspended(IReadOnlyDictionary<string, JsonElement> properties)
        => properties.TryGetValue(Suspended, out var value) && value.ValueKind == JsonValueKind.True;

    public static string? GetString(IReadOnlyDictionary<string, JsonElement> properties, string name)
        => properties.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static void Set<T>(OpenIddictApplicationDescriptor descriptor, string name, T value)
        => descriptor.Properties[name] = JsonSerializer.SerializeToElement(value);

    public static DateTimeOffset? GetCreatedAt(IReadOnlyDictionary<string, JsonElement> properties)
        => properties.TryGetValue(CreatedAt, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at)
            ? at
            : null;

    public static ImmutableDictionary<string, JsonElement> Of(OpenIddictApplicationDescriptor descriptor)
        => descriptor.Properties.ToImmutableDictionary();
}
