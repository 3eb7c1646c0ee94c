using OpenBanking.ServiceDefaults.Data;
using OpenBanking.Shared;
using OpenIddict.Abstractions;

namespace OpenBanking.Identity.Infrastructure;

/// <summary>
/// Registers the scopes in every environment. Each names its audience: the Open Banking scopes the bank API,
/// internal scopes the service they open (so an internal token is not a bank-API token, and the reverse).
/// </summary>
internal sealed class ScopeSeeder(IOpenIddictScopeManager scopes) : IDatabaseSeeder<IdentityDbContext>
{
    private static readonly Dictionary<string, (string Description, string Audience)> Descriptions = new()
    {
        [PlatformScopes.Accounts] = ("Read account information (Open Banking AIS)", PlatformClaims.OpenBankingAudience),
        [PlatformScopes.Payments] = ("Initiate payments (Open Banking PIS)", PlatformClaims.OpenBankingAudience),
        [PlatformScopes.FundsConfirmations] = ("Confirm the availability of funds (Open Banking CBPII)", PlatformClaims.OpenBankingAudience),
        [PlatformScopes.SandboxInternal] = ("Internal: the Sandbox's customer and consent endpoints", PlatformClaims.SandboxAudience),
        [PlatformScopes.IdentityClients] = ("Internal: manage partner apps (OAuth clients)", PlatformClaims.IdentityAudience),
        [PlatformScopes.IdentityClientsRead] = ("Internal: read partner apps' message-signing keys and security settings", PlatformClaims.IdentityAudience),
        [PlatformScopes.GatewayCalls] = ("Internal: read partners' API call logs", PlatformClaims.GatewayAudience),
    };

    public async Task SeedAsync(IdentityDbContext context, CancellationToken cancellationToken)
    {
        foreach (var (name, (description, audience)) in Descriptions)
        {
            if (await scopes.FindByNameAsync(name, cancellationToken) is not null)
            {
                continue;
            }

            await scopes.CreateAsync(new OpenIddictScopeDescriptor
            {
                Name = name,
                DisplayName = description,
                Resources = { audience },
            }, cancellationToken);
        }
    }
}
