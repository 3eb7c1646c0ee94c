using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenBanking.Portal.Admin;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Portal.FunctionalTests.Partners;

/// <summary>
/// The Portal's server-side rules on its real SQLite database: who may do what (checked before any other service is
/// called), one organisation's data never reaching another's members, the admins' decisions and the audit trail.
/// </summary>
public sealed class PartnerRulesTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Registering_MakesAPendingOrganisation_WithTheRegistrantAsOwner_AnAuditEntry_AndANoteForAdmins()
    {
        var owner = NewPerson();

        var organisation = await Services(owner).Organisations.RegisterAsync(ValidOrganisation("Pending Pay Ltd"), Ct);

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.Equal(OrganisationStatus.Pending, organisation.Status);
        var membership = await db.Memberships.SingleAsync(m => m.OrganisationId == organisation.Id, Ct);
        Assert.Equal((owner.UserId, TeamRole.Owner), (membership.UserId, membership.Role));
        var audit = await db.AuditEntries.SingleAsync(a => a.EntityId == organisation.Id.ToString(), Ct);
        Assert.Equal(("organisation.registered", owner.Email, "Owner"), (audit.Action, audit.Actor, audit.ActorRole));
        Assert.Contains(await db.Notifications.Where(n => n.OrganisationId == null).ToListAsync(Ct), n => n.Message.Contains("Pending Pay Ltd", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Registering_WithBadInput_NamesEveryField_AndStoresNothing()
    {
        var owner = NewPerson();
        var form = new OrganisationForm { LegalName = "", Website = "http://not-https.example", ContactEmail = "nope", Description = "short" };

        var refusal = await Assert.ThrowsAsync<PortalValidationException>(() => Services(owner).Organisations.RegisterAsync(form, Ct));

        Assert.Superset(new HashSet<string> { "LegalName", "RegistrationNumber", "Country", "Website", "ContactEmail", "Description", "AccountInformation" },
            refusal.Errors.Keys.ToHashSet());
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Memberships.AnyAsync(m => m.UserId == owner.UserId, Ct));
    }

    [Fact]
    public async Task PendingOrganisation_CannotCreateApps_AndAViewerOfAnApprovedOneCannotEither()
    {
        var owner = NewPerson();
        var services = Services(owner);
        var organisation = await services.Organisations.RegisterAsync(ValidOrganisation("Waiting Wallet"), Ct);

        var pending = await Assert.ThrowsAsync<PortalForbiddenException>(() => services.Apps.CreateAsync(ValidApp(), Ct));
        Assert.Contains("approved", pending.Message, StringComparison.Ordinal);

        await Services(Admin).Admin.ApproveAsync(organisation.Id, organisation.LegalName, Ct);
        var viewer = NewPerson();
        await services.Team.InviteAsync(viewer.Email, TeamRole.Viewer, Ct);
        var viewerServices = Services(viewer);
        var invitation = Assert.Single(await viewerServices.Team.MyInvitationsAsync(Ct));
        await viewerServices.Team.AcceptAsync(invitation.Invitation.Id, Ct);

        await Assert.ThrowsAsync<PortalForbiddenException>(() => viewerServices.Apps.CreateAsync(ValidApp(), Ct));
        await Assert.ThrowsAsync<PortalForbiddenException>(() => viewerServices.Team.InviteAsync("someone@example.com", TeamRole.Owner, Ct));
        await Assert.ThrowsAsync<PortalForbiddenException>(() => viewerServices.Sandbox.ResetAsync(Ct));
        Assert.Equal(2, (await viewerServices.Team.ListAsync(Ct)).Count);
    }

    [Fact]
    public async Task AnotherOrganisationsApp_IsNotFound_ForReadingAndForEveryChange()
    {
        var stranger = NewPerson();
        await Services(stranger).Organisations.RegisterAsync(ValidOrganisation("Stranger Wallet"), Ct);
        var apps = Services(stranger).Apps;

        await Assert.ThrowsAsync<PortalNotFoundException>(() => apps.GetAsync(DevelopmentSeed.DemoAppClientId, Ct));
        await Assert.ThrowsAsync<PortalNotFoundException>(() => apps.RotateSecretAsync(DevelopmentSeed.DemoAppClientId, Ct));
        await Assert.ThrowsAsync<PortalNotFoundException>(() => apps.SetSuspendedAsync(DevelopmentSeed.DemoAppClientId, true, Ct));
        await Assert.ThrowsAsync<PortalNotFoundException>(() => apps.DeleteAsync(DevelopmentSeed.DemoAppClientId, Ct));
        await Assert.ThrowsAsync<PortalNotFoundException>(() => Services(stranger).Sandbox.CallsAsync(DevelopmentSeed.DemoAppClientId, new CallFilter(Guid.Empty), 1, 10, Ct));
        Assert.Empty(await apps.ListAsync(Ct));
    }

    [Fact]
    public async Task Partners_CannotUseAdminDecisions()
    {
        var partner = NewPerson();
        var organisation = await Services(partner).Organisations.RegisterAsync(ValidOrganisation("Self Approver Ltd"), Ct);
        var admin = Services(partner).Admin;

        await Assert.ThrowsAsync<PortalForbiddenException>(() => admin.ApproveAsync(organisation.Id, organisation.LegalName, Ct));
        await Assert.ThrowsAsync<PortalForbiddenException>(() => admin.ReviewQueueAsync(Ct));
        await Assert.ThrowsAsync<PortalForbiddenException>(() => admin.AuditAsync(new AuditFilter(), 1, 10, Ct));
        await Assert.ThrowsAsync<PortalForbiddenException>(() => admin.DecidePaymentAccessAsync(DevelopmentSeed.DemoAppClientId, true, null, Ct));
    }

    [Fact]
    public async Task AdminDecisions_FollowTheLifecycle_RequireReasons_AndReachThePartner()
    {
        var owner = NewPerson();
        var organisation = await Services(owner).Organisations.RegisterAsync(ValidOrganisation("Decided Wallet"), Ct);
        var admin = Services(Admin).Admin;

        await Assert.ThrowsAsync<PortalValidationException>(() => admin.RejectAsync(organisation.Id, "  ", Ct));
        await admin.RejectAsync(organisation.Id, "We could not verify the registration number.", Ct);
        await Assert.ThrowsAsync<PortalValidationException>(() => admin.SuspendAsync(organisation.Id, "Rejected ones cannot be suspended", Ct));

        var context = await Services(owner).Current.GetAsync(Ct);
        Assert.Equal(OrganisationStatus.Rejected, context.Organisation!.Status);
        Assert.Equal("We could not verify the registration number.", context.Organisation.StatusReason);
        Assert.Contains(await Services(owner).Organisations.NotificationsAsync(ct: Ct), n => n.Message.Contains("could not verify", StringComparison.Ordinal));
        var (entries, _) = await admin.AuditAsync(new AuditFilter(EntityId: organisation.Id.ToString()), 1, 50, Ct);
        var rejection = Assert.Single(entries, e => e.Action == "organisation.rejected");
        Assert.Equal(DevelopmentSeed.AdminEmail, rejection.Actor);
        Assert.Contains("Pending", rejection.Before, StringComparison.Ordinal);
        Assert.Contains("Rejected", rejection.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Team_KeepsAnOwner_InvitationsAreForTheirAddressOnly_AndRemovalTakesEffectAtOnce()
    {
        var owner = NewPerson();
        var services = Services(owner);
        await services.Organisations.RegisterAsync(ValidOrganisation("Team Wallet"), Ct);
        var ownerMembership = Assert.Single(await services.Team.ListAsync(Ct));
        await Assert.ThrowsAsync<PortalValidationException>(() => services.Team.RemoveAsync(ownerMembership.Id, Ct));

        var developer = NewPerson();
        var invitation = await services.Team.InviteAsync(developer.Email.ToUpperInvariant(), TeamRole.Developer, Ct);
        var someoneElse = NewPerson();
        await Assert.ThrowsAsync<PortalNotFoundException>(() => Services(someoneElse).Team.AcceptAsync(invitation.Id, Ct));
        await Services(developer).Team.AcceptAsync(invitation.Id, Ct);
        Assert.True((await Services(developer).Current.GetAsync(Ct)).CanManageApps);

        await Assert.ThrowsAsync<PortalValidationException>(() => services.Team.ChangeRoleAsync(ownerMembership.Id, TeamRole.Viewer, Ct));
        await Assert.ThrowsAsync<PortalForbiddenException>(() => Services(developer).Team.ChangeRoleAsync(invitation.Id, TeamRole.Owner, Ct));
        await services.Team.ChangeRoleAsync(invitation.Id, TeamRole.Viewer, Ct);
        Assert.False((await Services(developer).Current.GetAsync(Ct)).CanManageApps);

        await services.Team.RemoveAsync(invitation.Id, Ct);

        Assert.False((await Services(developer).Current.GetAsync(Ct)).HasOrganisation);
        await Assert.ThrowsAsync<PortalForbiddenException>(() => Services(developer).Apps.ListAsync(Ct));
    }

    [Fact]
    public async Task AppSuspendedByTheBank_CannotBeReactivatedOrResuspendedByItsTeam()
    {
        var owner = NewPerson();
        var organisation = await Services(owner).Organisations.RegisterAsync(ValidOrganisation("Bank Suspended Wallet"), Ct);
        await Services(Admin).Admin.ApproveAsync(organisation.Id, organisation.LegalName, Ct);
        var clientId = "bank-suspended-" + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            db.Apps.Add(new PartnerApp
            {
                ClientId = clientId, OrganisationId = organisation.Id, Name = "Held app", AuthMethod = AppForm.ClientSecretBasic,
                Suspended = true, SuspendedBy = AppSuspender.Bank,
            });
            await db.SaveChangesAsync(Ct);
        }

        var reactivate = await Assert.ThrowsAsync<PortalForbiddenException>(() => Services(owner).Apps.SetSuspendedAsync(clientId, false, Ct));
        Assert.Contains("suspended by the bank", reactivate.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PortalForbiddenException>(() => Services(owner).Apps.SetSuspendedAsync(clientId, true, Ct));

        Assert.True(Assert.Single(await Services(owner).Apps.ListAsync(Ct)).SuspendedByBank);
    }

    [Fact]
    public async Task RenamingAnApprovedOrganisation_SendsItBackToReview_OtherEditsDoNot_AndASuspendedOneCannotRename()
    {
        var owner = NewPerson();
        var organisation = await Services(owner).Organisations.RegisterAsync(ValidOrganisation("Old Name Wallet"), Ct);
        await Services(Admin).Admin.ApproveAsync(organisation.Id, organisation.LegalName, Ct);

        var edited = ValidOrganisation("Old Name Wallet");
        edited.Description = "A wallet that aggregates accounts for its customers, now with budgets.";
        Assert.Equal(OrganisationStatus.Approved, (await Services(owner).Organisations.UpdateAsync(edited, Ct)).Status);

        var renamed = await Services(owner).Organisations.UpdateAsync(ValidOrganisation("Bank Of Trust Ltd"), Ct);

        Assert.Equal(OrganisationStatus.Pending, renamed.Status);
        Assert.Contains("Old Name Wallet", renamed.StatusReason, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PortalForbiddenException>(() => Services(owner).Apps.CreateAsync(ValidApp(), Ct));
        Assert.Contains((await Services(Admin).Admin.ReviewQueueAsync(Ct)).Organisations, o => o.Id == organisation.Id);
        var (entries, _) = await Services(Admin).Admin.AuditAsync(new AuditFilter(EntityId: organisation.Id.ToString()), 1, 50, Ct);
        Assert.Contains(entries, e => e.Action == "organisation.renamed" && e.Actor == owner.Email);

        await Services(Admin).Admin.ApproveAsync(organisation.Id, renamed.LegalName, Ct);
        await Services(Admin).Admin.SuspendAsync(organisation.Id, "Under review.", Ct);
        await Assert.ThrowsAsync<PortalForbiddenException>(() => Services(owner).Organisations.UpdateAsync(ValidOrganisation("Another Name Ltd"), Ct));
    }

    [Fact]
    public async Task ApprovingAPendingOrganisation_IsRefused_WhenItsNameChangedSinceTheAdminReviewedIt()
    {
        var owner = NewPerson();
        var organisation = await Services(owner).Organisations.RegisterAsync(ValidOrganisation("Reviewed Name Ltd"), Ct);
        await Services(owner).Organisations.UpdateAsync(ValidOrganisation("Swapped Name Ltd"), Ct);

        var refusal = await Assert.ThrowsAsync<PortalValidationException>(() => Services(Admin).Admin.ApproveAsync(organisation.Id, "Reviewed Name Ltd", Ct));

        Assert.Contains("Swapped Name Ltd", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(OrganisationStatus.Pending, (await Services(Admin).Admin.OrganisationAsync(organisation.Id, Ct)).Organisation.Status);
        await Services(Admin).Admin.ApproveAsync(organisation.Id, "Swapped Name Ltd", Ct);
        var approved = (await Services(Admin).Admin.OrganisationAsync(organisation.Id, Ct)).Organisation;
        Assert.Equal((OrganisationStatus.Approved, "Swapped Name Ltd"), (approved.Status, approved.ApprovedName));
    }

    [Fact]
    public async Task RenamedOrganisationUnderReview_CanBeSuspended_AndReactivatingItSendsItBackToReview_NotToApproval()
    {
        var owner = NewPerson();
        var organisation = await Services(owner).Organisations.RegisterAsync(ValidOrganisation("Steady Wallet Ltd"), Ct);
        await Services(Admin).Admin.ApproveAsync(organisation.Id, organisation.LegalName, Ct);
        await Services(owner).Organisations.UpdateAsync(ValidOrganisation("Unreviewed Wallet Ltd"), Ct);

        await Services(Admin).Admin.SuspendAsync(organisation.Id, "Unusual activity.", Ct);
        Assert.Equal(OrganisationStatus.Suspended, (await Services(Admin).Admin.OrganisationAsync(organisation.Id, Ct)).Organisation.Status);

        await Services(Admin).Admin.ReactivateAsync(organisation.Id, Ct);

        var reactivated = (await Services(Admin).Admin.OrganisationAsync(organisation.Id, Ct)).Organisation;
        Assert.Equal((OrganisationStatus.Pending, "Unreviewed Wallet Ltd", "Steady Wallet Ltd"), (reactivated.Status, reactivated.LegalName, reactivated.ApprovedName));
        Assert.Contains((await Services(Admin).Admin.ReviewQueueAsync(Ct)).Organisations, o => o.Id == organisation.Id);
    }

    [Fact]
    public async Task SuspendedOrganisationWhoseNameIsApproved_IsApprovedAgainOnReactivation()
    {
        var owner = NewPerson();
        var organisation = await Services(owner).Organisations.RegisterAsync(ValidOrganisation("Approved Again Ltd"), Ct);
        await Services(Admin).Admin.ApproveAsync(organisation.Id, organisation.LegalName, Ct);
        await Services(Admin).Admin.SuspendAsync(organisation.Id, "Checks.", Ct);

        await Services(Admin).Admin.ReactivateAsync(organisation.Id, Ct);

        Assert.Equal(OrganisationStatus.Approved, (await Services(Admin).Admin.OrganisationAsync(organisation.Id, Ct)).Organisation.Status);
    }

    [Fact]
    public async Task NeverApprovedPendingOrganisation_CannotBeSuspended()
    {
        var owner = NewPerson();
        var organisation = await Services(owner).Organisations.RegisterAsync(ValidOrganisation("Fresh Wallet Ltd"), Ct);

        await Assert.ThrowsAsync<PortalValidationException>(() => Services(Admin).Admin.SuspendAsync(organisation.Id, "Nothing to suspend.", Ct));
    }

    [Fact]
    public async Task RejectingARename_RestoresTheApprovedName_AndTheOrganisationStaysApproved()
    {
        var owner = NewPerson();
        var organisation = await Services(owner).Organisations.RegisterAsync(ValidOrganisation("Honest Wallet Ltd"), Ct);
        await Services(Admin).Admin.ApproveAsync(organisation.Id, organisation.LegalName, Ct);
        await Services(owner).Organisations.UpdateAsync(ValidOrganisation("Your Bank Official Ltd"), Ct);

        await Services(Admin).Admin.RejectAsync(organisation.Id, "The name impersonates the bank.", Ct);

        var after = (await Services(Admin).Admin.OrganisationAsync(organisation.Id, Ct)).Organisation;
        Assert.Equal((OrganisationStatus.Approved, "Honest Wallet Ltd"), (after.Status, after.LegalName));
        Assert.Contains("Your Bank Official Ltd", after.StatusReason, StringComparison.Ordinal);
        var (entries, _) = await Services(Admin).Admin.AuditAsync(new AuditFilter(EntityId: organisation.Id.ToString()), 1, 50, Ct);
        Assert.Contains(entries, e => e.Action == "organisation.rename-rejected");
    }

    [Fact]
    public async Task AppSuspendedByTheBank_CannotBeDeletedByItsTeam()
    {
        var owner = NewPerson();
        var organisation = await Services(owner).Organisations.RegisterAsync(ValidOrganisation("Delete Dodge Wallet"), Ct);
        await Services(Admin).Admin.ApproveAsync(organisation.Id, organisation.LegalName, Ct);
        var clientId = "bank-held-" + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            db.Apps.Add(new PartnerApp
            {
                ClientId = clientId, OrganisationId = organisation.Id, Name = "Held app", AuthMethod = AppForm.ClientSecretBasic,
                Suspended = true, SuspendedBy = AppSuspender.Bank,
            });
            await db.SaveChangesAsync(Ct);
        }

        var refusal = await Assert.ThrowsAsync<PortalForbiddenException>(() => Services(owner).Apps.DeleteAsync(clientId, Ct));

        Assert.Contains("suspended by the bank", refusal.Message, StringComparison.Ordinal);
        Assert.True(Assert.Single(await Services(owner).Apps.ListAsync(Ct)).SuspendedByBank);
    }

    [Fact]
    public async Task AuditLog_IsAppendOnly()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var entry = await db.AuditEntries.FirstAsync(Ct);

        entry.Action = "rewritten";
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct));
        db.ChangeTracker.Clear();
        db.AuditEntries.Remove(await db.AuditEntries.FirstAsync(Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task SeededPartner_IsBoundToTheDemoOrganisation_AtFirstSignIn_ByTheirAddress()
    {
        var partner = new PortalActor(Guid.NewGuid().ToString(), DevelopmentSeed.PartnerEmail, "Demo Wallet Developer", IsAdmin: false);

        var context = await Services(partner).Current.GetAsync(Ct);

        Assert.Equal(Guid.Parse(DevelopmentSeed.DemoOrganisationId), context.Organisation?.Id);
        Assert.Equal(TeamRole.Owner, context.Role);
        Assert.Contains(await Services(partner).Apps.ListAsync(Ct), a => a.ClientId == DevelopmentSeed.DemoAppClientId);
    }

    private static readonly PortalActor Admin = new("admin-subject", DevelopmentSeed.AdminEmail, "Bank Admin", IsAdmin: true);

    private static PortalActor NewPerson()
    {
        var id = Guid.NewGuid().ToString("N");
        return new PortalActor(id, $"person-{id[..8]}@wallet.example", "Person " + id[..4], IsAdmin: false);
    }

    private static OrganisationForm ValidOrganisation(string name) => new()
    {
        LegalName = name,
        RegistrationNumber = "01234567",
        Country = "GB",
        Website = "https://wallet.example",
        ContactName = "Contact",
        ContactEmail = "contact@wallet.example",
        AccountInformation = true,
        Description = "A wallet that aggregates accounts for its customers.",
    };

    private static AppForm ValidApp() => new() { Name = "Test app", RedirectUris = "https://wallet.example/callback" };

    private PartnerServices Services(PortalActor actor)
    {
        _ = factory.Server;
        var dbFactory = factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var current = new CurrentPartner(new FixedUser(actor), dbFactory);
        // Any call to another service would fail the test: every refusal here must come before one.
        var unreachable = new HttpClient(new RefuseEverything()) { BaseAddress = new Uri("http://unreachable/") };
        var identity = new IdentityClientsClient(unreachable);
        var calls = new GatewayCallsClient(unreachable);
        var sandbox = new SandboxTenantsClient(unreachable);
        var clock = TimeProvider.System;
        return new PartnerServices(
            current,
            new OrganisationService(current, dbFactory, clock),
            new TeamService(current, dbFactory, clock),
            new AppService(current, dbFactory, identity, clock, NullLogger<AppService>.Instance),
            new AdminService(current, dbFactory, identity, calls, clock),
            new SandboxService(current, dbFactory, calls, sandbox, clock));
    }

    private sealed record PartnerServices(
        CurrentPartner Current, OrganisationService Organisations, TeamService Team, AppService Apps, AdminService Admin, SandboxService Sandbox);

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

    /// <summary>
    /// Identity as far as these rules need it: the seeded admin's standing (an admin action asks for it first; the real
    /// endpoint is exercised in Gateway.FunctionalTests). Anything else fails the test.
    /// </summary>
    private sealed class RefuseEverything : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => request.Method == HttpMethod.Get && request.RequestUri?.AbsolutePath == $"/internal/users/{Admin.UserId}"
                ? Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK)
                {
                    Content = System.Net.Http.Json.JsonContent.Create(new UserStatus(Admin.UserId, true, [PortalActor.AdminRole])),
                })
                : throw new InvalidOperationException($"Unexpected call to {request.RequestUri} before the rule refused it.");
    }
}
