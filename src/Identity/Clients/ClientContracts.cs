using System.Text.Json;

namespace OpenBanking.Identity.Clients;

/// <summary>The partner app authentication methods the platform offers (FAPI: no secret in the request body).</summary>
public static class ClientAuthMethods
{
    public const string ClientSecretBasic = "client_secret_basic";
    public const string PrivateKeyJwt = "private_key_jwt";
}

/// <summary>
/// A new partner app. <c>Jwks</c> (a JSON Web Key Set of public signing keys) is required for private_key_jwt.
/// <c>RequireSignedRequests</c> defaults to true for a new app; <c>RequireDpop</c> to false. <c>MessageSigningJwks</c> is
/// the public key set its <c>x-jws-signature</c>s are verified with (separate from <c>Jwks</c>).
/// </summary>
public sealed record CreateClientRequest(
    string? Name,
    string? OrganisationId,
    string? OrganisationName,
    IReadOnlyList<string?>? RedirectUris,
    IReadOnlyList<string?>? Scopes,
    string? AuthMethod,
    JsonElement? Jwks,
    bool? RequireSignedRequests = null,
    bool? RequireDpop = null,
    JsonElement? MessageSigningJwks = null);

/// <summary>
/// Changes to a partner app: PUT needs name, redirect URIs and scopes; PATCH changes only what it names.
/// <c>OrganisationName</c> is the name the bank approved, shown to customers on consent pages (the Portal sends it
/// when an admin approves the organisation again after a rename).
/// </summary>
public sealed record UpdateClientRequest(
    string? Name,
    IReadOnlyList<string?>? RedirectUris,
    IReadOnlyList<string?>? Scopes,
    JsonElement? Jwks,
    string? OrganisationName = null,
    bool? RequireSignedRequests = null,
    bool? RequireDpop = null,
    JsonElement? MessageSigningJwks = null);

/// <summary>A partner app as the Portal sees it; never a secret.</summary>
public sealed record ClientResponse(
    string ClientId,
    string Name,
    string OrganisationId,
    string? OrganisationName,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> Scopes,
    string AuthMethod,
    bool HasJwks,
    bool Suspended,
    DateTimeOffset? CreatedAt,
    bool RequireSignedRequests,
    bool RequireDpop,
    IReadOnlyList<SigningKeyView> MessageSigningKeys,
    DateTimeOffset? MessageSigningKeysUpdatedAt);

/// <summary>One of an app's message-signing keys, public facts only: what the Portal lists and a JWS <c>kid</c> must name.</summary>
public sealed record SigningKeyView(string Kid, string KeyType, string? Algorithm, int? KeySize, string Thumbprint);

/// <summary>The answer to a create: the only time the secret (client_secret_basic) is ever shown.</summary>
public sealed record CreatedClientResponse(string ClientId, string? ClientSecret, ClientResponse Client);

/// <summary>The answer to a secret rotation: the new secret, shown once.</summary>
public sealed record ClientSecretResponse(string ClientId, string ClientSecret);

public sealed record ClientAuditEntryResponse(
    DateTimeOffset At,
    string Actor,
    string? ActingUser,
    string ClientId,
    string? OrganisationId,
    string Action,
    JsonElement? Details);
