using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using OpenBanking.Identity.Clients;
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
    IConfiguration configuration,
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

        await EnsureDemoAppAsync(cancellationToken);
    }

    /// <summary>The demo app as documented; an existing one is brought up to date, its secret kept.</summary>
    private Task EnsureDemoAppAsync(CancellationToken cancellationToken)
        => applications.EnsureAsync(DevelopmentSeed.DemoAppClientId, "demo-wallet-secret", descriptor =>
        {
            descriptor.ClientType = ClientTypes.Confidential;
            descriptor.DisplayName = "Demo Wallet";
            descriptor.RedirectUris.Clear();
            descriptor.RedirectUris.Add(new Uri("http://localhost:5005/callback"));
            // The Portal's callback catcher, wherever the Portal listens (its sign-in redirect URIs say where), so that
            // the try-it console's browser authorisation lands on a page instead of "This site can't be reached".
            foreach (var portal in PortalOrigins())
            {
                descriptor.RedirectUris.Add(new Uri(portal, "/callback"));
            }

            descriptor.PostLogoutRedirectUris.Clear();
            descriptor.PostLogoutRedirectUris.Add(new Uri("http://localhost:5005/"));
            PartnerClientPermissions.Apply(descriptor, [Scopes.OpenId, Scopes.OfflineAccess, .. PlatformScopes.OpenBanking]);
            descriptor.Properties[PlatformClaims.OrganisationId] = JsonSerializer.SerializeToElement(DevelopmentSeed.DemoOrganisationId);
            descriptor.Properties[PartnerClientProperties.OrganisationName] = JsonSerializer.SerializeToElement("Demo Wallet Ltd");
        }, cancellationToken);

    private IEnumerable<Uri> PortalOrigins()
        => configuration.GetSection("Identity:PortalClient:RedirectUris").Get<string[]>()?
               .Select(value => Uri.TryCreate(value, UriKind.Absolute, out var uri) ? new Uri(uri.GetLeftPart(UriPartial.Authority)) : null)
               .OfType<Uri>()
               .Distinct() ?? [];

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
