using System.Text.Json;
using OpenBanking.Identity.Clients;
using OpenBanking.ServiceDefaults.Data;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.Infrastructure;

/// <summary>
/// The developer portal signs partners and admins in here with OpenID Connect (code + PKCE through PAR, like every
/// client). <c>Identity:PortalClient</c>: <c>ClientId</c> (default <c>portal</c>), <c>Secret</c> (none → not
/// registered; Development has a documented default), <c>RedirectUris</c>, <c>PostLogoutRedirectUris</c>. A
/// first-party client: no Open Banking consent, the user's own session. Its URIs and permissions follow configuration
/// at every start (the AppHost passes the Portal's actual address); its secret is kept once set.
/// </summary>
internal sealed class PortalClientSeeder(IOpenIddictApplicationManager applications, IConfiguration configuration)
    : IDatabaseSeeder<IdentityDbContext>
{
    public const string FirstPartyProperty = "first_party";

    public async Task SeedAsync(IdentityDbContext context, CancellationToken cancellationToken)
    {
        var section = configuration.GetSection("Identity:PortalClient");
        var secret = section["Secret"];
        if (string.IsNullOrWhiteSpace(secret))
        {
            return;
        }

        await applications.EnsureAsync(section["ClientId"] ?? "portal", secret, descriptor =>
        {
            descriptor.ClientType = ClientTypes.Confidential;
            descriptor.DisplayName = "Developer portal";
            descriptor.RedirectUris.Clear();
            descriptor.RedirectUris.UnionWith(Uris(section.GetSection("RedirectUris")));
            descriptor.PostLogoutRedirectUris.Clear();
            descriptor.PostLogoutRedirectUris.UnionWith(Uris(section.GetSection("PostLogoutRedirectUris")));
            descriptor.Permissions.Clear();
            descriptor.Permissions.UnionWith(
            [
                Permissions.Endpoints.Authorization, Permissions.Endpoints.PushedAuthorization, Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession, Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                Permissions.Prefixes.Scope + Scopes.OpenId, Permissions.Scopes.Profile, Permissions.Scopes.Email, Permissions.Scopes.Roles,
            ]);
            descriptor.Requirements.Clear();
            descriptor.Requirements.UnionWith([Requirements.Features.ProofKeyForCodeExchange, Requirements.Features.PushedAuthorizationRequests]);
            descriptor.Properties[FirstPartyProperty] = JsonSerializer.SerializeToElement(true);
        }, cancellationToken);
    }

    public static bool IsFirstParty(IReadOnlyDictionary<string, JsonElement> properties)
        => properties.TryGetValue(FirstPartyProperty, out var value) && value.ValueKind == JsonValueKind.True;

    private static IEnumerable<Uri> Uris(IConfigurationSection section)
        => section.GetChildren().Select(c => c.Value).Where(v => Uri.TryCreate(v, UriKind.Absolute, out _)).Select(v => new Uri(v!));
}
