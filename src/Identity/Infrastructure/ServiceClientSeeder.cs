using OpenBanking.ServiceDefaults.Data;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.Infrastructure;

/// <summary>
/// Registers the platform's own services as confidential clients (client credentials only) from
/// <c>Identity:ServiceClients:{clientId}</c> (<c>Secret</c>, <c>Scopes</c>). A client without a configured secret is
/// not registered: production supplies secrets from its secret store; Development has documented defaults. An existing
/// client's scopes follow the configuration; its secret is kept (rotate it through the client management API).
/// </summary>
internal sealed class ServiceClientSeeder(IOpenIddictApplicationManager applications, IConfiguration configuration)
    : IDatabaseSeeder<IdentityDbContext>
{
    public async Task SeedAsync(IdentityDbContext context, CancellationToken cancellationToken)
    {
        foreach (var client in configuration.GetSection("Identity:ServiceClients").GetChildren())
        {
            var secret = client["Secret"];
            if (string.IsNullOrWhiteSpace(secret))
            {
                continue;
            }

            var scopes = client.GetSection("Scopes").GetChildren().Select(s => s.Value).OfType<string>().ToArray();
            await applications.EnsureAsync(client.Key, secret, descriptor =>
            {
                descriptor.ClientType = ClientTypes.Confidential;
                descriptor.DisplayName = $"Platform service: {client.Key}";
                descriptor.Permissions.Clear();
                descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials]);
                descriptor.Permissions.UnionWith(scopes.Select(scope => Permissions.Prefixes.Scope + scope));
            }, cancellationToken);
        }
    }
}
