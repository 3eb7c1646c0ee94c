using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenBanking.Portal.Admin.Fraud;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;
using OpenBanking.TestKit;

namespace OpenBanking.Portal.FunctionalTests.Admin;

/// <summary>
/// The fraud dashboard's services on the Portal's real SQLite database, with the Sandbox's fraud API played by a
/// handler: the hub sleeps until a dashboard subscribes, then pushes each payment the feed returns (with the partner's
/// name from the Portal's database); a review is an admin's only, checked before the Sandbox is asked, and audited.
/// </summary>
public sealed class FraudMonitoringTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private static readonly PortalActor Admin = new("fraud-admin", "fraud-admin@sandbox.bank", "Fraud Admin", IsAdmin: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IDbContextFactory<PortalDbContext> DbFactory => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();

    [Fact]
    public async Task Hub_AsleepWithoutDashboards_ThenPushesEachNewPaymentToTheSubscriber_WithThePartnersName()
    {
        _ = factory.Server;
        var organisation = await SeedOrganisationAsync("Fraud Watch Wallet Ltd");
        var sandbox = new FakeSandbox(organisation.ToString());
        await using var services = Services(sandbox);
        var hub = new FraudFeedHub(services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new FraudMonitoringOptions { FeedWaitSeconds = 30 }), NullLogger<FraudFeedHub>.Instance);
        await hub.StartAsync(Ct);
        try
        {
            Assert.Empty(sandbox.Requests);

            var states = Channel.CreateUnbounded<FraudDashboardState>();
            using (hub.Subscribe(state => states.Writer.WriteAsync(state, Ct).AsTask()))
            {
                var first = await NextAsync(states, s => s.Loaded);
                Assert.Equal(["pay-1"], first.Stream.Select(i => i.PaymentId));
                Assert.Equal("Fraud Watch Wallet Ltd", first.PartnerName(organisation.ToString()));
                Assert.False(first.Model!.Loaded);

                // The feed is held open until a payment is scored; then the new one comes first.
                await sandbox.LongPollStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
                sandbox.Score.TrySetResult();
                var second = await NextAsync(states, s => s.Stream.Count == 2);
                Assert.Equal(["pay-2", "pay-1"], second.Stream.Select(i => i.PaymentId));
            }

            Assert.Contains("GET /internal/fraud/feed?take=100", sandbox.Requests);
            Assert.Contains("GET /internal/fraud/feed?after=1&take=100&wait=30", sandbox.Requests);
        }
        finally
        {
            await hub.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Review_ByAnAdmin_SendsTheNoteAndReviewer_AndIsAudited()
    {
        _ = factory.Server;
        var organisation = await SeedOrganisationAsync("Reviewed Wallet Ltd");
        var sandbox = new FakeSandbox(organisation.ToString());
        var payment = Item(organisation.ToString(), 7, "pay-held-" + Guid.NewGuid().ToString("N")[..8]);

        var status = await Reviews(Admin, sandbox).ReviewAsync(payment, new FraudReviewForm { Release = false, Note = "  Customer says they were coached.  " }, Ct);

        Assert.Equal("Rejected", status);
        var body = Assert.Single(sandbox.Bodies);
        Assert.Contains("\"release\":false", body, StringComparison.Ordinal);
        Assert.Contains("\"note\":\"Customer says they were coached.\"", body, StringComparison.Ordinal);
        Assert.Contains("\"reviewer\":\"fraud-admin@sandbox.bank\"", body, StringComparison.Ordinal);
        await using var db = await DbFactory.CreateDbContextAsync(Ct);
        var audit = await db.AuditEntries.SingleAsync(a => a.EntityId == payment.PaymentId, Ct);
        Assert.Equal((AuditActions.PaymentRejected, Admin.Email, "Admin", organisation), (audit.Action, audit.Actor, audit.ActorRole, audit.OrganisationId));
        Assert.Contains("Customer says they were coached.", audit.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_ByANonAdmin_OrARejectWithoutANote_IsRefusedBeforeTheSandboxIsAsked()
    {
        _ = factory.Server;
        var sandbox = new FakeSandbox("org");
        var partner = new PortalActor("fraud-partner", "dev@wallet.example", "Dev", IsAdmin: false);
        var payment = Item("org", 8, "pay-x");

        await Assert.ThrowsAsync<PortalForbiddenException>(() => Reviews(partner, sandbox).ReviewAsync(payment, new FraudReviewForm { Release = true }, Ct));
        var invalid = await Assert.ThrowsAsync<PortalValidationException>(() =>
            Reviews(Admin, sandbox).ReviewAsync(payment, new FraudReviewForm { Release = false, Note = " " }, Ct));

        Assert.Equal([nameof(FraudReviewForm.Note)], invalid.Errors.Keys);
        Assert.Empty(sandbox.Bodies);
    }

    [Fact]
    public async Task Review_OfAPaymentNoLongerHeld_SaysSoInWords()
    {
        _ = factory.Server;
        var sandbox = new FakeSandbox("org") { Conflict = true };

        var refusal = await Assert.ThrowsAsync<PortalValidationException>(() =>
            Reviews(Admin, sandbox).ReviewAsync(Item("org", 9, "pay-done"), new FraudReviewForm { Release = true }, Ct));

        Assert.Equal("The payment is Rejected (RejectedOnReview), not held for review.", refusal.Message);
    }

    private static async Task<FraudDashboardState> NextAsync(Channel<FraudDashboardState> states, Func<FraudDashboardState, bool> wanted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        await foreach (var state in states.Reader.ReadAllAsync(timeout.Token))
        {
            if (wanted(state))
            {
                return state;
            }
        }

        throw new InvalidOperationException("The hub stopped pushing.");
    }

    private async Task<Guid> SeedOrganisationAsync(string name)
    {
        await using var db = await DbFactory.CreateDbContextAsync(Ct);
        var organisation = new Organisation
        {
            Id = Guid.NewGuid(), LegalName = name, Status = OrganisationStatus.Approved,
            CreatedAt = DateTimeOffset.UtcNow, StatusUpdatedAt = DateTimeOffset.UtcNow,
        };
        db.Add(organisation);
        await db.SaveChangesAsync(Ct);
        return organisation.Id;
    }

    private ServiceProvider Services(FakeSandbox sandbox)
    {
        var services = new ServiceCollection();
        services.AddSingleton(DbFactory);
        services.AddScoped(_ => new SandboxFraudClient(new HttpClient(sandbox, disposeHandler: false) { BaseAddress = new Uri("http://sandbox/") }));
        return services.BuildServiceProvider();
    }

    private FraudReviews Reviews(PortalActor actor, FakeSandbox sandbox)
    {
        var http = new HttpClient(sandbox, disposeHandler: false) { BaseAddress = new Uri("http://sandbox/") };
        var hub = new FraudFeedHub(factory.Services.GetRequiredService<IServiceScopeFactory>(), Options.Create(new FraudMonitoringOptions()), NullLogger<FraudFeedHub>.Instance);
        return new FraudReviews(new CurrentPartner(new FixedUser(actor), DbFactory), DbFactory, new IdentityClientsClient(http), new SandboxFraudClient(http), hub, TimeProvider.System);
    }

    private static FraudFeedItem Item(string organisationId, long id, string paymentId) => new(
        id, paymentId, "Domestic", organisationId, "wallet-app", "cus-1", "9.93", "GBP", 55, null, null, 55, "Review",
        ["Scenario: held for review"], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "Pending", "HeldForReview", true);

    /// <summary>The Sandbox's fraud API and Identity's user status, as far as these tests need them.</summary>
    private sealed class FakeSandbox(string organisationId) : HttpMessageHandler
    {
        private readonly Lock gate = new();

        private readonly List<string> requests = [];

        private readonly List<string> bodies = [];

        /// <summary>A copy taken under the lock: the hub's next long poll may be recording while a test reads.</summary>
        public string[] Requests
        {
            get
            {
                lock (gate)
                {
                    return [.. requests];
                }
            }
        }

        public string[] Bodies
        {
            get
            {
                lock (gate)
                {
                    return [.. bodies];
                }
            }
        }

        public bool Conflict { get; init; }

        public TaskCompletionSource LongPollStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Score { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (path == $"/internal/users/{Admin.UserId}")
            {
                return Json(new UserStatus(Admin.UserId, true, [PortalActor.AdminRole]));
            }

            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(ct);
            lock (gate)
            {
                requests.Add($"{request.Method} {request.RequestUri.PathAndQuery}");
                if (body is not null)
                {
                    bodies.Add(body);
                }
            }

            switch (path)
            {
                case "/internal/fraud/feed" when !request.RequestUri.Query.Contains("after=", StringComparison.Ordinal):
                    return Json(new FraudFeed([Item(organisationId, 1, "pay-1")], 1));
                case "/internal/fraud/feed" when request.RequestUri.Query.Contains("after=1&", StringComparison.Ordinal):
                    LongPollStarted.TrySetResult();
                    await Score.Task.WaitAsync(ct);
                    return Json(new FraudFeed([Item(organisationId, 2, "pay-2")], 2));
                case "/internal/fraud/feed":
                    await Task.Delay(Timeout.Infinite, ct); // held open like the Sandbox, until the hub lets go
                    return Json(new FraudFeed([], 2));
                case "/internal/fraud/summary":
                    return Json(new FraudSummary(15, 24, DateTimeOffset.UtcNow,
                        [new TenantFraudSummary(organisationId, new FraudCounts(2, 0, 0, 0), FraudCounts.None)], new FraudCounts(2, 0, 0, 0), FraudCounts.None));
                case "/internal/fraud/held":
                    return Json(Array.Empty<FraudFeedItem>());
                case "/internal/fraud/model":
                    return Json(new FraudModelView(false, null, null, "No fraud model is configured; the rules decide alone.", null));
            }

            if (Conflict)
            {
                return new HttpResponseMessage(HttpStatusCode.Conflict)
                {
                    Content = new StringContent("""{"title":"The payment is Rejected (RejectedOnReview), not held for review.","status":409}""", Encoding.UTF8, "application/problem+json"),
                };
            }

            return Json(new FraudReviewResult(path.Split('/')[^2], "Rejected"));
        }

        private static HttpResponseMessage Json<T>(T value) => new(HttpStatusCode.OK) { Content = JsonContent.Create(value) };
    }

    private sealed class FixedUser(PortalActor actor) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync()
        {
            List<Claim> claims = [new("sub", actor.UserId), new("email", actor.Email), new("name", actor.Name)];
            if (actor.IsAdmin)
            {
                claims.Add(new Claim("role", PortalActor.AdminRole));
            }

            return Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(claims, "test", "name", "role"))));
        }
    }
}
