using OpenBanking.ServiceDefaults.Data;
using OpenBanking.Shared;
using OpenIddict.Abstractions;

namespace OpenBanking.Identity.Infrastructure;

/// <summary>Registers the Open Banking scopes in every environment; each names the API audience.</summary>
internal sealed class ScopeSeeder(IOpenIddictScopeManager scopes) : IDatabaseSeeder<IdentityDbContext>
{
    private static readonly Dictionary<string, string> Descriptions = new()
    {
        [PlatformScopes.Accounts] = "Read account information (Open Banking AIS)",
        [PlatformScopes.Payments] = "Initiate payments (Open Banking PIS)",
        [PlatformScopes.FundsConfirmations] = "Confirm the availability of funds (Open Banking CBPII)",
    };

    public async Task SeedAsync(IdentityDbContext context, CancellationToken cancellationToken)
    {
        foreach (var (name, description) in Descriptions)
        {
            if (await scopes.FindByNameAsync(name, cancellationToken) is not null)
            {
                continue;
            }

            await scopes.CreateAsync(new OpenIddictScopeDescriptor
            {
                Name = name,
                DisplayName = description,
                Resources = { PlatformClaims.OpenBankingAudience },
            }, cancellationToken);
        }
    }
}
