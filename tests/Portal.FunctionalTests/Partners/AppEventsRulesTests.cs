using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;
using OpenBanking.TestKit;

namespace OpenBanking.Portal.FunctionalTests.Partners;

/// <summary>
/// The Events tab's server-side rules on the Portal's real SQLite database: the Sandbox is asked only about the
/// member's own organisation and app, changes need an owner or developer (refused before the Sandbox is called), every
/// change is audited, and the Sandbox's field errors reach the form by field.
/// </summary>
public sealed class AppEventsRulesTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SavingTheSubscription_AsksTheSandboxForTheOwnTenantAndApp_AndIsAudited()
    {
        var (developer, organisation, app) = await SeedAsync(TeamRole.Developer);
        var sandbox = new FakeSandbox(HttpStatusCode.OK,
            """{"SubscriptionId":"es-0123456789abcdef0123","CallbackUrl":"https://wallet.example/hooks","Version":"3.1","ApiVersion":"v3.1.11","CreatedAt":"2026-12-03T10:00:00Z","UpdatedAt":"2026-12-03T10:00:00Z"}""");

        await Service(developer, sandbox).SaveSubscriptionAsync(app, new EventSubscriptionChange("https://wallet.example/hooks", null, "3.1"), Ct);

        Assert.Equal([$"GET /internal/tenants/{organisation}/apps/{app}/events/subscription", $"PUT /internal/tenants/{organisation}/apps/{app}/events/subscription"],
            sandbox.Requests);
        await using var scope = factory.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditEntries.SingleAsync(a => a.EntityId == app, Ct);
        Assert.Equal((AuditActions.AppEventSubscriptionSaved, developer.Email, organisation), (audit.Action, audit.Actor, audit.OrganisationId));
        // Where it points, not its path (which may hold the partner's webhook secret).
        Assert.Contains("https://wallet.example/...", audit.After, StringComparison.Ordinal);
        Assert.DoesNotContain("hooks", audit.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AViewer_ReadsTheLog_ButEveryChangeIsRefused_BeforeTheSandboxIsAsked()
    {
        var (viewer, _, app) = await SeedAsync(TeamRole.Viewer);
        var sandbox = new FakeSandbox(HttpStatusCode.OK, """{"Items":[],"NextBefore":null}""");
        var events = Service(viewer, sandbox);

        var log = await events.LogAsync(app, new EventLogFilter(), Ct);
        await Assert.ThrowsAsync<PortalForbiddenException>(() => events.SaveSubscriptionAsync(app, new EventSubscriptionChange(null, null, null), Ct));
        await Assert.ThrowsAsync<PortalForbiddenException>(() => events.SendTestAsync(app, Ct));
        await Assert.ThrowsAsync<PortalForbiddenException>(() => events.ReplayAsync(app, 1, Ct));
        await Assert.ThrowsAsync<PortalForbiddenException>(() => events.ReplayFailedAsync(app, DateTimeOffset.UtcNow.AddHours(-1), Ct));
        await Assert.ThrowsAsync<PortalForbiddenException>(() => events.VerifyAsync(app, null, Ct));

        Assert.Empty(log.Items);
        Assert.Single(sandbox.Requests);
    }

    [Fact]
    public async Task AnotherOrganisationsApp_IsNotFound_AndTheSandboxIsNeverAsked()
    {
        var (developer, _, _) = await SeedAsync(TeamRole.Developer);
        var (_, _, otherApp) = await SeedAsync(TeamRole.Owner);
        var sandbox = new FakeSandbox(HttpStatusCode.OK, "{}");
        var events = Service(developer, sandbox);

        await Assert.ThrowsAsync<PortalNotFoundException>(() => events.LogAsync(otherApp, new EventLogFilter(), Ct));
        await Assert.ThrowsAsync<PortalNotFoundException>(() => events.DetailAsync(otherApp, 1, Ct));
        await Assert.ThrowsAsync<PortalNotFoundException>(() => events.ReplayAsync(otherApp, 1, Ct));

        Assert.Empty(sandbox.Requests);
    }

    [Fact]
    public async Task TheSandboxsFieldErrors_ComeBackByField()
    {
        var (developer, _, app) = await SeedAsync(TeamRole.Developer);
        var sandbox = new FakeSandbox(HttpStatusCode.BadRequest,
            """{"title":"The subscription cannot be saved.","status":400,"errors":{"callbackUrl":["The callback URL must use https."],"version":["Use version 3.1 or 4.0."]}}""",
            firstGetIsNotFound: true);

        var refusal = await Assert.ThrowsAsync<PortalValidationException>(
            () => Service(developer, sandbox).SaveSubscriptionAsync(app, new EventSubscriptionChange("http://wallet.example", null, "9"), Ct));

        Assert.Equal(["callbackUrl", "version"], refusal.Errors.Keys.Order(StringComparer.Ordinal));
    }

    private async Task<(PortalActor Actor, Guid Organisation, string App)> SeedAsync(TeamRole role)
    {
        _ = factory.Server;
        var id = Guid.NewGuid().ToString("N");
        var actor = new PortalActor(id, $"person-{id[..8]}@wallet.example", "Person", IsAdmin: false);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var organisation = new Organisation
        {
            Id = Guid.NewGuid(), LegalName = "Events Wallet " + id[..6], Status = OrganisationStatus.Approved,
            CreatedAt = DateTimeOffset.UtcNow, StatusUpdatedAt = DateTimeOffset.UtcNow,
        };
        db.Add(organisation);
        db.Add(new Membership { Id = Guid.NewGuid(), OrganisationId = organisation.Id, UserId = actor.UserId, Email = actor.Email, Role = role, CreatedAt = DateTimeOffset.UtcNow, AcceptedAt = DateTimeOffset.UtcNow });
        var app = new PartnerApp { ClientId = "events-" + id[..10], OrganisationId = organisation.Id, Name = "Events app", AuthMethod = AppForm.ClientSecretBasic, CreatedAt = DateTimeOffset.UtcNow };
        db.Add(app);
        await db.SaveChangesAsync(Ct);
        return (actor, organisation.Id, app.ClientId);
    }

    private AppEventsService Service(PortalActor actor, FakeSandbox sandbox)
    {
        var dbFactory = factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var current = new CurrentPartner(new FixedUser(actor), dbFactory);
        return new AppEventsService(current, dbFactory, new SandboxEventsClient(new HttpClient(sandbox) { BaseAddress = new Uri("http://sandbox/") }), TimeProvider.System);
    }

    private sealed class FakeSandbox(HttpStatusCode status, string answer, bool firstGetIsNotFound = false) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add($"{request.Method} {request.RequestUri!.AbsolutePath}");
            var notFound = firstGetIsNotFound && request.Method == HttpMethod.Get;
            return Task.FromResult(new HttpResponseMessage(notFound ? HttpStatusCode.NotFound : status)
            {
                Content = new StringContent(notFound ? """{"title":"No subscription","status":404}""" : answer, Encoding.UTF8,
                    status == HttpStatusCode.OK && !notFound ? "application/json" : "application/problem+json"),
            });
        }
    }

    private sealed class FixedUser(PortalActor actor) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync()
            => Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim("sub", actor.UserId), new Claim("email", actor.Email), new Claim("name", actor.Name)], "test", "name", "role"))));
    }
}
