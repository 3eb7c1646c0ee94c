extern alias identity;
extern alias portal;

using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenBanking.Shared;
using OpenBanking.TestKit;
using identity::OpenBanking.Identity.Infrastructure;
using portal::OpenBanking.Portal.Account;
using portal::OpenBanking.Portal.Admin;
using portal::OpenBanking.Portal.Authentication;
using portal::OpenBanking.Portal.Domain;
using portal::OpenBanking.Portal.Infrastructure;
using portal::OpenBanking.Portal.Partners;
using portal::OpenBanking.Portal.Platform;

namespace OpenBanking.Gateway.FunctionalTests;

/// <summary>
/// A partner user's export and erasure, the Portal's records and the real Identity together: what the download holds,
/// when erasure is refused, and what an erasure leaves behind in both services.
/// </summary>
public sealed class PortalAccountPrivacyTests(GatewayPlatform platform, ServiceFactory<portal::Program> portalHost)
    : IClassFixture<GatewayPlatform>, IClassFixture<ServiceFactory<portal::Program>>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Download_CombinesIdentityAndPortalRecords_AsAnAttachment_AndHoldsNoOtherPartnersData()
    {
        var owner = await NewPersonAsync("Olive Owner");
        var organisation = await RegisterApprovedAsync(owner, "Export Wallet Ltd");
        var invitee = $"invitee-{Guid.NewGuid():N}@wallet.example";
        await Services(owner).Team.InviteAsync(invitee, TeamRole.Developer, _ct);
        var (app, _) = await Services(owner).Apps.CreateAsync(new AppForm { Name = "Export app", RedirectUris = "https://export.example/callback" }, _ct);
        var stranger = await NewPersonAsync("Sam Stranger");
        await RegisterApprovedAsync(stranger, "Stranger Wallet Ltd");
        var (strangerApp, _) = await Services(stranger).Apps.CreateAsync(new AppForm { Name = "Stranger app", RedirectUris = "https://stranger.example/callback" }, _ct);

        var (status, headers, body) = await ExecuteAsync(context => AccountPrivacyEndpoints.DownloadAsync(
            context, Services(owner).Privacy, TimeProvider.System, _ct), owner);

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.StartsWith("attachment", headers.ContentDisposition.ToString(), StringComparison.Ordinal);
        Assert.Equal("no-store", headers.CacheControl.ToString());
        var export = JsonDocument.Parse(body).RootElement;
        var account = export.GetProperty("identity").GetProperty("account");
        Assert.Equal(owner.UserId, account.GetProperty("subject").GetString());
        Assert.Equal(owner.Email, account.GetProperty("email").GetString());
        Assert.Equal(["Partner"], account.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var change = Assert.Single(export.GetProperty("identity").GetProperty("clientChanges").EnumerateArray());
        Assert.Equal(app.ClientId, change.GetProperty("clientId").GetString());
        var portalRecords = export.GetProperty("portal");
        var membership = Assert.Single(portalRecords.GetProperty("memberships").EnumerateArray());
        Assert.Equal(("Export Wallet Ltd", "Owner"), (membership.GetProperty("organisation").GetString(), membership.GetProperty("role").GetString()));
        Assert.Equal(invitee, Assert.Single(portalRecords.GetProperty("invitationsSent").EnumerateArray()).GetProperty("email").GetString());
        Assert.Equal(app.ClientId, Assert.Single(portalRecords.GetProperty("appsCreated").EnumerateArray()).GetProperty("clientId").GetString());
        var actions = portalRecords.GetProperty("auditEntries").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("organisation.registered", actions);
        Assert.Contains("member.invited", actions);
        Assert.Contains("app.created", actions);
        Assert.Equal(organisation.Id.ToString(), portalRecords.GetProperty("organisationContact")[0].GetProperty("organisationId").GetString());

        // Another partner's organisation, person and app appear nowhere.
        Assert.DoesNotContain("Stranger Wallet", body, StringComparison.Ordinal);
        Assert.DoesNotContain(stranger.Email, body, StringComparison.Ordinal);
        Assert.DoesNotContain(stranger.UserId, body, StringComparison.Ordinal);
        Assert.DoesNotContain(strangerApp.ClientId, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erase_ByTheLastOwner_IsRefused_NamingTheOrganisation_WithEveryErrorAtOnce_AndNothingChanges()
    {
        var owner = await NewPersonAsync("Lone Owner");
        var organisation = await RegisterApprovedAsync(owner, "Lone Owner Wallet Ltd");

        var refusal = await Assert.ThrowsAsync<PortalValidationException>(() => Services(owner).Privacy.EraseAsync(owner, "not-my-address@example.com", _ct));

        Assert.Contains("Type your e-mail address", refusal.Errors["confirmation"][0], StringComparison.Ordinal);
        var blocker = Assert.Single(refusal.Errors[""]);
        Assert.Contains("last owner of Lone Owner Wallet Ltd", blocker, StringComparison.Ordinal);
        Assert.Contains("Make another member an owner", blocker, StringComparison.Ordinal);
        Assert.Equal([blocker], await Services(owner).Privacy.BlockersAsync(owner, _ct));
        await using var scope = portalHost.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.True(await db.Memberships.AnyAsync(m => m.UserId == owner.UserId && m.OrganisationId == organisation.Id, _ct));
        Assert.True((await IdentityStatusAsync(owner)).Active);
    }

    [Fact]
    public async Task Erase_ByABankAdmin_IsRefused()
    {
        var admin = await SeededAdminAsync();

        var refusal = await Assert.ThrowsAsync<PortalValidationException>(() => Services(admin).Privacy.EraseAsync(admin, admin.Email, _ct));

        Assert.Contains("bank admin", Assert.Single(refusal.Errors[""]), StringComparison.Ordinal);
        Assert.False(refusal.Errors.ContainsKey("confirmation"));
        Assert.True((await IdentityStatusAsync(admin)).Active);
    }

    [Fact]
    public async Task Erase_RemovesMembershipAndAccount_PseudonymisesTheAuditTrail_KeepsTheApps_EndsTheSession_AndCanBeRepeated()
    {
        var leaver = await NewPersonAsync("Lee Leaver");
        var organisation = await RegisterApprovedAsync(leaver, "Leavers Wallet Ltd");
        var successor = await NewPersonAsync("Sue Successor");
        await Services(leaver).Team.InviteAsync(successor.Email, TeamRole.Owner, _ct);
        await Services(successor).Team.AcceptAsync(Assert.Single(await Services(successor).Team.MyInvitationsAsync(_ct)).Invitation.Id, _ct);
        var pendingInvitee = $"pending-{Guid.NewGuid():N}@wallet.example";
        await Services(leaver).Team.InviteAsync(pendingInvitee, TeamRole.Viewer, _ct);
        var (app, credentials) = await Services(leaver).Apps.CreateAsync(new AppForm { Name = "Kept app", RedirectUris = "https://kept.example/callback" }, _ct);
        var pseudonym = ErasedUsers.Pseudonym(leaver.UserId);

        var erased = await Services(leaver).Privacy.EraseAsync(leaver, $"  {leaver.Email.ToUpperInvariant()} ", _ct);

        Assert.Equal(pseudonym, erased);
        await using (var scope = portalHost.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            Assert.False(await db.Memberships.AnyAsync(m => m.UserId == leaver.UserId || m.Email == leaver.Email, _ct));
            var keptApp = await db.Apps.SingleAsync(a => a.ClientId == app.ClientId, _ct);
            Assert.Equal((organisation.Id, pseudonym), (keptApp.OrganisationId, keptApp.CreatedBy));
            Assert.Equal(pseudonym, (await db.Memberships.SingleAsync(m => m.Email == pendingInvitee, _ct)).InvitedBy);
            var trail = await db.AuditEntries.Where(e => e.OrganisationId == organisation.Id).ToListAsync(_ct);
            Assert.Contains(trail, e => e.Action == "app.created" && e.Actor == pseudonym);
            Assert.Contains(trail, e => e.Action == "member.joined" && e.Actor == successor.Email);
            Assert.All(trail, e => Assert.DoesNotContain(leaver.Email, $"{e.Actor} {e.Before} {e.After}", StringComparison.OrdinalIgnoreCase));
            Assert.All(trail, e => Assert.DoesNotContain(leaver.UserId, $"{e.Before} {e.After}", StringComparison.Ordinal));
            Assert.All(trail, e => Assert.DoesNotContain("Lee Leaver", $"{e.Before} {e.After}", StringComparison.Ordinal));
            Assert.Single(trail, e => e.Action == AccountPrivacyService.ErasedAction && e.Actor == pseudonym);
            Assert.Equal(OrganisationStatus.Approved, (await db.Organisations.SingleAsync(o => o.Id == organisation.Id, _ct)).Status);
        }

        // Identity: the account is gone, its app audit names the pseudonym, the app still gets tokens.
        await using (var scope = platform.Identity.Services.CreateAsyncScope())
        {
            Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(leaver.UserId));
            var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
            Assert.Equal(pseudonym, (await db.ClientAudit.SingleAsync(e => e.ClientId == app.ClientId && e.Action == "created", _ct)).ActingUser);
        }

        var wallet = platform.Wallet(credentials.ClientId, credentials.ClientSecret!);
        var (tokenStatus, _) = await wallet.PostAsync(wallet.Identity(), "/connect/token",
            new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "accounts" });
        Assert.Equal(System.Net.HttpStatusCode.OK, tokenStatus);

        // The browser that asked: its Portal session ends at once and it lands on the public page.
        var (status, headers, _) = await ExecuteAsync(context => AccountPrivacyEndpoints.SignOutDeletedAsync(context, Standing(leaver), _ct), leaver);
        Assert.Equal(StatusCodes.Status302Found, status);
        Assert.Equal(AccountPrivacyEndpoints.GoodbyePath, headers.Location.ToString());
        Assert.Contains(headers.SetCookie, c => c!.StartsWith("__portal=;", StringComparison.Ordinal));

        // A retry after a failure half-way is safe: nothing more to change, one erasure entry.
        Assert.Equal(pseudonym, await Services(leaver).Privacy.EraseAsync(leaver, leaver.Email, _ct));
        await using (var scope = portalHost.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == AccountPrivacyService.ErasedAction && e.EntityId == pseudonym, _ct));
        }
    }

    [Fact]
    public async Task DeletedPage_DoesNotSignOutSomeoneWhoseAccountStands()
    {
        var person = await NewPersonAsync("Still Here");

        var (status, headers, _) = await ExecuteAsync(context => AccountPrivacyEndpoints.SignOutDeletedAsync(context, Standing(person), _ct), person);

        Assert.Equal(StatusCodes.Status302Found, status);
        Assert.Equal("/account", headers.Location.ToString());
        Assert.DoesNotContain(headers.SetCookie, c => c!.StartsWith("__portal=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Download_WithoutASession_AsksToSignIn()
    {
        using var client = portalHost.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(AccountPrivacyEndpoints.DownloadPath, _ct);

        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/sign-in?returnUrl=%2Faccount", response.Headers.Location?.OriginalString);
        Assert.DoesNotContain("\"identity\"", await response.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
    }

    private async Task<(int Status, IHeaderDictionary Headers, string Body)> ExecuteAsync(Func<HttpContext, Task<IResult>> handler, PortalActor actor)
    {
        await using var scope = portalHost.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, User = SignedIn(actor) };
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost");
        using var body = new MemoryStream();
        context.Response.Body = body;
        var result = await handler(context);
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, context.Response.Headers, Encoding.UTF8.GetString(body.ToArray()));
    }

    private async Task<Organisation> RegisterApprovedAsync(PortalActor owner, string name)
    {
        var organisation = await Services(owner).Organisations.RegisterAsync(new OrganisationForm
        {
            LegalName = name, RegistrationNumber = "12345678", Country = "GB", Website = "https://wallet.example",
            ContactName = owner.Name, ContactEmail = owner.Email, AccountInformation = true,
            Description = "A wallet that shows its users their accounts in one place.",
        }, _ct);
        await Services(await SeededAdminAsync()).Admin.ApproveAsync(organisation.Id, organisation.LegalName, _ct);
        return organisation;
    }

    private async Task<PortalActor> SeededAdminAsync()
    {
        await using var scope = platform.Identity.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(DevelopmentSeed.AdminEmail);
        return new PortalActor(user!.Id, DevelopmentSeed.AdminEmail, "Admin", IsAdmin: true);
    }

    /// <summary>A real partner account at Identity, and the Portal's view of it.</summary>
    private async Task<PortalActor> NewPersonAsync(string name)
    {
        await using var scope = platform.Identity.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var email = $"person-{Guid.NewGuid():N}@wallet.example";
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, CreatedAt = DateTimeOffset.UtcNow };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, "Partner")).Succeeded);
        return new PortalActor(user.Id, email, name, IsAdmin: false);
    }

    private async Task<UserStatus> IdentityStatusAsync(PortalActor actor) => await IdentityClient().GetUserStatusAsync(actor.UserId, _ct);

    private UserStanding Standing(PortalActor actor) => new(IdentityClient(), TimeProvider.System);

    private static ClaimsPrincipal SignedIn(PortalActor actor)
    {
        Claim[] claims =
        [
            new("sub", actor.UserId), new("email", actor.Email), new("name", actor.Name),
            new(SessionLifetime.EndsAtClaim, DateTimeOffset.UtcNow.AddHours(1).ToString("O")),
            .. actor.IsAdmin ? new[] { new Claim("role", PortalActor.AdminRole) } : [],
        ];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test", "name", "role"));
    }

    private IdentityClientsClient IdentityClient()
    {
        var tokens = new ServiceTokenProvider(new ToIdentity(platform), Options.Create(new ServiceClientOptions
        {
            ClientSecret = "portal-service-dev-secret",
            TokenEndpoint = new Uri("http://localhost/connect/token"),
        }), TimeProvider.System);
        return new IdentityClientsClient(platform.Identity.CreateDefaultClient(new Uri("http://localhost/"), new ServiceTokenHandler(tokens, PlatformScopes.IdentityClients)));
    }

    private PartnerServices Services(PortalActor actor)
    {
        var dbFactory = portalHost.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var current = new CurrentPartner(new FixedUser(actor), dbFactory);
        var clock = TimeProvider.System;
        var identity = IdentityClient();
        var unused = new HttpClient { BaseAddress = new Uri("http://unused/") };
        return new PartnerServices(
            new OrganisationService(current, dbFactory, clock),
            new TeamService(current, dbFactory, clock),
            new AppService(current, dbFactory, identity, clock, NullLogger<AppService>.Instance),
            new AdminService(current, dbFactory, identity, new GatewayCallsClient(unused), clock),
            new AccountPrivacyService(dbFactory, identity, clock, NullLogger<AccountPrivacyService>.Instance));
    }

    private sealed record PartnerServices(OrganisationService Organisations, TeamService Team, AppService Apps, AdminService Admin, AccountPrivacyService Privacy);

    private sealed class ToIdentity(GatewayPlatform platform) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => platform.Identity.CreateClient();
    }

    private sealed class FixedUser(PortalActor actor) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(SignedIn(actor)));
    }
}
