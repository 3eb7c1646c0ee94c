using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using OpenBanking.Portal.Components.Shared;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.ComponentTests.Sandbox;

/// <summary>
/// The FX page's desk panel: the rates from a chosen currency at the tenant's time, the 7-day chart and its summary, the
/// organisation's contracts, and the "Book contract" dialog checking every field at once. The desk behind it is a fake
/// of <see cref="ISandboxFx"/>.
/// </summary>
public sealed class FxDeskPanelTests : PortalTestContext
{
    private static readonly DateTimeOffset Now = new(2027, 1, 14, 9, 30, 0, TimeSpan.Zero);
    private readonly FakeFx _fx = new();
    private readonly IRenderedComponent<MudDialogProvider> _dialogs;

    public FxDeskPanelTests()
    {
        Services.AddSingleton<ISandboxFx>(_fx);
        RenderInteractively();
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        _dialogs = Render<MudDialogProvider>();
    }

    [Fact]
    public void ShowsTheRatesFromGbp_AtTheTenantsTime_WithTheChartAndContracts()
    {
        _fx.Contracts = [Contract("fxc-0123456789abcdef01234567", "Active", clientId: null)];

        var panel = Render<FxDeskPanel>(p => p.Add(x => x.CanBook, true));

        panel.WaitForAssertion(() => Assert.Equal(3, panel.FindAll("[data-testid='fx-customer-rate']").Count));
        Assert.Equal("At Thursday 14 January 2027, 09:30 UTC on your sandbox clock", panel.Find("[data-testid='fx-at']").TextContent.Trim());
        Assert.Equal("1 GBP = 1.164313 EUR", panel.FindAll("[data-testid='fx-customer-rate']")[0].TextContent.Trim());
        Assert.Equal("1.168402", panel.FindAll("[data-testid='fx-mid']")[0].TextContent.Trim());
        Assert.Contains("0.35 %", panel.Find("[data-testid='fx-rates']").TextContent, StringComparison.Ordinal);
        Assert.NotNull(panel.Find("[data-testid='fx-chart'] svg"));
        // One label a day on the x axis (the fake's points fall at 09:30 each hour, so never exactly at midnight).
        foreach (var day in new[] { "8 Jan", "13 Jan", "14 Jan" })
        {
            Assert.Contains(day, panel.Find("[data-testid='fx-chart']").TextContent, StringComparison.Ordinal);
        }

        Assert.Equal(
            "1 GBP = 1.17 EUR at the mid rate now; over the last 7 days it was between 1.15 and 1.17, and started at 1.15 (+1.74% since).",
            panel.Find("[data-testid='fx-chart-summary']").TextContent.Trim());
        Assert.Equal("fxc-0123456789abcdef01234567", panel.Find("[data-testid='fx-contract-id']").TextContent.Trim());
        Assert.Contains("booked in the Portal", panel.Find("[data-testid='fx-contracts']").TextContent, StringComparison.Ordinal);
        Assert.Equal("1.164313", panel.Find("[data-testid='fx-contract-rate']").TextContent.Trim());
        Assert.Equal(["GBP"], _fx.RatesAskedFor);
    }

    [Fact]
    public void NoContracts_SaysHowToBookOne()
    {
        var panel = Render<FxDeskPanel>(p => p.Add(x => x.CanBook, true));

        panel.WaitForAssertion(() => Assert.Contains("No contracts yet", panel.Find("[data-testid='fx-no-contracts']").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void AMemberWhoMayNotBook_SeesRatesAndContractsOnly()
    {
        var panel = Render<FxDeskPanel>(p => p.Add(x => x.CanBook, false));

        panel.WaitForElement("[data-testid='fx-read-only']");
        Assert.Empty(panel.FindAll("[data-testid='fx-book']"));
        Assert.NotEmpty(panel.FindAll("[data-testid='fx-customer-rate']"));
    }

    [Fact]
    public void AnUnreachableDesk_IsSaidPlainly()
    {
        _fx.Unreachable = true;

        var panel = Render<FxDeskPanel>(p => p.Add(x => x.CanBook, true));

        panel.WaitForAssertion(() => Assert.Contains("could not be reached", panel.Find("[data-testid='fx-error']").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void BookingWithoutAnAmount_ShowsTheProblemAndBooksNothing()
    {
        var panel = Render<FxDeskPanel>(p => p.Add(x => x.CanBook, true));
        panel.WaitForElement("[data-testid='fx-book']").Click();

        _dialogs.WaitForElement("[data-testid='fx-book-submit']").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains("Enter the amount the contract is for.", _dialogs.Find("[data-testid='form-errors']").TextContent, StringComparison.Ordinal));
        Assert.Contains("Enter the amount the contract is for.", Control("fx-book-amount"), StringComparison.Ordinal);
        Assert.Empty(_fx.Booked);
    }

    [Fact]
    public void AnAmountWithTooManyDecimals_IsRefusedInWords_BeforeTheRoundTrip()
    {
        var panel = Render<FxDeskPanel>(p => p.Add(x => x.CanBook, true));
        panel.WaitForElement("[data-testid='fx-book']").Click();

        InputOf(_dialogs.WaitForElement("[data-testid='fx-book-amount']")).Input("100.005");
        _dialogs.Find("[data-testid='fx-book-submit']").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains("EUR has 2 decimal places: enter at most 2 digits after the point.",
            _dialogs.Find("[data-testid='form-errors']").TextContent, StringComparison.Ordinal));
        Assert.Empty(_fx.Booked);
    }

    [Fact]
    public void AGoodBooking_IsSent_ThenListedWithItsRate()
    {
        var panel = Render<FxDeskPanel>(p => p.Add(x => x.CanBook, true));
        panel.WaitForElement("[data-testid='fx-book']").Click();

        InputOf(_dialogs.WaitForElement("[data-testid='fx-book-amount']")).Input("2500.00");
        _dialogs.Find("[data-testid='fx-book-submit']").Click();

        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("[data-testid='fx-contract-id']")));
        Assert.Equal(new FxBooking("GBP", "EUR", "Buy", new FxAmount("2500.00", "EUR"), "P1D"), Assert.Single(_fx.Booked));
        Assert.Empty(_dialogs.FindAll("[data-testid='fx-book-dialog']"));
        Assert.Contains(Services.GetRequiredService<ISnackbar>().ShownSnackbars, s => s.Message?.Contains("booked: 1 GBP = 1.164313 EUR", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void TheDesksRefusal_IsShownAgainstItsField()
    {
        _fx.Refusal = new Dictionary<string, string[]> { ["ValidFor"] = ["ValidFor must be at least one minute and at most 30 days."] };
        var panel = Render<FxDeskPanel>(p => p.Add(x => x.CanBook, true));
        panel.WaitForElement("[data-testid='fx-book']").Click();

        InputOf(_dialogs.WaitForElement("[data-testid='fx-book-amount']")).Input("10.00");
        _dialogs.Find("[data-testid='fx-book-submit']").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains("at most 30 days", Control("fx-book-valid-for"), StringComparison.Ordinal));
        Assert.NotNull(_dialogs.Find("[data-testid='fx-book-dialog']"));
    }

    [Fact]
    public void TheForm_NamesEveryProblemAtOnce()
    {
        var form = new FxBookingForm { UnitCurrency = "EUR", CurrencyOfTransfer = "EUR", Side = "Hold", Amount = "1,000", AmountCurrency = "USD", ValidFor = "P2Y" };

        var errors = form.Errors();

        Assert.Equal(["Amount.Amount", "Amount.Currency", "CurrencyOfTransfer", "Side", "ValidFor"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Choose a currency other than EUR: a contract converts one currency into another.", errors["CurrencyOfTransfer"]);
    }

    [Theory]
    [InlineData("JPY", "10000", null)]
    [InlineData("JPY", "100.5", "JPY has no decimal places: enter a whole number, such as 10000.")]
    [InlineData("BHD", "100.125", null)]
    [InlineData("BHD", "100.1255", "BHD has 3 decimal places: enter at most 3 digits after the point.")]
    [InlineData("GBP", "0", "Enter an amount greater than zero in digits, such as 1000.00 (no commas or currency signs).")]
    [InlineData("GBP", "10000000.01", "Enter at most 10,000,000.")]
    public void TheAmount_FollowsItsCurrencysDecimals(string currency, string amount, string? error)
    {
        var form = new FxBookingForm { UnitCurrency = "GBP", CurrencyOfTransfer = currency == "GBP" ? "EUR" : currency, Amount = amount, AmountCurrency = currency };

        Assert.Equal(error, form.Errors().GetValueOrDefault("Amount.Amount"));
    }

    /// <summary>The whole input control of a field (label, input, helper or error text).</summary>
    private string Control(string testId)
        => _dialogs.Find($"[data-testid='{testId}']").Closest(".mud-input-control")!.TextContent;

    private static AngleSharp.Dom.IElement InputOf(AngleSharp.Dom.IElement element)
        => element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea")!;

    private static FxContract Contract(string id, string status, string? clientId) => new(
        id, "GBP", "EUR", "Buy", 1.164313m, 1.168402m, new FxAmount("2500.00", "EUR"), new FxAmount("2500.00", "EUR"),
        Now, Now.AddDays(1), status, clientId);

    private sealed class FakeFx : ISandboxFx
    {
        public IReadOnlyList<FxContract> Contracts { get; set; } = [];

        public List<FxBooking> Booked { get; } = [];

        public List<string> RatesAskedFor { get; } = [];

        public bool Unreachable { get; set; }

        public Dictionary<string, string[]>? Refusal { get; set; }

        public Task<FxRates> RatesAsync(string unit, CancellationToken ct = default)
        {
            if (Unreachable)
            {
                throw new HttpRequestException("down");
            }

            RatesAskedFor.Add(unit);
            return Task.FromResult(new FxRates(unit, Now,
            [
                new FxRate("EUR", 1.168402m, 1.164313m, 1.172491m, 35),
                new FxRate("USD", 1.27m, 1.265555m, 1.274445m, 35),
                new FxRate("JPY", 190.5m, 189.5475m, 191.4525m, 50),
            ]));
        }

        public Task<FxHistory> HistoryAsync(string unit, int days, CancellationToken ct = default)
        {
            var times = Enumerable.Range(0, (days * 24) + 1).Select(h => Now.AddDays(-days).AddHours(h)).ToList();
            // EUR climbs steadily from 1.15 to 1.17 over the period.
            var eur = times.Select((_, i) => 1.15m + (0.02m * i / (times.Count - 1))).ToList();
            return Task.FromResult(new FxHistory(unit, times,
            [
                new FxSeries("EUR", eur),
                new FxSeries("USD", [.. times.Select(_ => 1.27m)]),
                new FxSeries("JPY", [.. times.Select(_ => 190.5m)]),
            ]));
        }

        public Task<IReadOnlyList<FxContract>> ContractsAsync(CancellationToken ct = default) => Task.FromResult(Contracts);

        public Task<FxContract> BookAsync(FxBooking booking, CancellationToken ct = default)
        {
            if (Refusal is not null)
            {
                throw new PlatformServiceException("The FX desk cannot do that", Refusal);
            }

            Booked.Add(booking);
            var contract = Contract("fxc-" + new string('a', 24), "Active", clientId: null);
            Contracts = [contract, .. Contracts];
            return Task.FromResult(contract);
        }
    }
}
