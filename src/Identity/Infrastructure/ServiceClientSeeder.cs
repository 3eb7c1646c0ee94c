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
            if (await applications.FindByClientIdAsync(client.Key, cancellationToken) is { } existing)
            {
                var current = new OpenIddictApplicationDescriptor();
                await applications.PopulateAsync(current, existing, cancellationToken);
                var wanted = scopes.Select(s => Permissions.Prefixes.Scope + s).ToHashSet();
                var held = current.Permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal)).ToHashSet();
                if (!wanted.SetEquals(held))
                {
                    current.Permissions.ExceptWith(held);
                    current.Permissions.UnionWith(wanted);
                    await applications.UpdateAsync(existing, current, cancellationToken);
                }

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
            foreach (var scope in scopes)
            {
                descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
            }

            await applications.CreateAsync(descriptor, cancellationToken);
        }
    }
}
