using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using OpenBanking.Portal.Components.Shared;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.ComponentTests.Events;

/// <summary>
/// The app page's Events tab: the subscription form, test event, verify my endpoint, the delivery log with replay and a
/// delivery's decoded SET. The platform behind it is a fake of <see cref="IAppEvents"/>.
/// </summary>
public sealed class AppEventsTests : PortalTestContext
{
    private const string ResourceUpdate = "urn:uk:org:openbanking:events:resource-update";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeEvents _events = new();
    private readonly IRenderedComponent<MudDialogProvider> _dialogs;

    public AppEventsTests()
    {
        Services.AddSingleton<IAppEvents>(_events);
        RenderInteractively();
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        _dialogs = Render<MudDialogProvider>();
    }

    private IRenderedComponent<AppEvents> RenderEvents(bool canManage = true)
        => Render<AppEvents>(p => p.Add(x => x.ClientId, "demo-wallet").Add(x => x.CanManage, canManage));

    [Fact]
    public void TheLog_ShowsEachDelivery_WithItsStateAttemptsAndNextRetry()
    {
        _events.Subscription = Subscription("https://wallet.example/hooks");
        _events.Log =
        [
            Notification(3, "Failed", attempts: 12, lastStatus: 500, lastError: "Answered 500 Internal Server Error."),
            Notification(2, "Pending", attempts: 2, next: Now.AddMinutes(1)),
            Notification(1, "Delivered", attempts: 1, lastStatus: 202, isTest: true),
        ];

        var events = RenderEvents();

        events.WaitForAssertion(() => Assert.Equal(3, events.FindAll("[data-testid='events-log'] tbody tr").Count));
        Assert.Equal(["Failed", "Pending", "Delivered"], events.FindAll("[data-testid='events-log'] [data-testid='event-state']").Select(c => c.TextContent.Trim()));
        Assert.Equal(["12", "2", "1"], events.FindAll("[data-testid='events-attempts']").Select(c => c.TextContent.Trim()));
        Assert.Contains("2026-12-03 10:01:00", events.Find("[data-testid='events-log'] tbody tr:nth-child(2)").TextContent);
        Assert.Contains("500 · Answered 500", events.Find("[data-testid='events-log'] tbody tr:first-child").TextContent);
        Assert.Single(events.FindAll("[data-testid='events-test-chip']"));
        Assert.Contains("Push", events.Find("[data-testid='events-subscription-state']").TextContent);
    }

    [Fact]
    public void NoNotifications_SaysWhenTheyAppear_AndNoCallback_ReadsPollingOnly()
    {
        _events.Subscription = Subscription(null);

        var events = RenderEvents();

        events.WaitForAssertion(() => Assert.Contains("No notifications yet", events.Find("[data-testid='events-empty']").TextContent));
        Assert.Contains("Polling only", events.Find("[data-testid='events-subscription-state']").TextContent);
    }

    [Fact]
    public void FilteringByState_AsksForThatState_AndAnEmptyAnswerSaysNothingMatches()
    {
        var events = RenderEvents();
        InputOf(events.WaitForElement("[data-testid='events-filter-resource']")).Change("dp-42");

        events.Find("[data-testid='events-search']").Click();

        events.WaitForAssertion(() => Assert.Equal("No notifications match.", events.Find("[data-testid='events-empty']").TextContent.Trim()));
        Assert.Equal("dp-42", _events.Filters[^1].ResourceId);
    }

    [Fact]
    public void SendTestEvent_AsksTheBank_AndReloadsTheLog()
    {
        _events.Subscription = Subscription("https://wallet.example/hooks");
        var events = RenderEvents();
        events.WaitForElement("[data-testid='events-empty']");
        _events.Log = [Notification(7, "Pending", attempts: 0, isTest: true, next: Now)];

        events.Find("[data-testid='events-send-test']").Click();

        events.WaitForAssertion(() => Assert.Single(events.FindAll("[data-testid='events-test-chip']")));
        Assert.Equal(1, _events.TestsSent);
    }

    [Fact]
    public void SendTestEvent_WithoutACallback_ShowsTheBanksSentence()
    {
        _events.Refusal = new PortalValidationException("", "Set a callback URL on the app's event subscription to send a test event.");
        var events = RenderEvents();

        events.WaitForElement("[data-testid='events-send-test']").Click();

        events.WaitForAssertion(() => Assert.Contains("Set a callback URL", Markup()));
    }

    [Fact]
    public void Replay_QueuesThatDeliveryAgain()
    {
        _events.Subscription = Subscription("https://wallet.example/hooks");
        _events.Log = [Notification(5, "Failed", attempts: 12)];
        var events = RenderEvents();

        events.WaitForElement("[data-testid='events-replay']").Click();

        events.WaitForAssertion(() => Assert.Equal([5L], _events.Replayed));
        Assert.Contains("queued again", Markup());
    }

    [Fact]
    public void ReplayAllFailed_AsksForThoseOfThePeriodChosen_AndSaysHowMany()
    {
        _events.ReplayedCount = 3;
        var events = RenderEvents();

        events.WaitForElement("[data-testid='events-replay-failed']").Click();

        events.WaitForAssertion(() => Assert.Contains("3 failed notifications are queued again.", Markup()));
        var since = Assert.Single(_events.ReplayedSince);
        Assert.InRange(DateTimeOffset.UtcNow - since, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
    }

    [Fact]
    public void VerifyMyEndpoint_ShowsTheCheckList_WithHowToFixWhatFailed()
    {
        _events.Verification = new EndpointVerification(false, "https://wallet.example/hooks", "https://wallet.example/hooks/event-notifications", "ia-1", 200, 35, 9,
        [
            new("url", "URL accepted", true, "The bank POSTs SETs to https://wallet.example/hooks/event-notifications."),
            new("connected", "Connected", true, "Connected to wallet.example."),
            new("accepted", "Answered 202 Accepted", false, "Answered 200: the specification asks for 202 Accepted. Answer 202 with no body."),
            new("timely", "Answered within the timeout", true, "Answered in 35 ms."),
            new("echoed", "Echoed x-fapi-interaction-id", false, "Copy the request's header into the answer."),
            new("no-redirect", "No redirect", true, "Answered without redirecting."),
        ]);
        var events = RenderEvents();
        InputOf(events.WaitForElement("[data-testid='events-verify-url']")).Change("https://wallet.example/hooks");

        events.Find("[data-testid='events-verify']").Click();

        events.WaitForAssertion(() => Assert.Equal(6, events.FindAll("[data-testid^='verify-check-']").Count));
        Assert.Equal("https://wallet.example/hooks", _events.VerifiedUrls.Single());
        Assert.Equal("false", events.Find("[data-testid='verify-check-accepted']").GetAttribute("data-passed"));
        Assert.Equal("true", events.Find("[data-testid='verify-check-timely']").GetAttribute("data-passed"));
        Assert.Contains("Answer 202 with no body", events.Find("[data-testid='verify-check-accepted']").TextContent);
        Assert.Contains("needs attention", events.Find("[data-testid='events-verify-summary']").TextContent);
    }

    [Fact]
    public void Save_WithABadUrlAndNoEventType_ShowsBothProblemsAtOnce_WithoutAskingTheBank()
    {
        var events = RenderEvents();
        InputOf(events.WaitForElement("[data-testid='events-callback-url']")).Change("not a url");
        InputOf(events.Find("[data-testid='events-all-types']")).Change(false);
        foreach (var box in events.FindAll("[data-testid^='events-type-']").Select(InputOf).ToList())
        {
            box.Change(false);
        }

        events.Find("[data-testid='events-save']").Click();

        var errors = events.WaitForElement("[data-testid='form-errors']").TextContent;
        Assert.Contains("absolute https URL", errors);
        Assert.Contains("Choose at least one event type", errors);
        Assert.Empty(_events.Saved);
    }

    [Fact]
    public void Save_TheBanksRefusals_AreShownOnTheirFields_AllAtOnce()
    {
        _events.Refusal = new PortalValidationException(new Dictionary<string, string[]>
        {
            ["callbackUrl"] = ["The callback URL must use https."],
            ["version"] = ["Use version 3.1 or 4.0."],
        });
        var events = RenderEvents();
        InputOf(events.WaitForElement("[data-testid='events-callback-url']")).Change("http://wallet.example/hooks");

        events.Find("[data-testid='events-save']").Click();

        events.WaitForAssertion(() => Assert.Contains("must use https", events.Find("[data-testid='form-errors']").TextContent));
        Assert.Contains("Use version", events.Find("[data-testid='form-errors']").TextContent);
        Assert.Contains("must use https", events.Find("[data-testid='events-callback-url']").Closest(".mud-input-control")!.TextContent);
    }

    [Fact]
    public void Save_ChosenTypesAndVersion_AreSentInTheBanksOrder_AndAnEmptyUrlMeansPolling()
    {
        var events = RenderEvents();
        InputOf(events.WaitForElement("[data-testid='events-all-types']")).Change(false);
        InputOf(events.Find("[data-testid='events-type-account-access-consent-linked-account-update']")).Change(false);

        events.Find("[data-testid='events-save']").Click();

        events.WaitForAssertion(() => Assert.Single(_events.Saved));
        var change = _events.Saved[0];
        Assert.Null(change.CallbackUrl);
        Assert.Equal([ResourceUpdate, "urn:uk:org:openbanking:events:consent-authorization-revoked"], change.EventTypes);
        Assert.Equal("3.1", change.Version);
        events.WaitForAssertion(() => Assert.Contains("Polling only", events.Find("[data-testid='events-subscription-state']").TextContent));
    }

    [Fact]
    public void Viewers_ReadTheLog_ButGetNoButtonsThatChangeAnything()
    {
        _events.Log = [Notification(5, "Failed", attempts: 12)];

        var events = RenderEvents(canManage: false);

        events.WaitForElement("[data-testid='events-open']");
        Assert.Empty(events.FindAll("[data-testid='events-replay'], [data-testid='events-save'], [data-testid='events-send-test'], [data-testid='events-verify']"));
    }

    [Fact]
    public void Details_ShowTheAttemptsAndTheDecodedClaims_AndTheSignatureVerified()
    {
        _events.Log = [Notification(4, "Delivered", attempts: 1, lastStatus: 202)];
        _events.Detail = new EventNotificationDetail(Notification(4, "Delivered", attempts: 1, lastStatus: 202),
            [new EventDeliveryAttempt(1, Now, "https://wallet.example/hooks/event-notifications", "ia-4", 202, 12, true, null, "Automatic")],
            new DecodedSet("eyJ.eyJ.sig", "kid-1", "{\n  \"alg\": \"PS256\"\n}", "{\n  \"aud\": \"demo-wallet\",\n  \"sub\": \"https://gateway.example/open-banking/v3.1/pisp/domestic-payments/dp-4\"\n}", true, null));
        var events = RenderEvents();

        events.WaitForElement("[data-testid='events-open']").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains("Signature verified", _dialogs.Find("[data-testid='event-signature']").TextContent));
        Assert.Contains("\"aud\": \"demo-wallet\"", _dialogs.Find("[data-testid='event-set-claims']").TextContent);
        Assert.Contains("PS256", _dialogs.Find("[data-testid='event-set-header']").TextContent);
        Assert.Contains("202", _dialogs.Find("[data-testid='event-attempt-answer']").TextContent);
        Assert.Equal(4, _events.DetailsAsked.Single());
    }

    private static AngleSharp.Dom.IElement InputOf(AngleSharp.Dom.IElement element)
        => element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea")!;

    private string Markup() => string.Join("", ComponentMarkups());

    private IEnumerable<string> ComponentMarkups()
    {
        var snackbar = Services.GetRequiredService<ISnackbar>();
        return snackbar.ShownSnackbars.Select(s => s.Message?.ToString() ?? "");
    }

    private static EventSubscription Subscription(string? callbackUrl)
        => new("es-0123456789abcdef0123", callbackUrl, null, "3.1", "v3.1.11", Now, Now);

    private static EventNotificationSummary Notification(
        long id, string state, int attempts, int? lastStatus = null, string? lastError = null, bool isTest = false, DateTimeOffset? next = null)
        => new(id, Guid.NewGuid().ToString(), ResourceUpdate, "domestic-payment", $"dp-{id}", "AcceptedSettlementCompleted", state, isTest, attempts, next,
            attempts > 0 ? Now : null, lastStatus, lastError, "https://wallet.example/hooks", "Automatic", Now.AddMinutes(-id), Now.AddMinutes(-id), Now.AddDays(7), null);

    private sealed class FakeEvents : IAppEvents
    {
        public EventSubscription? Subscription { get; set; }

        public IReadOnlyList<EventNotificationSummary> Log { get; set; } = [];

        public EventNotificationDetail? Detail { get; set; }

        public EndpointVerification? Verification { get; set; }

        /// <summary>What the next change is refused with.</summary>
        public PortalRefusalException? Refusal { get; set; }

        public int ReplayedCount { get; set; } = 1;

        public List<EventLogFilter> Filters { get; } = [];

        public List<EventSubscriptionChange> Saved { get; } = [];

        public List<long> Replayed { get; } = [];

        public List<DateTimeOffset> ReplayedSince { get; } = [];

        public List<string?> VerifiedUrls { get; } = [];

        public List<long> DetailsAsked { get; } = [];

        public int TestsSent { get; private set; }

        public Task<EventSubscription?> SubscriptionAsync(string clientId, CancellationToken ct = default) => Task.FromResult(Subscription);

        public Task<EventSubscription> SaveSubscriptionAsync(string clientId, EventSubscriptionChange change, CancellationToken ct = default)
        {
            Refuse();
            Saved.Add(change);
            Subscription = new EventSubscription("es-0123456789abcdef0123", change.CallbackUrl, change.EventTypes, change.Version ?? "3.1", "v3.1.11", Now, Now);
            return Task.FromResult(Subscription);
        }

        public Task DeleteSubscriptionAsync(string clientId, CancellationToken ct = default)
        {
            Subscription = null;
            return Task.CompletedTask;
        }

        public Task<EventNotificationPage> LogAsync(string clientId, EventLogFilter filter, CancellationToken ct = default)
        {
            Filters.Add(filter);
            return Task.FromResult(new EventNotificationPage(
                Log.Where(n => string.IsNullOrEmpty(filter.ResourceId) || n.ResourceId == filter.ResourceId).ToList(), null));
        }

        public Task<EventNotificationDetail?> DetailAsync(string clientId, long id, CancellationToken ct = default)
        {
            DetailsAsked.Add(id);
            return Task.FromResult(Detail);
        }

        public Task<EventNotificationSummary> SendTestAsync(string clientId, CancellationToken ct = default)
        {
            Refuse();
            TestsSent++;
            return Task.FromResult(Log[0]);
        }

        public Task<int> ReplayAsync(string clientId, long id, CancellationToken ct = default)
        {
            Refuse();
            Replayed.Add(id);
            return Task.FromResult(1);
        }

        public Task<int> ReplayFailedAsync(string clientId, DateTimeOffset since, CancellationToken ct = default)
        {
            Refuse();
            ReplayedSince.Add(since);
            return Task.FromResult(ReplayedCount);
        }

        public Task<EndpointVerification> VerifyAsync(string clientId, string? callbackUrl, CancellationToken ct = default)
        {
            Refuse();
            VerifiedUrls.Add(callbackUrl);
            return Task.FromResult(Verification!);
        }

        private void Refuse()
        {
            if (Refusal is { } refusal)
            {
                throw refusal;
            }
        }
    }
}
