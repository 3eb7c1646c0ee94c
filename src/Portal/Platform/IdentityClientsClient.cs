using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenBanking.Shared;

namespace OpenBanking.Portal.Platform;

/// <summary>Identity's client management API (<c>/internal/clients</c>, scope <c>identity.clients</c>): partner apps as OAuth clients.</summary>
public sealed class IdentityClientsClient(HttpClient http)
{
    public const string ActingUserHeader = "X-Acting-User";

    public Task<CreatedClient> CreateAsync(NewClient client, string actingUser, CancellationToken ct)
        => SendAsync<CreatedClient>(HttpMethod.Post, "internal/clients", client, actingUser, ct)!;

    public async Task<IdentityClient?> GetAsync(string clientId, CancellationToken ct)
    {
        using var response = await http.GetAsync($"internal/clients/{Uri.EscapeDataString(clientId)}", ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<IdentityClient>(response, ct);
    }

    public Task<IdentityClient> UpdateAsync(string clientId, ClientChanges changes, string actingUser, CancellationToken ct)
        => SendAsync<IdentityClient>(HttpMethod.Patch, $"internal/clients/{Uri.EscapeDataString(clientId)}", changes, actingUser, ct);

    public Task<RotatedSecret> RotateSecretAsync(string clientId, string actingUser, CancellationToken ct)
        => SendAsync<RotatedSecret>(HttpMethod.Post, $"internal/clients/{Uri.EscapeDataString(clientId)}/secret", null, actingUser, ct);

    public Task SuspendAsync(string clientId, string actingUser, CancellationToken ct)
        => SendAsync<JsonElement?>(HttpMethod.Post, $"internal/clients/{Uri.EscapeDataString(clientId)}/suspend", null, actingUser, ct);

    public Task ReactivateAsync(string clientId, string actingUser, CancellationToken ct)
        => SendAsync<JsonElement?>(HttpMethod.Post, $"internal/clients/{Uri.EscapeDataString(clientId)}/reactivate", null, actingUser, ct);

    /// <summary>
    /// The app's security profile (<c>/internal/clients/{id}/security</c>) with its whole public message-signing key set:
    /// the Portal needs the keys themselves to send the set without one of them when a key is removed.
    /// </summary>
    public async Task<AppSecurityProfile?> GetSecurityAsync(string clientId, CancellationToken ct)
    {
        using var response = await http.GetAsync($"internal/clients/{Uri.EscapeDataString(clientId)}/security", ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<AppSecurityProfile>(response, ct);
    }

    /// <summary>A Portal user's standing now (<c>/internal/users/{subject}</c>): active (exists, not locked out) and roles.</summary>
    public async Task<UserStatus> GetUserStatusAsync(string subject, CancellationToken ct)
    {
        using var response = await http.GetAsync($"internal/users/{Uri.EscapeDataString(subject)}", ct);
        return await ReadAsync<UserStatus>(response, ct);
    }

    /// <summary>Everything Identity holds about a user (<c>/internal/users/{subject}/export</c>), as Identity wrote it.</summary>
    public async Task<JsonElement> ExportUserAsync(string subject, CancellationToken ct)
    {
        using var response = await http.GetAsync($"internal/users/{Uri.EscapeDataString(subject)}/export", ct);
        return await ReadAsync<JsonElement>(response, ct);
    }

    /// <summary>Ends the user's tokens and grants and deletes the account at Identity; safe to repeat.</summary>
    public async Task<UserErasure> EraseUserAsync(string subject, CancellationToken ct)
    {
        using var response = await http.DeleteAsync($"internal/users/{Uri.EscapeDataString(subject)}", ct);
        return await ReadAsync<UserErasure>(response, ct);
    }

    public async Task DeleteAsync(string clientId, string actingUser, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"internal/clients/{Uri.EscapeDataString(clientId)}");
        request.Headers.Add(ActingUserHeader, actingUser);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await PlatformResponses.EnsureSuccessAsync(response, ct);
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, string actingUser, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add(ActingUserHeader, actingUser);
        using var response = await http.SendAsync(request, ct);
        return await ReadAsync<T>(response, ct);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
        {
            return default!;
        }

        return (await response.Content.ReadFromJsonAsync<T>(ct))!;
    }
}

public sealed record NewClient(
    string Name, string OrganisationId, string OrganisationName, IReadOnlyList<string> RedirectUris, IReadOnlyList<string> Scopes,
    string AuthMethod, JsonElement? Jwks, bool? RequireSignedRequests = null, bool? RequireDpop = null);

/// <summary>
/// A PATCH: only what is set changes. <c>MessageSigningJwks</c> is the app's whole public message-signing key set
/// (adding or removing a key sends the set as it should be afterwards).
/// </summary>
public sealed record ClientChanges(
    string? Name = null, IReadOnlyList<string>? RedirectUris = null, IReadOnlyList<string>? Scopes = null, JsonElement? Jwks = null, string? OrganisationName = null,
    bool? RequireSignedRequests = null, bool? RequireDpop = null, JsonElement? MessageSigningJwks = null);

public sealed record IdentityClient(
    string ClientId, string Name, string OrganisationId, string? OrganisationName, IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> Scopes, string AuthMethod, bool HasJwks, bool Suspended, DateTimeOffset? CreatedAt,
    bool RequireSignedRequests = false, bool RequireDpop = false, IReadOnlyList<SigningKey>? MessageSigningKeys = null,
    DateTimeOffset? MessageSigningKeysUpdatedAt = null)
{
    /// <summary>The app's message-signing keys (none when Identity listed none).</summary>
    public IReadOnlyList<SigningKey> SigningKeys => MessageSigningKeys ?? [];
}

/// <summary>One message-signing key as Identity lists it: public facts only.</summary>
public sealed record SigningKey(string Kid, string KeyType, string? Algorithm, int? KeySize, string Thumbprint);

public sealed record CreatedClient(string ClientId, string? ClientSecret, IdentityClient Client);

public sealed record RotatedSecret(string ClientId, string ClientSecret);

/// <summary>Identity's answer about a user: whether the account may still act, and its roles now.</summary>
public sealed record UserStatus(string Subject, bool Active, IReadOnlyList<string> Roles);

/// <summary>What Identity's erasure did; <see cref="Pseudonym"/> is the id left in the records that stay.</summary>
public sealed record UserErasure(string Pseudonym, bool AccountDeleted, int TokensRevoked, int AuthorizationsRevoked, int AuditEntriesPseudonymised);
