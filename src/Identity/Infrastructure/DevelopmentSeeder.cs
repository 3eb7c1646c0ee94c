using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using OpenBanking.ServiceDefaults.Data;
using OpenBanking.Shared;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.Infrastructure;

/// <summary>
/// Development only: the documented admin, partner developer and demo app (README.md, ARCHITECTURE.md). The
/// passwords and the secret are public test values; the secret is stored hashed like any other.
/// </summary>
internal sealed class DevelopmentSeeder(
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    IOpenIddictApplicationManager applications,
    TimeProvider clock) : IDatabaseSeeder<IdentityDbContext>
{
    public async Task SeedAsync(IdentityDbContext context, CancellationToken cancellationToken)
    {
        foreach (var role in new[] { Roles.Partner, Roles.Admin })
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)));
            }
        }

        await EnsureUserAsync(DevelopmentSeed.AdminEmail, "Admin!2345", "Bank Admin", Roles.Admin);
        await EnsureUserAsync(DevelopmentSeed.PartnerEmail, "Partner!2345", "Demo Wallet Developer", Roles.Partner);

        if (await applications.FindByClientIdAsync(DevelopmentSeed.DemoAppClientId, cancellationToken) is null)
        {
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = DevelopmentSeed.DemoAppClientId,
                ClientSecret = "demo-wallet-secret",
                ClientType = ClientTypes.Confidential,
                DisplayName = "Demo Wallet",
                RedirectUris = { new Uri("http://localhost:5005/callback") },
                Permissions =
                {
                    Permissions.Endpoints.Token,
                    Permissions.GrantTypes.ClientCredentials,
                    Permissions.Prefixes.Scope + PlatformScopes.Accounts,
                    Permissions.Prefixes.Scope + PlatformScopes.Payments,
                    Permissions.Prefixes.Scope + PlatformScopes.FundsConfirmations,
                },
            };
            descriptor.Properties[PlatformClaims.OrganisationId] =
                JsonSerializer.SerializeToElement(DevelopmentSeed.DemoOrganisationId);
            await applications.CreateAsync(descriptor, cancellationToken);
        }
    }

    private async Task EnsureUserAsync(string email, string password, string displayName, string role)
    {
        if (await users.FindByEmailAsync(email) is not null)
        {
            return;
        }

        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            CreatedAt = clock.GetUtcNow(),
        };
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, role));
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                "Development seed failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
