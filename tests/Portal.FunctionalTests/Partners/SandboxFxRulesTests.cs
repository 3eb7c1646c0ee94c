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
/// The FX page's server-side rules on the Portal's real SQLite database: the Sandbox is asked only about the member's
/// own organisation, booking needs an owner or developer (refused before the Sandbox is called) and is audited, and the
/// desk's field errors reach the dialog by field.
/// </summary>
public sealed class SandboxFxRulesTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private const string Contract = """{"ContractIdentification":"fxc-0123456789abcdef01234567","UnitCurrency":"GBP","CurrencyOfTransfer":"EUR","Side":"Buy","ExchangeRate":1.164313,"MidRate":1.168402,"Amount":{"Amount":"1000.00","Currency":"EUR"},"Remaining":{"Amount":"1000.00","Currency":"EUR"},"CreationDateTime":"2026-12-03T09:00:00Z","ExpirationDateTime":"2026-12-04T09:00:00Z","Status":"Active"}""";

    private static readonly FxBooking Booking = new("GBP", "EUR", "Buy", new FxAmount("1000.00", "EUR"), "P1D");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ADeveloper_BooksForTheOwnOrganisation_AndTheBookingIsAudited()
    {
        var (developer, organisation) = await SeedAsync(TeamRole.Developer);
        var sandbox = new FakeSandbox(HttpStatusCode.Created, Contract);

        var contract = await Service(developer, sandbox).BookAsync(Booking, Ct);

        Assert.Equal("fxc-0123456789abcdef01234567", contract.ContractIdentification);
        Assert.Null(contract.ClientId);
        Assert.Equal([$"POST /internal/tenants/{organisation}/fx/contracts"], sandbox.Requests);
        Assert.Contains("\"UnitCurrency\":\"GBP\"", sandbox.Bodies.Single(), StringComparison.Ordinal);
        Assert.Contains("\"Amount\":{\"Amount\":\"1000.00\",\"Currency\":\"EUR\"}", sandbox.Bodies.Single(), StringComparison.Ordinal);
        await using var scope = factory.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditEntries.SingleAsync(a => a.EntityId == contract.ContractIdentification && a.OrganisationId == organisation, Ct);
        Assert.Equal((SandboxFxService.BookedAction, developer.Email, "FxContract"), (audit.Action, audit.Actor, audit.EntityType));
        Assert.Contains("1.164313", audit.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AViewer_SeesTheRates_ButBookingIsRefused_BeforeTheSandboxIsAsked()
    {
        var (viewer, organisation) = await SeedAsync(TeamRole.Viewer);
        var sandbox = new FakeSandbox(HttpStatusCode.OK, """{"UnitCurrency":"GBP","At":"2026-12-03T09:00:00Z","Rates":[]}""");
        var fx = Service(viewer, sandbox);

        var rates = await fx.RatesAsync("GBP", Ct);
        await Assert.ThrowsAsync<PortalForbiddenException>(() => fx.BookAsync(Booking, Ct));

        Assert.Equal("GBP", rates.UnitCurrency);
        Assert.Equal([$"GET /internal/tenants/{organisation}/fx/rates"], sandbox.Requests);
    }

    [Fact]
    public async Task TheDesksFieldErrors_ComeBackByField()
    {
        var (developer, _) = await SeedAsync(TeamRole.Owner);
        var sandbox = new FakeSandbox(HttpStatusCode.BadRequest,
            """{"title":"The FX desk cannot do that","status":400,"errors":{"CurrencyOfTransfer":["The FX desk does not trade ZAR."],"ValidFor":["ValidFor must be at most 30 days."]}}""");

        var refusal = await Assert.ThrowsAsync<PlatformServiceException>(() => Service(developer, sandbox).BookAsync(Booking, Ct));

        Assert.Equal(["CurrencyOfTransfer", "ValidFor"], refusal.Errors.Keys.Order(StringComparer.Ordinal));
    }

    private async Task<(PortalActor Actor, Guid Organisation)> SeedAsync(TeamRole role)
    {
        _ = factory.Server;
        var id = Guid.NewGuid().ToString("N");
        var actor = new PortalActor(id, $"person-{id[..8]}@wallet.example", "Person", IsAdmin: false);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var organisation = new Organisation
        {
            Id = Guid.NewGuid(), LegalName = "FX Wallet " + id[..6], Status = OrganisationStatus.Approved,
            CreatedAt = DateTimeOffset.UtcNow, StatusUpdatedAt = DateTimeOffset.UtcNow,
        };
        db.Add(organisation);
        db.Add(new Membership { Id = Guid.NewGuid(), OrganisationId = organisation.Id, UserId = actor.UserId, Email = actor.Email, Role = role, CreatedAt = DateTimeOffset.UtcNow, AcceptedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(Ct);
        return (actor, organisation.Id);
    }

    private SandboxFxService Service(PortalActor actor, FakeSandbox sandbox)
    {
        var dbFactory = factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var current = new CurrentPartner(new FixedUser(actor), dbFactory);
        return new SandboxFxService(current, dbFactory, new SandboxFxClient(new HttpClient(sandbox) { BaseAddress = new Uri("http://sandbox/") }), TimeProvider.System);
    }

    private sealed class FakeSandbox(HttpStatusCode status, string answer) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add($"{request.Method} {request.RequestUri!.AbsolutePath}");
            if (request.Content is not null)
            {
                Bodies.Add(await request.Content.ReadAsStringAsync(cancellationToken));
            }

            return new HttpResponseMessage(status)
            {
                Content = new StringContent(answer, Encoding.UTF8, (int)status < 300 ? "application/json" : "application/problem+json"),
            };
        }
    }

    private sealed class FixedUser(PortalActor actor) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync()
            => Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim("sub", actor.UserId), new Claim("email", actor.Email), new Claim("name", actor.Name)], "test", "name", "role"))));
    }
}
