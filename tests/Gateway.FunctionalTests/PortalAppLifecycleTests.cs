extern alias identity;
extern alias portal;

using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenBanking.Shared;
using OpenBanking.TestKit;
using identity::OpenBanking.Identity.Infrastructure;
using portal::OpenBanking.Portal.Admin;
using portal::OpenBanking.Portal.Authentication;
using portal::OpenBanking.Portal.Domain;
using portal::OpenBanking.Portal.Infrastructure;
using portal::OpenBanking.Portal.Partners;
using portal::OpenBanking.Portal.Platform;

namespace OpenBanking.Gateway.FunctionalTests;

/// <summary>
/// The Portal's app management against the real Identity (its client API, with the Portal's own service token) and
/// the Portal's real database: what a partner and an admin do in the Portal is what Identity then enforces on tokens.
/// </summary>
public sealed class PortalAppLifecycleTests(GatewayPlatform platform, ServiceFactory<portal::Program> portalHost)
    : IClassFixture<GatewayPlatform>, IClassFixture<ServiceFactory<portal::Program>>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly ServiceFactory<portal::Program> _portal = portalHost;
    private string _lastError = "";

    [Fact]
    public async Task PartnerCreatesAnApp_AdminSuspendsAndReactivatesTheOrganisation_RotationAndPaymentGrant_ReachIdentity()
    {
        var owner = new PortalActor(Guid.NewGuid().ToString("N"), $"owner-{Guid.NewGuid():N}@wallet.example", "Owner", IsAdmin: false);
        var admin = await SeededAdminAsync();
        var organisation = await Services(owner).Organisations.RegisterAsync(new OrganisationForm
        {
            LegalName = "Lifecycle Wallet Ltd", RegistrationNumber = "11112222", Country = "GB", Website = "https://lifecycle.example",
            ContactName = "Owner", ContactEmail = owner.Email, AccountInformation = true, PaymentInitiation = true,
            Description = "A wallet whose app goes through its whole life in this test.",
        }, _ct);
        await Services(admin).Admin.ApproveAsync(organisation.Id, organisation.LegalName, _ct);

        var (app, credentials) = await Services(owner).Apps.CreateAsync(new AppForm
        {
            Name = "Lifecycle app", RedirectUris = "https://lifecycle.example/callback", Payments = true,
        }, _ct);

        Assert.Equal(PaymentAccess.Requested, app.PaymentAccess);
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(credentials.ClientId, credentials.ClientSecret!, "accounts"));
        Assert.Equal(HttpStatusCode.BadRequest, await TokenStatusAsync(credentials.ClientId, credentials.ClientSecret!, "payments"));
        var details = await Services(owner).Apps.GetAsync(app.ClientId, _ct);
        Assert.Equal(organisation.Id.ToString(), details.Client!.OrganisationId);
        Assert.DoesNotContain("payments", details.Client.Scopes);

        await Services(admin).Admin.SuspendAsync(organisation.Id, "Unusual activity under review.", _ct);
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(credentials.ClientId, credentials.ClientSecret!, "accounts"));
        Assert.Contains("suspended", _lastError, StringComparison.OrdinalIgnoreCase);
        Assert.True((await Services(owner).Apps.GetAsync(app.ClientId, _ct)).Client!.Suspended);
        await Assert.ThrowsAsync<PortalForbiddenException>(() => Services(owner).Apps.SetSuspendedAsync(app.ClientId, false, _ct));

        await Services(admin).Admin.ReactivateAsync(organisation.Id, _ct);
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(credentials.ClientId, credentials.ClientSecret!, "accounts"));

        var rotated = await Services(owner).Apps.RotateSecretAsync(app.ClientId, _ct);
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(credentials.ClientId, credentials.ClientSecret!, "accounts"));
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(credentials.ClientId, rotated.ClientSecret!, "accounts"));

        await Services(admin).Admin.DecidePaymentAccessAsync(app.ClientId, grant: true, null, _ct);
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(credentials.ClientId, rotated.ClientSecret!, "payments"));

        await Services(owner).Apps.DeleteAsync(app.ClientId, _ct);
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(credentials.ClientId, rotated.ClientSecret!, "accounts"));
        var (audit, _) = await Services(admin).Admin.AuditAsync(new AuditFilter(EntityId: app.ClientId), 1, 50, _ct);
        Assert.Equal(
            ["app.created", "app.secret-rotated", "app.payment-access-granted", "app.deleted"],
            audit.Select(a => a.Action).Reverse().ToArray());
    }

    [Fact]
    public async Task AppSuspendedByTheBank_StaysSuspendedUntilAnAdminLiftsIt_TheTeamLiftsOnlyItsOwn_AndEveryStepIsAudited()
    {
        var owner = new PortalActor(Guid.NewGuid().ToString("N"), $"owner-{Guid.NewGuid():N}@wallet.example", "Owner", IsAdmin: false);
        var admin = await SeededAdminAsync();
        var organisation = await Services(owner).Organisations.RegisterAsync(new OrganisationForm
        {
            LegalName = "Held Wallet Ltd", RegistrationNumber = "33334444", Country = "GB", Website = "https://held.example",
            ContactName = "Owner", ContactEmail = owner.Email, AccountInformation = true,
            Description = "A wallet whose app the bank suspends in this test.",
        }, _ct);
        await Services(admin).Admin.ApproveAsync(organisation.Id, organisation.LegalName, _ct);
        var (app, credentials) = await Services(owner).Apps.CreateAsync(new AppForm { Name = "Held app", RedirectUris = "https://held.example/callback" }, _ct);

        await Services(admin).Admin.SetAppSuspendedAsync(app.ClientId, true, _ct);

        await Assert.ThrowsAsync<PortalForbiddenException>(() => Services(owner).Apps.SetSuspendedAsync(app.ClientId, false, _ct));
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(credentials.ClientId, credentials.ClientSecret!, "accounts"));
        Assert.Equal(AppSuspender.Bank, (await Services(owner).Apps.GetAsync(app.ClientId, _ct)).App.SuspendedBy);
        await Assert.ThrowsAsync<PortalForbiddenException>(() => Services(owner).Apps.DeleteAsync(app.ClientId, _ct));
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(credentials.ClientId, credentials.ClientSecret!, "accounts"));

        await Services(admin).Admin.SetAppSuspendedAsync(app.ClientId, false, _ct);
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(credentials.ClientId, credentials.ClientSecret!, "accounts"));

        await Services(owner).Apps.SetSuspendedAsync(app.ClientId, true, _ct);
        Assert.Equal(AppSuspender.Team, (await Services(owner).Apps.GetAsync(app.ClientId, _ct)).App.SuspendedBy);
        await Services(owner).Apps.SetSuspendedAsync(app.ClientId, false, _ct);
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(credentials.ClientId, credentials.ClientSecret!, "accounts"));

        var (audit, _) = await Services(admin).Admin.AuditAsync(new AuditFilter(EntityId: app.ClientId), 1, 50, _ct);
        var steps = audit.Reverse().Where(a => a.Action is "app.suspended" or "app.reactivated").Select(a => (a.Action, a.Actor, a.After)).ToArray();
        Assert.Equal(["app.suspended", "app.reactivated", "app.suspended", "app.reactivated"], steps.Select(s => s.Action));
        Assert.Equal([admin.Email, admin.Email, owner.Email, owner.Email], steps.Select(s => s.Actor));
        Assert.Contains("Bank", steps[0].After, StringComparison.Ordinal);
        Assert.Contains("Team", steps[2].After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenamedOrganisation_KeepsItsApprovedNameAtIdentity_UntilAnAdminApprovesTheNewOne()
    {
        var owner = new PortalActor(Guid.NewGuid().ToString("N"), $"owner-{Guid.NewGuid():N}@wallet.example", "Owner", IsAdmin: false);
        var admin = await SeededAdminAsync();
        OrganisationForm Form(string name) => new()
        {
            LegalName = name, RegistrationNumber = "55556666", Country = "GB", Website = "https://renamed.example",
            ContactName = "Owner", ContactEmail = owner.Email, AccountInformation = true,
            Description = "A wallet that changes its name in this test.",
        };
        var organisation = await Services(owner).Organisations.RegisterAsync(Form("Plain Wallet Ltd"), _ct);
        await Services(admin).Admin.ApproveAsync(organisation.Id, organisation.LegalName, _ct);
        var (app, _) = await Services(owner).Apps.CreateAsync(new AppForm { Name = "Renamed app", RedirectUris = "https://renamed.example/callback" }, _ct);

        await Services(owner).Organisations.UpdateAsync(Form("Your Bank Official Ltd"), _ct);

        Assert.Equal("Plain Wallet Ltd", (await Services(owner).Apps.GetAsync(app.ClientId, _ct)).Client!.OrganisationName);

        await Services(admin).Admin.ApproveAsync(organisation.Id, "Your Bank Official Ltd", _ct);

        Assert.Equal("Your Bank Official Ltd", (await Services(owner).Apps.GetAsync(app.ClientId, _ct)).Client!.OrganisationName);
    }

    [Fact]
    public async Task RenamedOrganisationUnderReview_SuspendedByTheBank_ItsAppsStopAtIdentity_AndReactivationRestartsThemUnderTheApprovedName()
    {
        var owner = new PortalActor(Guid.NewGuid().ToString("N"), $"owner-{Guid.NewGuid():N}@wallet.example", "Owner", IsAdmin: false);
        var admin = await SeededAdminAsync();
        OrganisationForm Form(string name) => new()
        {
            LegalName = name, RegistrationNumber = "77778888", Country = "GB", Website = "https://rereview.example",
            ContactName = "Owner", ContactEmail = owner.Email, AccountInformation = true,
            Description = "A wallet renamed and then suspended in this test.",
        };
        var organisation = await Services(owner).Organisations.RegisterAsync(Form("Quiet Wallet Ltd"), _ct);
        await Services(admin).Admin.ApproveAsync(organisation.Id, organisation.LegalName, _ct);
        var (app, credentials) = await Services(owner).Apps.CreateAsync(new AppForm { Name = "Re-review app", RedirectUris = "https://rereview.example/callback" }, _ct);
        await Services(owner).Organisations.UpdateAsync(Form("Loud Wallet Ltd"), _ct);
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(credentials.ClientId, credentials.ClientSecret!, "accounts"));

        await Services(admin).Admin.SuspendAsync(organisation.Id, "Unusual activity under review.", _ct);

        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(credentials.ClientId, credentials.ClientSecret!, "accounts"));
        Assert.Contains("suspended", _lastError, StringComparison.OrdinalIgnoreCase);

        await Services(admin).Admin.ReactivateAsync(organisation.Id, _ct);

        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(credentials.ClientId, credentials.ClientSecret!, "accounts"));
        Assert.Equal(OrganisationStatus.Pending, (await Services(admin).Admin.OrganisationAsync(organisation.Id, _ct)).Organisation.Status);
        Assert.Equal("Quiet Wallet Ltd", (await Services(owner).Apps.GetAsync(app.ClientId, _ct)).Client!.OrganisationName);
    }

    [Fact]
    public async Task AdminWhoseRoleIsRemoved_IsRefusedTheNextAdminAction_AndTheirSessionFailsRevalidation()
    {
        var (user, users) = await NewIdentityUserAsync(PortalActor.AdminRole);
        var admin = new PortalActor(user.Id, user.Email!, "Admin", IsAdmin: true);
        var standing = new UserStanding(Services(admin).Identity, TimeProvider.System);
        await Services(admin).Admin.ReviewQueueAsync(_ct);
        Assert.True(await standing.IsStillValidAsync(SignedIn(admin), _ct));

        await users.RemoveFromRoleAsync(user, PortalActor.AdminRole);

        await Assert.ThrowsAsync<PortalForbiddenException>(() => Services(admin).Admin.ReviewQueueAsync(_ct));
        await Assert.ThrowsAsync<PortalForbiddenException>(() => Services(admin).Admin.SetAppSuspendedAsync(DevelopmentSeed.DemoAppClientId, true, _ct));
        Assert.False(await standing.IsStillValidAsync(SignedIn(admin), _ct));
    }

    [Fact]
    public async Task LockedOrDeletedAccount_AndAnEndedSession_FailRevalidation()
    {
        var (user, users) = await NewIdentityUserAsync(role: null);
        var partner = new PortalActor(user.Id, user.Email!, "Partner", IsAdmin: false);
        var standing = new UserStanding(Services(partner).Identity, TimeProvider.System);
        Assert.True(await standing.IsStillValidAsync(SignedIn(partner), _ct));
        Assert.False(await standing.IsStillValidAsync(SignedIn(partner, endsAt: DateTimeOffset.UtcNow.AddMinutes(-1)), _ct));

        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddDays(1));

        Assert.False(await standing.IsStillValidAsync(SignedIn(partner), _ct));
        var stranger = new PortalActor(Guid.NewGuid().ToString(), "nobody@wallet.example", "Nobody", IsAdmin: false);
        Assert.False(await standing.IsStillValidAsync(SignedIn(stranger), _ct));
    }

    [Fact]
    public async Task AdminLockedOutByWrongPasswords_KeepsTheirSessionAndAdminPower()
    {
        // Anyone who knows an admin's address can cause this lockout: it must not end the admin's sessions or decisions.
        var (user, users) = await NewIdentityUserAsync(PortalActor.AdminRole);
        await users.SetLockoutEnabledAsync(user, true);
        for (var attempt = 0; attempt < users.Options.Lockout.MaxFailedAccessAttempts; attempt++)
        {
            await users.AccessFailedAsync(user);
        }

        Assert.True(await users.IsLockedOutAsync(user));
        var admin = new PortalActor(user.Id, user.Email!, "Admin", IsAdmin: true);
        var standing = new UserStanding(Services(admin).Identity, TimeProvider.System);

        Assert.True(await standing.IsStillValidAsync(SignedIn(admin), _ct));
        await Services(admin).Admin.ReviewQueueAsync(_ct);
    }

    private async Task<PortalActor> SeededAdminAsync()
    {
        await using var scope = platform.Identity.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(DevelopmentSeed.AdminEmail);
        return new PortalActor(user!.Id, DevelopmentSeed.AdminEmail, "Admin", IsAdmin: true);
    }

    /// <summary>A user of Identity's own (a scope kept for the test's life: its UserManager changes the real account).</summary>
    private async Task<(ApplicationUser User, UserManager<ApplicationUser> Users)> NewIdentityUserAsync(string? role)
    {
        var users = platform.Identity.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var email = $"person-{Guid.NewGuid():N}@wallet.example";
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        if (role is not null)
        {
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        }

        return (user, users);
    }

    private static ClaimsPrincipal SignedIn(PortalActor actor, DateTimeOffset? endsAt = null)
    {
        Claim[] claims =
        [
            new("sub", actor.UserId), new("email", actor.Email), new("name", actor.Name),
            new(SessionLifetime.EndsAtClaim, (endsAt ?? DateTimeOffset.UtcNow.AddHours(1)).ToString("O")),
            .. actor.IsAdmin ? new[] { new Claim("role", PortalActor.AdminRole) } : [],
        ];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test", "name", "role"));
    }

    private async Task<HttpStatusCode> TokenStatusAsync(string clientId, string secret, string scope)
    {
        var wallet = platform.Wallet(clientId, secret);
        var (status, body) = await wallet.PostAsync(wallet.Identity(), "/connect/token",
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = scope });
        _lastError = body.ToString();
        return status;
    }

    private PartnerServices Services(PortalActor actor)
    {
        var dbFactory = _portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var current = new CurrentPartner(new FixedUser(actor), dbFactory);
        var clock = TimeProvider.System;
        var tokens = new ServiceTokenProvider(new ToIdentity(platform), Options.Create(new ServiceClientOptions
        {
            ClientSecret = "portal-service-dev-secret",
            TokenEndpoint = new Uri("http://localhost/connect/token"),
        }), clock);
        var identityClient = platform.Identity.CreateDefaultClient(new Uri("http://localhost/"), new ServiceTokenHandler(tokens, PlatformScopes.IdentityClients));
        var identity = new IdentityClientsClient(identityClient);
        var unused = new HttpClient { BaseAddress = new Uri("http://unused/") };
        return new PartnerServices(
            new OrganisationService(current, dbFactory, clock),
            new AppService(current, dbFactory, identity, clock, NullLogger<AppService>.Instance),
            new AdminService(current, dbFactory, identity, new GatewayCallsClient(unused), clock),
            identity);
    }

    private sealed record PartnerServices(OrganisationService Organisations, AppService Apps, AdminService Admin, IdentityClientsClient Identity);

    private sealed class ToIdentity(GatewayPlatform platform) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => platform.Identity.CreateClient();
    }

    private sealed class FixedUser(PortalActor actor) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync()
        {
            Claim[] claims =
            [
                new("sub", actor.UserId), new("email", actor.Email), new("name", actor.Name),
                .. actor.IsAdmin ? new[] { new Claim("role", PortalActor.AdminRole) } : [],
            ];
            return Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(claims, "test", "name", "role"))));
        }
    }
}
