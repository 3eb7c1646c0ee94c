using OpenBanking.ServiceDefaults.Data;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.Infrastructure;

/// <summary>
/// Registers the platform's own services as confidential clients (client credentials only) from
/// <c>Identity:ServiceClients:{clientId}</c> (<c>Secret</c>, <c>Scopes</c>). A client without a configured secret is
/// not registered: production supplies secrets from its secret store; Development has documented defaults.
/// </summary>
internal sealed class ServiceClientSeeder(IOpenIddictApplicationManager applications, IConfiguration configuration)
    : IDatabaseSeeder<IdentityDbContext>
{
    public async Task SeedAsync(IdentityDbContext context, CancellationToken cancellationToken)
    {
        foreach (var client in configuration.GetSection("Identity:ServiceClients").GetChildren())
        {
            var secret = client["Secret"];
            if (string.IsNullOrWhiteSpace(secret) || await applications.FindByClientIdAsync(client.Key, cancellationToken) is not null)
            {
                continue;
            }

            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = client.Key,
                ClientSecret = secret,
                ClientType = ClientTypes.Confidential,
                DisplayName = $"Platform service: {client.Key}",
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
            };
            foreach (var scope in client.GetSection("Scopes").GetChildren().Select(s => s.Value).OfType<string>())
            {
                descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
            }

            await applications.CreateAsync(descriptor, cancellationToken);
        }
    }
}
