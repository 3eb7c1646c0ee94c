using Microsoft.AspNetCore.Identity;
using OpenBanking.Identity.Infrastructure;
using OpenBanking.ServiceDefaults.Data;

namespace OpenBanking.Identity.Accounts;

/// <summary>The roles exist in every environment: registration gives each new user the Partner role.</summary>
internal sealed class AccountRoleSeeder(RoleManager<IdentityRole> roles) : IDatabaseSeeder<IdentityDbContext>
{
    public async Task SeedAsync(IdentityDbContext context, CancellationToken cancellationToken)
    {
        foreach (var role in new[] { Roles.Partner, Roles.Admin })
        {
            if (!await roles.RoleExistsAsync(role))
            {
                var result = await roles.CreateAsync(new IdentityRole(role));
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException(
                        $"Creating role {role} failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
                }
            }
        }
    }
}
