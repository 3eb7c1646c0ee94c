using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using OpenBanking.Portal.Components.Shared;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.ComponentTests.Readiness;

/// <summary>The app's Go-live tab: the report with its evidence, the out-of-scope note, and the production-access request.</summary>
public sealed class GoLivePanelTests : PortalTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeReadiness _readiness = new();

    public GoLivePanelTests()
    {
        Services.AddSingleton<IAppReadiness>(_readiness);
        RenderInteractively();
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        Render<MudDialogProvider>();
    }

    private static PartnerApp App(ProductionAccess access = ProductionAccess.NotRequested, string? reason = null) => new()
    {
        ClientId = "demo-wallet",
        Name = "Demo wallet",
        AuthMethod = "client_secret_basic",
        ProductionAccess = access,
        ProductionAccessReason = reason,
        ProductionAccessDecidedAt = access is ProductionAccess.Approved or ProductionAccess.Refused ? Now : null,
    };

    private static ReadinessReport Report(params (string Id, string Status)[] overrides)
        => ReadinessComposer.Compose(new ReadinessInputs("demo-wallet", "Demo wallet", false, false, Now, Now.AddDays(-30),
            ReadinessComposerTests.Gateway(ReadinessStatus.Passed, overrides), null, ReadinessComposerTests.Tokens(), null,
            [ReadinessComposerTests.Event(1, "Delivered")], null));

    private IRenderedComponent<GoLivePanel> RenderPanel(PartnerApp app, bool canManage = true)
        => Render<GoLivePanel>(p => p.Add(x => x.App, app).Add(x => x.CanManage, canManage));

    [Fact]
    public void TheTab_ShowsTheVerdictEachCheckWithEvidence_TheCoverage_AndSaysCredentialsAreOutOfScope()
    {
        _readiness.Report = Report(("rate-limit-respected", ReadinessStatus.Failed));

        var panel = RenderPanel(App());

        panel.WaitForAssertion(() => Assert.Equal("NotReady", panel.Find("[data-testid=readiness-verdict]").GetAttribute("data-level")));
        Assert.Contains("Not ready: 1 check failed (429 Retry-After respected)", panel.Find("[data-testid=readiness-verdict]").TextContent);
        Assert.Equal("failed", panel.Find("[data-check=rate-limit-respected]").GetAttribute("data-status"));
        Assert.Equal("Failed", panel.Find("[data-check=rate-limit-respected] [data-testid=readiness-check-status]").TextContent.Trim());
        Assert.NotEmpty(panel.FindAll("[data-testid=readiness-evidence-call]"));
        Assert.Equal("2 of 2", panel.Find("[data-testid='coverage-aisp-v3.1.11']").TextContent);
        Assert.Contains("Issuing production credentials is out of scope of this", panel.Find("[data-testid=golive-scope-note]").TextContent.Replace("\n", " ").Replace("  ", " "));
        Assert.Contains("429 Retry-After respected", panel.Find("[data-testid=request-lists-failed]").TextContent);
    }

    [Fact]
    public void RequestingProductionAccess_SendsTheNote_AndTellsThePage()
    {
        _readiness.Report = Report();
        var requested = false;
        var panel = Render<GoLivePanel>(p => p.Add(x => x.App, App()).Add(x => x.CanManage, true).Add(x => x.Requested, () => requested = true));
        panel.WaitForElement("[data-testid=readiness-verdict]");

        panel.Find("[data-testid=production-note]").Input("Launch on 1 February.");
        panel.Find("[data-testid=request-production]").Click();

        panel.WaitForAssertion(() => Assert.True(requested));
        Assert.Equal(("demo-wallet", "Launch on 1 February."), Assert.Single(_readiness.Requests));
    }

    [Fact]
    public void ARefusedNote_ShowsNextToTheField()
    {
        _readiness.Report = Report();
        _readiness.Refusal = new PortalValidationException("note", "Shorten the note to 2,000 characters or fewer (it has 2,001).");
        var panel = RenderPanel(App());
        panel.WaitForElement("[data-testid=readiness-verdict]");

        panel.Find("[data-testid=request-production]").Click();

        panel.WaitForAssertion(() => Assert.Contains("Shorten the note", panel.Find("[data-testid=production-note-field]").TextContent));
    }

    [Theory]
    [InlineData(ProductionAccess.Approved, null, "Production approved on 2026-12-03.")]
    [InlineData(ProductionAccess.Refused, "Retry-After is ignored.", "Refused on 2026-12-03: Retry-After is ignored. You can fix what the bank named and ask again.")]
    public void TheDecision_IsShown_AndARefusedAppMayAskAgain(ProductionAccess access, string? reason, string expected)
    {
        _readiness.Report = Report();

        var panel = RenderPanel(App(access, reason));

        panel.WaitForElement("[data-testid=readiness-verdict]");
        Assert.Equal(expected, panel.Find("[data-testid=production-access-state]").TextContent.Trim());
        Assert.Equal(access == ProductionAccess.Refused, panel.FindAll("[data-testid=request-production]").Count == 1);
    }

    [Fact]
    public void AViewer_SeesTheReport_ButCannotRequest()
    {
        _readiness.Report = Report();

        var panel = RenderPanel(App(), canManage: false);

        panel.WaitForElement("[data-testid=readiness-verdict]");
        Assert.Empty(panel.FindAll("[data-testid=request-production]"));
    }

    private sealed class FakeReadiness : IAppReadiness
    {
        public ReadinessReport? Report { get; set; }

        public PortalRefusalException? Refusal { get; set; }

        public List<(string, string?)> Requests { get; } = [];

        public Task<ReadinessReport> ReportAsync(string clientId, CancellationToken ct = default) => Task.FromResult(Report!);

        public Task<IReadOnlyList<ProductionRequestView>> RequestsAsync(string clientId, CancellationToken ct = default)
            => Task.FromResult<IReadOnlyList<ProductionRequestView>>([]);

        public Task<ProductionAccessRequest> RequestProductionAccessAsync(string clientId, string? note, CancellationToken ct = default)
        {
            if (Refusal is not null)
            {
                throw Refusal;
            }

            Requests.Add((clientId, note));
            return Task.FromResult(new ProductionAccessRequest { ClientId = clientId, RequestedBy = "dev@example.com", Verdict = Report!.Verdict, ReportJson = "{}" });
        }

        public Task<CallDetail?> CallAsync(string clientId, long callId, CancellationToken ct = default) => Task.FromResult<CallDetail?>(null);
    }
}
