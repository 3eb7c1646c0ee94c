using System.Text.Json;
using System.Text.Json.Nodes;
using OpenBanking.Portal.Platform;
using OpenBanking.Shared;

namespace OpenBanking.Portal.Partners;

/// <summary>
/// An app's message-signing and DPoP settings as its team changes them on the app page's Security tab. Identity holds
/// them (and validates the keys); the Portal checks the person's role, merges key sets and keeps the audit trail.
/// </summary>
public interface IAppSecurity
{
    /// <summary>The app as Identity holds it when it is one of the signed-in person's organisation's apps; else null.</summary>
    Task<IdentityClient?> FindAsync(string clientId, CancellationToken ct = default);

    /// <summary>Switches "Require signed requests" and/or "Require DPoP" (null leaves one as it is).</summary>
    Task<IdentityClient> SetRequirementsAsync(string clientId, bool? requireSignedRequests, bool? requireDpop, CancellationToken ct = default);

    /// <summary>Adds the keys of a pasted or uploaded public JWK set to the app's message-signing keys.</summary>
    Task<IdentityClient> AddSigningKeysAsync(string clientId, string? jwks, CancellationToken ct = default);

    /// <summary>Removes one message-signing key: the app's set is sent again without it.</summary>
    Task<IdentityClient> RemoveSigningKeyAsync(string clientId, string kid, CancellationToken ct = default);
}

public sealed partial class AppService : IAppSecurity
{
    /// <summary>Members of a key that only a private key has: never accepted, never sent on.</summary>
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

    public async Task<IdentityClient?> FindAsync(string clientId, CancellationToken ct = default)
    {
        try
        {
            return (await GetAsync(clientId, ct)).Client;
        }
        catch (PortalRefusalException)
        {
            // Not this person's app (or no organisation): the console then knows nothing of its settings.
            return null;
        }
    }

    public async Task<IdentityClient> SetRequirementsAsync(string clientId, bool? requireSignedRequests, bool? requireDpop, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (context, app) = await LoadForChangeAsync(db, clientId, Domain.TeamRole.Developer, "change an app's security settings", ct);
        var client = await CallIdentityAsync(() => identity.UpdateAsync(clientId,
            new ClientChanges(RequireSignedRequests: requireSignedRequests, RequireDpop: requireDpop), context.Actor.Email, ct));
        AuditTrail.Record(db, clock.GetUtcNow(), context.Actor, context.Role.ToString(), AuditActions.AppSecurityChanged, nameof(Domain.PartnerApp), app.ClientId,
            app.OrganisationId, null, AuditTrail.Snapshot(new { client.RequireSignedRequests, client.RequireDpop }));
        await db.SaveChangesAsync(ct);
        return client;
    }

    public async Task<IdentityClient> AddSigningKeysAsync(string clientId, string? jwks, CancellationToken ct = default)
    {
        var (added, problems) = ParseSigningKeys(jwks);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (context, app) = await LoadForChangeAsync(db, clientId, Domain.TeamRole.Developer, "change an app's signing keys", ct);
        var current = await CurrentSigningKeysAsync(clientId, ct);
        var registered = current.Select(KidOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        problems.AddRange(added.Select(KidOf).OfType<string>().Where(registered.Contains)
            .Select(kid => $"The kid '{kid}' is already registered for this app: give the new key another kid, or remove the old key first."));
        if (problems.Count > 0)
        {
            throw new PortalValidationException(new Dictionary<string, string[]> { ["messageSigningJwks"] = [.. problems] });
        }

        return await SaveSigningKeysAsync(db, context, app, current, [.. current, .. added], ct);
    }

    public async Task<IdentityClient> RemoveSigningKeyAsync(string clientId, string kid, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (context, app) = await LoadForChangeAsync(db, clientId, Domain.TeamRole.Developer, "change an app's signing keys", ct);
        var current = await CurrentSigningKeysAsync(clientId, ct);
        var kept = current.Where(key => KidOf(key) != kid).ToList();
        if (kept.Count == current.Count)
        {
            throw new PortalValidationException("messageSigningJwks", $"The app has no key with the kid '{kid}'; reload the page to see its keys now.");
        }

        return await SaveSigningKeysAsync(db, context, app, current, kept, ct);
    }

    /// <summary>
    /// The keys of a pasted set with every problem the Portal can see at once (JSON, kids, private parts); the rest
    /// (key type, size, algorithm, how many) is Identity's to judge and comes back in its own words.
    /// </summary>
    public static (List<JsonObject> Keys, List<string> Problems) ParseSigningKeys(string? jwks)
    {
        var problems = new List<string>();
        var keys = new List<JsonObject>();
        if (string.IsNullOrWhiteSpace(jwks))
        {
            return (keys, ["Paste or upload a public JWK set: {\"keys\":[...]}."]);
        }

        if (jwks.Length > 50_000)
        {
            return (keys, ["The key set is longer than 50,000 characters; a set of public keys is much smaller."]);
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(jwks);
        }
        catch (JsonException)
        {
            return (keys, ["The text is not JSON: paste the key set as {\"keys\":[...]}."]);
        }

        if (root is not JsonObject set || set["keys"] is not JsonArray array)
        {
            return (keys, ["The JSON is not a JWK set: it needs a \"keys\" array, {\"keys\":[...]}."]);
        }

        if (array.Count == 0)
        {
            return (keys, ["The set has no keys."]);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject key)
            {
                problems.Add($"Key {i + 1} is not a JSON object.");
                continue;
            }

            var kid = KidOf(key);
            var name = kid is null ? $"Key {i + 1}" : $"Key '{kid}'";
            if (kid is null)
            {
                problems.Add($"{name} has no kid: give every key a kid (your signatures name it in their header).");
            }
            else if (!seen.Add(kid))
            {
                problems.Add($"The kid '{kid}' appears twice in the set: each key needs its own kid.");
            }

            var secret = PrivateMembers.Where(key.ContainsKey).ToList();
            if (secret.Count > 0)
            {
                problems.Add($"{name} contains private parts ({string.Join(", ", secret)}): upload the public key only, and keep the private key to yourself.");
            }

            keys.Add((JsonObject)key.DeepClone());
        }

        return (keys, problems);
    }

    private static string? KidOf(JsonObject key)
        => key["kid"] is JsonValue value && value.TryGetValue<string>(out var kid) && !string.IsNullOrWhiteSpace(kid) ? kid : null;

    /// <summary>The app's whole public set as Identity holds it (only asked for when the app has keys).</summary>
    private async Task<List<JsonObject>> CurrentSigningKeysAsync(string clientId, CancellationToken ct)
    {
        var client = await CallIdentityAsync(async () => await identity.GetAsync(clientId, ct)
            ?? throw new PortalNotFoundException("No such app in your organisation."));
        if (client.SigningKeys.Count == 0)
        {
            return [];
        }

        AppSecurityProfile? profile;
        try
        {
            profile = await identity.GetSecurityAsync(clientId, ct);
        }
        catch (Exception exception) when (exception is HttpRequestException or PlatformServiceException or TaskCanceledException { CancellationToken.IsCancellationRequested: false })
        {
            // Without the keys themselves the set cannot be sent again with a key more or less: refuse rather than lose keys.
            throw new PortalValidationException("messageSigningJwks", "Identity did not give the app's current keys, so nothing was changed; try again in a moment.");
        }

        return profile?.MessageSigningJwks is { ValueKind: JsonValueKind.Object } set && JsonNode.Parse(set.GetRawText())?["keys"] is JsonArray array
            ? [.. array.OfType<JsonObject>().Select(k => (JsonObject)k.DeepClone())]
            : [];
    }

    private async Task<IdentityClient> SaveSigningKeysAsync(
        Infrastructure.PortalDbContext db, PartnerContext context, Domain.PartnerApp app, List<JsonObject> before, List<JsonObject> keys, CancellationToken ct)
    {
        var set = JsonSerializer.SerializeToElement(new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => k.DeepClone())]) });
        var client = await CallIdentityAsync(() => identity.UpdateAsync(app.ClientId, new ClientChanges(MessageSigningJwks: set), context.Actor.Email, ct));
        AuditTrail.Record(db, clock.GetUtcNow(), context.Actor, context.Role.ToString(), AuditActions.AppSigningKeysChanged, nameof(Domain.PartnerApp), app.ClientId,
            app.OrganisationId, AuditTrail.Snapshot(new { Kids = before.Select(KidOf) }), AuditTrail.Snapshot(new { Kids = client.SigningKeys.Select(k => k.Kid) }));
        await db.SaveChangesAsync(ct);
        return client;
    }
}
