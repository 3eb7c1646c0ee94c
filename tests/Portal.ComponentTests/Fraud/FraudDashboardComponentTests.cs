using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using OpenBanking.Portal.Admin.Fraud;
using OpenBanking.Portal.Components.Shared.Fraud;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.ComponentTests.Fraud;

/// <summary>The fraud dashboard's parts: when an alert is raised, the alert banner, the review form's errors, the model panel.</summary>
public sealed class FraudDashboardComponentTests : PortalTestContext
{
    private static readonly FraudMonitoringOptions Options = new();
    private readonly FakeReviews _reviews = new();

    public FraudDashboardComponentTests()
    {
        Services.AddSingleton<IFraudReviews>(_reviews);
        RenderInteractively();
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
    }

    private static FraudSummary Summary(FraudCounts recent, FraudCounts baseline)
        => new(15, 24, DateTimeOffset.UtcNow, [new TenantFraudSummary("org-1", recent, baseline)], recent, baseline);

    [Fact]
    public void HeldPaymentsJumping_AgainstTheBaseline_RaiseAnAlertNamingThePartner()
    {
        // 4 held in 15 minutes against 10 in the 24 hours before (0.1 in a usual 15 minutes).
        var alerts = FraudAlerts.Evaluate(Summary(new FraudCounts(8, 4, 0, 0), new FraudCounts(2000, 10, 2, 5)), Options, _ => "Demo Wallet Ltd");

        Assert.Contains(alerts, a => a.OrganisationId == "org-1" && a.Message.StartsWith("Demo Wallet Ltd: 4 payments held for review in the last 15 minutes", StringComparison.Ordinal));
        Assert.Contains(alerts, a => a.OrganisationId is null && a.Message.StartsWith("All partners: 4 payments held", StringComparison.Ordinal));
    }

    [Fact]
    public void OneHeldPayment_OrAUsualRate_RaisesNoAlert()
    {
        Assert.Empty(FraudAlerts.Evaluate(Summary(new FraudCounts(3, 1, 0, 0), FraudCounts.None), Options, id => id));
        // 2 of 40 flagged (5 %) against 5 % before: no jump.
        Assert.Empty(FraudAlerts.Evaluate(Summary(new FraudCounts(40, 2, 0, 0), new FraudCounts(4000, 150, 50, 100)), Options, id => id));
    }

    [Fact]
    public void TheFlaggedRateJumping_RaisesAnAlert_EvenWithFewHeld()
    {
        // 3 of 20 rejected (15 %) against 1 % before.
        var alerts = FraudAlerts.Evaluate(Summary(new FraudCounts(20, 0, 3, 0), new FraudCounts(1000, 5, 5, 2)), Options, _ => "Demo Wallet Ltd");

        var alert = Assert.Single(alerts, a => a.OrganisationId == "org-1");
        Assert.Contains("of payments held or rejected in the last 15 minutes", alert.Message, StringComparison.Ordinal);
        Assert.Contains((0.15).ToString("P0"), alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AlertBanner_IsARoleAlert_WithEveryLine_AndAbsentWithoutAlerts()
    {
        var banner = Render<FraudAlertBanner>(p => p.Add(c => c.Alerts, [new FraudAlert(null, "All partners: 5 payments held"), new FraudAlert("o", "Wallet: 30 %")]));
        var quiet = Render<FraudAlertBanner>(p => p.Add(c => c.Alerts, []));

        Assert.Equal("alert", banner.Find("[data-testid=fraud-alert]").GetAttribute("role"));
        Assert.Equal(["All partners: 5 payments held", "Wallet: 30 %"], banner.FindAll("[data-testid=fraud-alert-line]").Select(e => e.TextContent));
        Assert.Empty(quiet.FindAll("[data-testid=fraud-alert]"));
    }

    [Fact]
    public void Reject_WithoutANote_SaysWhy_WithoutAskingTheBank()
    {
        var queue = RenderQueue();
        queue.Find("[data-testid=fraud-review-open]").Click();

        queue.Find("[data-testid=fraud-review-reject]").Click();

        queue.WaitForAssertion(() => Assert.Contains("Write a note saying why you reject the payment.", queue.Markup));
        Assert.Empty(_reviews.Sent);
        Assert.Single(queue.FindAll("[data-testid=fraud-review-form]"));
    }

    [Fact]
    public void ANoteTooLong_IsRefusedInTheForm()
    {
        var queue = RenderQueue();
        queue.Find("[data-testid=fraud-review-open]").Click();
        queue.Find("[data-testid=fraud-review-note]").Input(new string('n', 501));

        queue.Find("[data-testid=fraud-review-release]").Click();

        queue.WaitForAssertion(() => Assert.Contains("Keep the note to 500 characters or fewer.", queue.Markup));
        Assert.Empty(_reviews.Sent);
    }

    [Fact]
    public void TheBanksRefusal_IsShownAboveTheForm_AndThePaymentStaysQueued()
    {
        _reviews.Refusal = new PortalValidationException("", "The payment was decided by someone else meanwhile.");
        var queue = RenderQueue();
        queue.Find("[data-testid=fraud-review-open]").Click();

        queue.Find("[data-testid=fraud-review-release]").Click();

        queue.WaitForAssertion(() => Assert.Contains("The payment was decided by someone else meanwhile.", queue.Find("[data-testid=form-errors]").TextContent));
        Assert.Single(queue.FindAll("[data-testid=fraud-review-open]"));
    }

    [Fact]
    public void ARelease_WithANote_GoesToTheBank_AndThePaymentLeavesTheQueue()
    {
        var queue = RenderQueue();
        queue.Find("[data-testid=fraud-review-open]").Click();
        queue.Find("[data-testid=fraud-review-note]").Input("Called the customer: genuine.");

        queue.Find("[data-testid=fraud-review-release]").Click();

        queue.WaitForAssertion(() => Assert.NotNull(queue.Find("[data-testid=fraud-queue-empty]")));
        var (payment, form) = Assert.Single(_reviews.Sent);
        Assert.Equal(("pay-1", true, "Called the customer: genuine."), (payment.PaymentId, form.Release, form.Note));
    }

    [Fact]
    public void TheDashboard_IsForTheBanksAdminsOnly()
    {
        // Every partner's payments are on it: the route itself demands the admin role (the nav only hides the link).
        var authorize = Assert.Single(typeof(OpenBanking.Portal.Components.Pages.Admin.FraudDashboard)
            .GetCustomAttributes(typeof(Microsoft.AspNetCore.Authorization.AuthorizeAttribute), inherit: true)
            .Cast<Microsoft.AspNetCore.Authorization.AuthorizeAttribute>());
        Assert.Equal(PortalActor.AdminRole, authorize.Roles);
    }

    [Fact]
    public void ModelPanel_SaysPlainlyWhenTheRulesDecideAlone_AndShowsTheEvaluation()
    {
        var rulesOnly = Render<FraudModelPanel>(p => p.Add(c => c.Model, new FraudModelView(false, null, null, "The model file is missing; the rules decide alone.", null)));
        var loaded = Render<FraudModelPanel>(p => p.Add(c => c.Model, new FraudModelView(true, "fraud-model-v1", DateTimeOffset.UnixEpoch, null,
            new FraudEvaluationView(50000, 150, "101,102", [new FraudEvaluationRowView("rules", 0.8, 40, 0.3, 0.6, 0.01), new FraudEvaluationRowView("combined", 0.98, 0.5, 0.5, 0.93, 0.008)]))));

        Assert.Contains("Rules only.", rulesOnly.Find("[data-testid=fraud-model-rules-only]").TextContent);
        Assert.Contains("The model file is missing", rulesOnly.Markup);
        Assert.Contains("fraud-model-v1", loaded.Find("[data-testid=fraud-model-version]").TextContent);
        var rows = loaded.FindAll("[data-testid=fraud-evaluation] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("Rules and model", rows[1].TextContent);
        Assert.Contains("93.0", rows[1].TextContent);
    }

    [Fact]
    public void StreamRows_ThatLeftTheQueue_ShowTheirReview_AndTheStillHeldStayWaiting()
    {
        static FraudFeedItem Held(string id) => new(1, id, "Domestic", "org-1", "wallet", "cus-1", "9.93", "GBP", 55, null, null, 55, "Review",
            ["Scenario: held for review"], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "Pending", "HeldForReview", true);
        var stream = new[] { Held("pay-here"), Held("pay-elsewhere"), Held("pay-waiting") };
        var reviewed = new Dictionary<string, (bool, string)> { ["pay-here"] = (false, "admin@bank.example") };

        var settled = FraudFeedHub.Settle(stream, [Held("pay-waiting")], reviewed);

        Assert.Equal((false, false, "admin@bank.example"), (settled[0].HeldForReview, settled[0].ReviewReleased!.Value, settled[0].ReviewedBy));
        Assert.Equal((false, (bool?)null, "reviewed"), (settled[1].HeldForReview, settled[1].ReviewReleased, settled[1].Status));
        Assert.Same(stream[2], settled[2]);
    }

    private IRenderedComponent<FraudReviewQueue> RenderQueue() => Render<FraudReviewQueue>(p => p
        .Add(c => c.Held, [new FraudFeedItem(1, "pay-1", "Domestic", "org-1", "wallet", "cus-1", "9.93", "GBP", 55, null, null, 55, "Review",
            ["Scenario: held for review"], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "Pending", "HeldForReview", true)])
        .Add(c => c.PartnerName, id => "Demo Wallet Ltd"));

    private sealed class FakeReviews : IFraudReviews
    {
        public List<(FraudFeedItem Payment, FraudReviewForm Form)> Sent { get; } = [];

        public PortalRefusalException? Refusal { get; set; }

        public Task<string> ReviewAsync(FraudFeedItem payment, FraudReviewForm form, CancellationToken ct = default)
        {
            if (Refusal is not null)
            {
                throw Refusal;
            }

            Sent.Add((payment, new FraudReviewForm { Release = form.Release, Note = form.Note }));
            return Task.FromResult(form.Release == true ? "AcceptedSettlementInProcess" : "Rejected");
        }
    }
}
