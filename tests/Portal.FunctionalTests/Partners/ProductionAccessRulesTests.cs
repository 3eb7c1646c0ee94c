using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
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
/// Go-live readiness and production access on the Portal's real SQLite database: the report is computed on the server
/// from the other services (asked only about the member's own organisation and app), a request freezes it, the admin
/// decides with a reason, every step is audited, and another organisation sees none of it. Custom test customers follow
/// the same rules (role checked first, Sandbox errors by field, audited).
/// </summary>
public sealed class ProductionAccessRulesTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private static readonly PortalActor Admin = new("admin-subject", DevelopmentSeed.AdminEmail, "Bank Admin", IsAdmin: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARequestWithAFailedCheck_IsAllowed_FreezesTheReport_AndIsAudited()
    {
        var (developer, organisation, app) = await SeedAsync(TeamRole.Developer);
        var platform = new FakePlatform { RateLimitStatus = "failed" };

        var request = await Readiness(developer, platform).RequestProductionAccessAsync(app, "  Launch in February.  ", Ct);

        Assert.Equal(1, request.FailedChecks);
        Assert.Equal("Launch in February.", request.Note);
        Assert.StartsWith("Not ready: 1 check failed (429 Retry-After respected)", request.Verdict, StringComparison.Ordinal);
        Assert.All(platform.Requests.Where(r => r.Contains("/tenants/", StringComparison.Ordinal)), r => Assert.Contains(organisation.ToString(), r, StringComparison.Ordinal));
        Assert.Contains($"GET /internal/apps/{app}/readiness?organisationId={organisation}", platform.Requests);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.Equal(ProductionAccess.Requested, (await db.Apps.SingleAsync(a => a.ClientId == app, Ct)).ProductionAccess);
        var stored = await db.ProductionAccessRequests.SingleAsync(r => r.ClientId == app, Ct);
        var frozen = ReadinessService.Decode(stored.ReportJson)!;
        Assert.Equal(ReadinessLevel.NotReady, frozen.Level);
        Assert.Equal("failed", frozen.Checks.Single(c => c.Id == "rate-limit-respected").Status);
        Assert.Equal(41, frozen.Checks.Single(c => c.Id == "rate-limit-respected").Evidence.Single().CallId);
        var audit = await db.AuditEntries.SingleAsync(a => a.EntityId == app && a.Action == AuditActions.AppProductionAccessRequested, Ct);
        Assert.Equal((developer.Email, organisation), (audit.Actor, audit.OrganisationId));
        Assert.Contains("rate-limit-respected", audit.After, StringComparison.Ordinal);

        var again = await Assert.ThrowsAsync<PortalValidationException>(() => Readiness(developer, platform).RequestProductionAccessAsync(app, null, Ct));
        Assert.Contains("already has a production-access request waiting", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourcesThatFail_StillGiveAReport_NamingWhatIsMissing()
    {
        var (developer, _, app) = await SeedAsync(TeamRole.Viewer);

        var report = await Readiness(developer, new FakePlatform { Broken = true }).ReportAsync(app, Ct);

        Assert.Equal(3, report.SourceProblems.Count);
        Assert.Equal(ReadinessLevel.Incomplete, report.Level);
        Assert.All(report.Checks, c => Assert.Equal(ReadinessStatus.Unavailable, c.Status));
    }

    [Fact]
    public async Task TheAdmin_RejectsWithAReason_ThePartnerAsksAgain_AndTheAdminApproves()
    {
        var (developer, organisation, app) = await SeedAsync(TeamRole.Owner);
        var platform = new FakePlatform();
        var first = await Readiness(developer, platform).RequestProductionAccessAsync(app, null, Ct);
        var admin = AdminService(Admin, platform);

        var queued = Assert.Single((await admin.ReviewQueueAsync(Ct)).ProductionRequests, r => r.Request.Id == first.Id);
        Assert.Equal(ReadinessLevel.Ready, queued.Report!.Level);
        Assert.StartsWith("Production Wallet", queued.OrganisationName, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PortalValidationException>(() => admin.DecideProductionAccessAsync(first.Id, approve: false, "  ", Ct));
        await admin.DecideProductionAccessAsync(first.Id, approve: false, "Show a refresh-token grant first.", Ct);
        await Assert.ThrowsAsync<PortalValidationException>(() => admin.DecideProductionAccessAsync(first.Id, approve: true, null, Ct));

        var refused = await AppOf(app);
        Assert.Equal((ProductionAccess.Refused, "Show a refresh-token grant first."), (refused.ProductionAccess, refused.ProductionAccessReason));
        Assert.DoesNotContain((await admin.ReviewQueueAsync(Ct)).ProductionRequests, r => r.Request.ClientId == app);

        var second = await Readiness(developer, platform).RequestProductionAccessAsync(app, "Refresh added.", Ct);
        await admin.DecideProductionAccessAsync(second.Id, approve: true, null, Ct);

        Assert.Equal(ProductionAccess.Approved, (await AppOf(app)).ProductionAccess);
        var history = await Readiness(developer, platform).RequestsAsync(app, Ct);
        Assert.Equal([ProductionAccess.Approved, ProductionAccess.Refused], history.Select(h => h.Request.Status));
        await Assert.ThrowsAsync<PortalValidationException>(() => Readiness(developer, platform).RequestProductionAccessAsync(app, null, Ct));
        var (entries, _) = await admin.AuditAsync(new AuditFilter(EntityId: app, Action: "app.production-access"), 1, 20, Ct);
        Assert.Equal(
            [AuditActions.AppProductionAccessGranted, AuditActions.AppProductionAccessRequested, AuditActions.AppProductionAccessRefused, AuditActions.AppProductionAccessRequested],
            entries.Select(e => e.Action));
        var notifications = await new OrganisationService(Current(developer), DbFactory, TimeProvider.System).NotificationsAsync(ct: Ct);
        Assert.Contains(notifications, n => n.Message == "Production Wallet app is production-approved." && n.OrganisationId == organisation);
    }

    [Fact]
    public async Task AnotherOrganisation_SeesNothing_AndNoServiceIsAskedAboutIt()
    {
        var (owner, _, app) = await SeedAsync(TeamRole.Owner);
        var (stranger, _, _) = await SeedAsync(TeamRole.Owner);
        await Readiness(owner, new FakePlatform()).RequestProductionAccessAsync(app, "Ours.", Ct);
        var platform = new FakePlatform();
        var readiness = Readiness(stranger, platform);

        await Assert.ThrowsAsync<PortalNotFoundException>(() => readiness.ReportAsync(app, Ct));
        await Assert.ThrowsAsync<PortalNotFoundException>(() => readiness.RequestsAsync(app, Ct));
        await Assert.ThrowsAsync<PortalNotFoundException>(() => readiness.RequestProductionAccessAsync(app, null, Ct));
        await Assert.ThrowsAsync<PortalNotFoundException>(() => readiness.CallAsync(app, 41, Ct));
        await Assert.ThrowsAsync<PortalForbiddenException>(() => AdminService(stranger, platform).ReviewQueueAsync(Ct));
        await Assert.ThrowsAsync<PortalForbiddenException>(() => AdminService(stranger, platform).DecideProductionAccessAsync(1, true, null, Ct));

        Assert.Empty(platform.Requests);
    }

    [Fact]
    public async Task AViewer_CannotRequest_AndATooLongNote_IsRefusedByField_BeforeAnyServiceIsAsked()
    {
        var (viewer, _, app) = await SeedAsync(TeamRole.Viewer);
        var (developer, _, ownApp) = await SeedAsync(TeamRole.Developer);
        var platform = new FakePlatform();

        await Assert.ThrowsAsync<PortalForbiddenException>(() => Readiness(viewer, platform).RequestProductionAccessAsync(app, null, Ct));
        var tooLong = await Assert.ThrowsAsync<PortalValidationException>(
            () => Readiness(developer, platform).RequestProductionAccessAsync(ownApp, new string('x', ReadinessService.MaxNoteLength + 1), Ct));

        Assert.Equal(["note"], tooLong.Errors.Keys);
        Assert.Empty(platform.Requests);
    }

    [Fact]
    public async Task ACustomCustomer_IsCreatedInTheOwnTenant_WithTheSandboxsErrorsByField_AndAudited()
    {
        var (developer, organisation, _) = await SeedAsync(TeamRole.Developer);
        var (viewer, _, _) = await SeedAsync(TeamRole.Viewer);
        var platform = new FakePlatform();
        var customer = new NewCustomer("zoe", "Zoe Test", null, [new NewAccount("GBP", "100.00")]);

        await Assert.ThrowsAsync<PortalForbiddenException>(() => Sandbox(viewer, platform).CreateCustomerAsync(customer, Ct));
        Assert.Empty(platform.Requests);

        platform.CustomerErrors = true;
        var refusal = await Assert.ThrowsAsync<PortalValidationException>(() => Sandbox(developer, platform).CreateCustomerAsync(customer with { Username = "Z" }, Ct));
        Assert.Equal(["Accounts[0].Currency", "Username"], refusal.Errors.Keys.Order(StringComparer.Ordinal));

        platform.CustomerErrors = false;
        var created = await Sandbox(developer, platform).CreateCustomerAsync(customer, Ct);
        await Sandbox(developer, platform).DeleteCustomerAsync(new TestCustomer(created.CustomerId, "zoe", "custom", "Zoe Test", "sandbox", "SECRET", "otpauth://x"), Ct);

        Assert.Equal(
            [$"POST /internal/tenants/{organisation}/customers", $"POST /internal/tenants/{organisation}/customers", $"DELETE /internal/tenants/{organisation}/customers/cus-zoe"],
            platform.Requests);
        await using var scope = factory.Services.CreateAsyncScope();
        var actions = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditEntries
            .Where(a => a.EntityId == "cus-zoe" && a.OrganisationId == organisation).Select(a => a.Action).ToListAsync(Ct);
        Assert.Equal([AuditActions.SandboxCustomerCreated, AuditActions.SandboxCustomerDeleted], actions);
    }

    private IDbContextFactory<PortalDbContext> DbFactory => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();

    private async Task<PartnerApp> AppOf(string clientId)
    {
        await using var db = await DbFactory.CreateDbContextAsync(Ct);
        return await db.Apps.AsNoTracking().SingleAsync(a => a.ClientId == clientId, Ct);
    }

    private async Task<(PortalActor Actor, Guid Organisation, string App)> SeedAsync(TeamRole role)
    {
        _ = factory.Server;
        var id = Guid.NewGuid().ToString("N");
        var actor = new PortalActor(id, $"person-{id[..8]}@wallet.example", "Person", IsAdmin: false);
        await using var db = await DbFactory.CreateDbContextAsync(Ct);
        var organisation = new Organisation
        {
            Id = Guid.NewGuid(), LegalName = "Production Wallet " + id[..6], Status = OrganisationStatus.Approved,
            CreatedAt = DateTimeOffset.UtcNow, StatusUpdatedAt = DateTimeOffset.UtcNow,
        };
        db.Add(organisation);
        db.Add(new Membership { Id = Guid.NewGuid(), OrganisationId = organisation.Id, UserId = actor.UserId, Email = actor.Email, Role = role, CreatedAt = DateTimeOffset.UtcNow, AcceptedAt = DateTimeOffset.UtcNow });
        var app = new PartnerApp { ClientId = "golive-" + id[..10], OrganisationId = organisation.Id, Name = "Production Wallet app", AuthMethod = AppForm.ClientSecretBasic, CreatedAt = DateTimeOffset.UtcNow };
        db.Add(app);
        await db.SaveChangesAsync(Ct);
        return (actor, organisation.Id, app.ClientId);
    }

    private CurrentPartner Current(PortalActor actor) => new(new FixedUser(actor), DbFactory);

    private ReadinessService Readiness(PortalActor actor, FakePlatform platform)
    {
        HttpClient Client(string host) => new(platform) { BaseAddress = new Uri($"http://{host}/") };
        return new ReadinessService(Current(actor), DbFactory, new GatewayCallsClient(Client("gateway")), new IdentityGrantsClient(Client("identity")),
            new IdentityClientsClient(Client("identity")), new SandboxEventsClient(Client("sandbox")), TimeProvider.System, NullLogger<ReadinessService>.Instance);
    }

    private AdminService AdminService(PortalActor actor, FakePlatform platform)
    {
        var http = new HttpClient(platform) { BaseAddress = new Uri("http://identity/") };
        return new AdminService(Current(actor), DbFactory, new IdentityClientsClient(http), new GatewayCallsClient(http), TimeProvider.System);
    }

    private SandboxService Sandbox(PortalActor actor, FakePlatform platform)
    {
        var http = new HttpClient(platform) { BaseAddress = new Uri("http://sandbox/") };
        return new SandboxService(Current(actor), DbFactory, new GatewayCallsClient(http), new SandboxTenantsClient(http), TimeProvider.System);
    }

    /// <summary>The Gateway, Identity and Sandbox as far as these rules need them, answering the Portal's records as JSON.</summary>
    private sealed class FakePlatform : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        public string RateLimitStatus { get; init; } = "passed";

        public bool Broken { get; init; }

        public bool CustomerErrors { get; set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (request.Method == HttpMethod.Get && path == $"/internal/users/{Admin.UserId}")
            {
                return Json(new UserStatus(Admin.UserId, true, [PortalActor.AdminRole]));
            }

            Requests.Add($"{request.Method} {request.RequestUri.PathAndQuery}");
            var now = DateTimeOffset.UtcNow;
            if (Broken)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError));
            }

            if (path.EndsWith("/readiness", StringComparison.Ordinal))
            {
                return Json(new GatewayReadiness(now, now.AddDays(-30),
                    [new OperationCoverage("aisp", "v4.0", "GET", "/open-banking/v4.0/aisp/accounts", 4, 4, now.AddHours(-1))],
                    [.. ReadinessComposer.GatewayChecks.Select(c => new ReadinessCheck(c.Id, c.Title, c.Id == "rate-limit-respected" ? RateLimitStatus : "passed", "seen",
                        [new ReadinessEvidence(41, now.AddHours(-1), "a call")]))]));
            }

            if (path.EndsWith("/token-activity", StringComparison.Ordinal))
            {
                return Json(new TokenActivity(2, now.AddHours(-3), 1, now.AddHours(-2), 0, null));
            }

            if (path.EndsWith("/events", StringComparison.Ordinal))
            {
                return Json(new EventNotificationPage(
                    [new EventNotificationSummary(1, "jti", "urn:uk:org:openbanking:events:resource-update", "domestic-payment", "dp-1", "AcceptedSettlementCompleted",
                        "Delivered", false, 1, null, now.AddMinutes(-9), 202, null, "https://wallet.example/hooks", "create", now.AddMinutes(-10), now.AddMinutes(-10),
                        now.AddDays(7), null)], null));
            }

            if (request.Method == HttpMethod.Post && path.EndsWith("/customers", StringComparison.Ordinal))
            {
                return CustomerErrors
                    ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadRequest)
                    {
                        Content = new StringContent(
                            """{"title":"One or more validation errors occurred.","status":400,"errors":{"Username":["Use 3 to 40 characters."],"Accounts[0].Currency":["The bank does not hold XYZ accounts."]}}""",
                            Encoding.UTF8, "application/problem+json"),
                    })
                    : Json(new CreatedCustomer("cus-zoe", "zoe", "Zoe Test", "sandbox", "SECRET", "otpauth://x",
                        [new CreatedAccount("acc-1", "GBP", "UK.OBIE.SortCodeAccountNumber", "40400012345678", "100.00", 0)]), HttpStatusCode.Created);
            }

            if (request.Method == HttpMethod.Delete)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
            }

            // Identity's client (signing/DPoP settings): unknown here, so the app requires neither.
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
        }

        private static Task<HttpResponseMessage> Json<T>(T value, HttpStatusCode status = HttpStatusCode.OK)
            => Task.FromResult(new HttpResponseMessage(status) { Content = JsonContent.Create(value) });
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
