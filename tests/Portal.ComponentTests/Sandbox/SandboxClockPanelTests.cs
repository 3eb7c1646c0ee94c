using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using OpenBanking.Portal.Components.Shared;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.ComponentTests.Sandbox;

/// <summary>
/// The Sandbox page's test clock panel: the tenant's time and state, freeze/run, and each move shown first as what will
/// happen on the way, then confirmed; refusals in plain words. The clock behind it is a fake of <see cref="ISandboxClock"/>.
/// </summary>
public sealed class SandboxClockPanelTests : PortalTestContext
{
    private static readonly DateTimeOffset Now = new(2027, 1, 14, 9, 30, 0, TimeSpan.Zero);
    private readonly FakeClock _clock = new();

    public SandboxClockPanelTests()
    {
        Services.AddSingleton<ISandboxClock>(_clock);
        RenderInteractively();
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
    }

    [Fact]
    public void ShowsTheTenantsTime_AndWhetherItRuns()
    {
        var panel = Render<SandboxClockPanel>(p => p.Add(x => x.CanMove, true));

        panel.WaitForAssertion(() => Assert.Equal("Thursday 14 January 2027, 09:30 UTC", panel.Find("[data-testid='clock-now']").TextContent.Trim()));
        Assert.Contains("Running", panel.Find("[data-testid='clock-state']").TextContent);
        Assert.NotNull(panel.Find("[data-testid='clock-freeze']"));
        Assert.Contains("returns it to real time", panel.Markup);
    }

    [Fact]
    public void Freeze_FreezesTheClock_AndOffersToRunItAgain()
    {
        var panel = Render<SandboxClockPanel>(p => p.Add(x => x.CanMove, true));
        panel.WaitForElement("[data-testid='clock-freeze']").Click();

        panel.WaitForAssertion(() => Assert.Contains("Frozen", panel.Find("[data-testid='clock-state']").TextContent));
        Assert.Equal(new ClockMove(Freeze: true), Assert.Single(_clock.Moves));
        panel.Find("[data-testid='clock-run']").Click();
        panel.WaitForAssertion(() => Assert.Contains("Running", panel.Find("[data-testid='clock-state']").TextContent));
        Assert.Equal(new ClockMove(Freeze: false), _clock.Moves[1]);
    }

    [Fact]
    public void AdvanceByADay_ShowsWhatWillHappenFirst_ThenMovesOnlyWhenConfirmed()
    {
        _clock.Events =
        [
            new ClockEvent(Now.AddHours(15), "StandingOrderPayment", "so-1", "£25.00 to Landlord Ltd (standing order)"),
            new ClockEvent(Now.AddHours(20), "ConsentExpiry", "aac-1", "Demo Wallet's account access ends"),
        ];
        var panel = Render<SandboxClockPanel>(p => p.Add(x => x.CanMove, true));

        panel.WaitForElement("[data-testid='clock-advance-P1D']").Click();

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid='clock-event']").Count));
        Assert.Equal("P1D", _clock.Previewed.Single());
        Assert.Empty(_clock.Moves);
        Assert.Contains("Friday 15 January 2027, 00:30 UTC — £25.00 to Landlord Ltd (standing order)", panel.FindAll("[data-testid='clock-event']")[0].TextContent);
        Assert.Contains("to Friday 15 January 2027, 09:30 UTC", panel.Find("[data-testid='clock-preview-range']").TextContent);

        panel.Find("[data-testid='clock-confirm']").Click();

        panel.WaitForAssertion(() => Assert.Equal("Friday 15 January 2027, 09:30 UTC", panel.Find("[data-testid='clock-now']").TextContent.Trim()));
        Assert.Equal(new ClockMove(Advance: "P1D"), Assert.Single(_clock.Moves));
        Assert.Empty(panel.FindAll("[data-testid='clock-preview']"));
    }

    [Fact]
    public void APreviewWithNothingDue_SaysSo_AndCancelMovesNothing()
    {
        var panel = Render<SandboxClockPanel>(p => p.Add(x => x.CanMove, true));

        panel.WaitForElement("[data-testid='clock-advance-P1M']").Click();
        panel.WaitForAssertion(() => Assert.Contains("Nothing falls due on the way", panel.Find("[data-testid='clock-preview-empty']").TextContent));
        Assert.Contains("Advance by a month", panel.Find("[data-testid='clock-confirm']").TextContent);
        panel.Find("[data-testid='clock-cancel']").Click();

        Assert.Empty(panel.FindAll("[data-testid='clock-preview']"));
        Assert.Empty(_clock.Moves);
    }

    [Fact]
    public void ADateThatIsNotAfterToday_IsRefusedInPlainWords_WithoutAskingTheBank()
    {
        var panel = Render<SandboxClockPanel>(p => p.Add(x => x.CanMove, true));
        var input = panel.WaitForElement("[data-testid='clock-date'] input");

        input.Change("2027-01-10");
        panel.Find("[data-testid='clock-advance-date']").Click();

        panel.WaitForAssertion(() => Assert.Equal(
            "Choose a date after 14 January 2027: the sandbox clock never moves backwards, and it reads Thursday 14 January 2027, 09:30 UTC.",
            panel.Find("[data-testid='clock-error']").TextContent.Trim()));
        Assert.Empty(_clock.Previewed);
    }

    [Fact]
    public void NoDate_AsksForOne()
    {
        var panel = Render<SandboxClockPanel>(p => p.Add(x => x.CanMove, true));

        panel.WaitForElement("[data-testid='clock-advance-date']").Click();

        panel.WaitForAssertion(() => Assert.Equal("Choose the date to advance to.", panel.Find("[data-testid='clock-error']").TextContent.Trim()));
    }

    [Fact]
    public void AFutureDate_IsPreviewedAndSetAtTheClocksTimeOfDay()
    {
        var panel = Render<SandboxClockPanel>(p => p.Add(x => x.CanMove, true));
        panel.WaitForElement("[data-testid='clock-date'] input").Change("2027-02-01");

        panel.Find("[data-testid='clock-advance-date']").Click();
        panel.WaitForElement("[data-testid='clock-preview-empty']");
        panel.Find("[data-testid='clock-confirm']").Click();

        panel.WaitForAssertion(() => Assert.Equal(new ClockMove(Set: "2027-02-01T09:30:00Z"), Assert.Single(_clock.Moves)));
        Assert.Equal("2027-02-01T09:30:00Z", _clock.Previewed.Single());
        Assert.Equal("Monday 1 February 2027, 09:30 UTC", panel.Find("[data-testid='clock-now']").TextContent.Trim());
    }

    [Fact]
    public void TheBanksRefusal_IsShownInItsWords()
    {
        _clock.Refusal = "One move may go at most 1830 days ahead; move in steps.";
        var panel = Render<SandboxClockPanel>(p => p.Add(x => x.CanMove, true));

        panel.WaitForElement("[data-testid='clock-advance-P1W']").Click();

        panel.WaitForAssertion(() => Assert.Equal(_clock.Refusal, panel.Find("[data-testid='clock-error']").TextContent.Trim()));
        Assert.Empty(panel.FindAll("[data-testid='clock-preview']"));
    }

    [Fact]
    public void AMemberWhoMayNotMoveIt_SeesTheTimeOnly()
    {
        var panel = Render<SandboxClockPanel>(p => p.Add(x => x.CanMove, false));

        panel.WaitForElement("[data-testid='clock-read-only']");
        Assert.Empty(panel.FindAll("[data-testid='clock-freeze']"));
        Assert.Empty(panel.FindAll("[data-testid^='clock-advance']"));
    }

    [Fact]
    public void AnUnreachableBank_IsSaidPlainly()
    {
        _clock.Unreachable = true;

        var panel = Render<SandboxClockPanel>(p => p.Add(x => x.CanMove, true));

        panel.WaitForAssertion(() => Assert.Contains("could not be read", panel.Find("[data-testid='clock-load-error']").TextContent));
    }

    private sealed class FakeClock : ISandboxClock
    {
        private TenantClock _state = new(Now, Frozen: false);

        public List<ClockMove> Moves { get; } = [];

        public List<string> Previewed { get; } = [];

        public IReadOnlyList<ClockEvent> Events { get; set; } = [];

        public string? Refusal { get; set; }

        public bool Unreachable { get; set; }

        public Task<TenantClock> GetAsync(CancellationToken ct = default)
            => Unreachable ? throw new HttpRequestException("down") : Task.FromResult(_state);

        public Task<ClockPreview> PreviewAsync(string until, CancellationToken ct = default)
        {
            if (Refusal is not null)
            {
                throw new PlatformServiceException(Refusal);
            }

            Previewed.Add(until);
            return Task.FromResult(new ClockPreview(_state.Now, _state.Frozen, Target(until), Events, More: false));
        }

        public Task<ClockMoved> MoveAsync(ClockMove move, CancellationToken ct = default)
        {
            Moves.Add(move);
            var from = _state.Now;
            _state = move.Freeze is { } freeze ? _state with { Frozen = freeze } : _state with { Now = Target(move.Advance ?? move.Set!) };
            return Task.FromResult(new ClockMoved(_state.Now, _state.Frozen, from, Events.Count));
        }

        private DateTimeOffset Target(string until) => until switch
        {
            "P1D" => _state.Now.AddDays(1),
            "P1W" => _state.Now.AddDays(7),
            "P1M" => _state.Now.AddMonths(1),
            _ => DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
