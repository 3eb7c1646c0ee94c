using OpenBanking.Shared;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.Clients;

/// <summary>
/// What every partner app (wallet) may do: the authorization-code flow through PAR with PKCE, refresh tokens, client
/// credentials for creating consents, revocation, introspection and logout — and only the scopes it was given.
/// Shared by the client management API and the Development seeder.
/// </summary>
public static class PartnerClientPermissions
{
    /// <summary>The scopes a partner app may be given.</summary>
    public static readonly IReadOnlySet<string> AllowedScopes = new HashSet<string>(
        [Scopes.OpenId, Scopes.OfflineAccess, .. PlatformScopes.OpenBanking], StringComparer.Ordinal);

    /// <summary>
    /// Replaces the descriptor's permissions and requirements with the partner set for <paramref name="scopes"/>.
    /// Idempotent, so an update can call it again with the new scopes.
    /// </summary>
    public static void Apply(OpenIddictApplicationDescriptor descriptor, IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(scopes);

        descriptor.Permissions.Clear();
        descriptor.Permissions.UnionWith(
        [
            Permissions.Endpoints.Token,
            Permissions.Endpoints.Authorization,
            Permissions.Endpoints.PushedAuthorization,
            Permissions.Endpoints.Revocation,
            Permissions.Endpoints.Introspection,
            Permissions.Endpoints.EndSession,
            Permissions.GrantTypes.ClientCredentials,
            Permissions.GrantTypes.AuthorizationCode,
            Permissions.GrantTypes.RefreshToken,
            Permissions.ResponseTypes.Code,
        ]);
        foreach (var scope in scopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        // FAPI 2.0: the authorization request always travels through PAR and always carries a PKCE challenge.
        descriptor.Requirements.Clear();
        descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        descriptor.Requirements.Add(Requirements.Features.PushedAuthorizationRequests);
    }

    /// <summary>The scopes a descriptor's permissions grant.</summary>
    public static IReadOnlyList<string> ScopesOf(OpenIddictApplicationDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return descriptor.Permissions
            .Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
            .Select(p => p[Permissions.Prefixes.Scope.Length..])
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
