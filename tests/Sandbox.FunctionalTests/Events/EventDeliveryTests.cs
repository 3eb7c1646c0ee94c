using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Events;

namespace OpenBanking.Sandbox.FunctionalTests.Events;

/// <summary>
/// Committed changes reach a real HTTP receiver as signed SETs that verify against the published JWKS and follow the
/// event-notification schema: which changes make which events, for whom, in order per resource.
/// </summary>
public sealed class EventDeliveryTests(EventsHost host) : IClassFixture<EventsHost>, IAsyncLifetime
{
    private readonly SandboxFactory _factory = host.Factory;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private EventReceiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await EventReceiver.StartAsync();

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task APaymentMade_PushesSignedResourceUpdates_ForTheConsentAndThePaymentThroughSettlement_InOrderPerResource()
    {
        const string app = "wallet-ev-pay";
        await EventsTesting.SubscribeAsync(_factory, app, _receiver.Url);
        var payments = new PaymentsClient(_factory);
        var (consentId, token, initiation, _) = await payments.AuthorisedAsync(clientId: app);
        var (status, _, body) = await payments.SubmitAsync(token, consentId, initiation);
        Assert.Equal(HttpStatusCode.Created, status);
        var paymentId = body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;
        await payments.SettleAsync();
        await payments.SettleAsync();

        var notifications = await EventsTesting.SettledNotificationsAsync(_factory, app);
        var changes = await EventsTesting.WithDbAsync(_factory, db => db.OutboxMessages.Where(m => m.ClientId == app).OrderBy(m => m.Id).ToListAsync(_ct));
        Assert.Equal(changes.Count, notifications.Count);
        Assert.All(notifications, n => Assert.Equal((EventDeliveryState.Delivered, EventTypes.ResourceUpdate), (n.State, n.EventType)));
        Assert.Equal(["AwaitingAuthorisation", "Authorised", "Consumed"], notifications.Where(n => n.ResourceId == consentId).Select(n => n.ResourceStatus));
        Assert.Equal(["Pending", "AcceptedSettlementInProcess", "AcceptedSettlementCompleted"],
            notifications.Where(n => n.ResourceId == paymentId).Select(n => n.ResourceStatus).Distinct());

        var received = await _receiver.WaitUntilAsync(r => notifications.All(n => r.Any(s => s.Jti == n.Jti)));
        var jwks = await EventsTesting.JwksAsync(_factory);
        foreach (var set in received)
        {
            Assert.Equal(("/event-notifications", "application/jwt"), (set.Path, set.ContentType));
            Assert.False(string.IsNullOrEmpty(set.InteractionId));
            Assert.False(string.IsNullOrEmpty(set.FinancialId));
            var claims = await EventsTesting.VerifyAsync(_factory, set.Token, jwks, app);
            var notification = notifications.Single(n => n.Jti == set.Jti);
            Assert.Equal(notification.Set, set.Token);
            var subject = EventsTesting.Subject(claims);
            var (type, path) = notification.ResourceId == consentId
                ? ("domestic-payment-consent", $"/open-banking/v3.1/pisp/domestic-payment-consents/{consentId}")
                : ("domestic-payment", $"/open-banking/v3.1/pisp/domestic-payments/{paymentId}");
            Assert.Equal(type, subject.GetProperty("http://openbanking.org.uk/rty").GetString());
            Assert.Equal(notification.ResourceId, subject.GetProperty("http://openbanking.org.uk/rid").GetString());
            Assert.EndsWith(path, claims.GetProperty("sub").GetString());
            // A payment is read only through the version that made it: one link.
            var link = Assert.Single(subject.GetProperty("http://openbanking.org.uk/rlk").EnumerateArray());
            Assert.Equal(("v3.1", claims.GetProperty("sub").GetString()), (link.GetProperty("version").GetString(), link.GetProperty("link").GetString()));
            var change = changes.Single(c => c.Id == notification.OutboxMessageId);
            Assert.Equal($"{change.ResourceId}:{change.Version}", claims.GetProperty("txn").GetString());
            Assert.Equal(new DateTimeOffset(DateTime.SpecifyKind(change.OccurredAt, DateTimeKind.Utc)).ToUnixTimeSeconds(), claims.GetProperty("toe").GetInt64());
        }

        // In order per resource: each resource's SETs first arrived in the order of its changes.
        foreach (var resource in notifications.GroupBy(n => n.ResourceId))
        {
            var firstArrivals = resource.Select(n => received.ToList().FindIndex(s => s.Jti == n.Jti)).ToList();
            Assert.Equal(firstArrivals.Order(), firstArrivals);
        }
    }

    [Fact]
    public async Task ACustomerRevokingAccessAtTheBank_PushesConsentAuthorizationRevoked()
    {
        const string app = "wallet-ev-revoke";
        await EventsTesting.SubscribeAsync(_factory, app, _receiver.Url);
        var sandbox = new SandboxClient(_factory);
        var (consentId, _, _) = await sandbox.AuthorisedAsync("ReadAccountsBasic", clientId: app);
        using (var identity = sandbox.Client(SandboxFactory.InternalToken()))
        {
            using var revoked = await identity.PostAsJsonAsync($"/internal/consents/{consentId}/revoke", new { customerId = await sandbox.CustomerIdAsync("alice") }, _ct);
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        var notifications = await EventsTesting.SettledNotificationsAsync(_factory, app);
        var revocation = Assert.Single(notifications, n => n.EventType == EventTypes.ConsentAuthorizationRevoked);
        var set = (await _receiver.WaitUntilAsync(r => r.Any(s => s.Jti == revocation.Jti))).First(s => s.Jti == revocation.Jti);
        var claims = await EventsTesting.VerifyAsync(_factory, set.Token, await EventsTesting.JwksAsync(_factory), app);
        Assert.Equal(EventTypes.ConsentAuthorizationRevoked, EventsTesting.EventType(claims));
        var subject = EventsTesting.Subject(claims);
        Assert.Equal(("account-access-consent", consentId), (subject.GetProperty("http://openbanking.org.uk/rty").GetString(), subject.GetProperty("http://openbanking.org.uk/rid").GetString()));
        // An account-access consent made through v3.1.11 is readable through v4.0 too: a link for each.
        Assert.Equal(["v3.1", "v4.0"], subject.GetProperty("http://openbanking.org.uk/rlk").EnumerateArray().Select(l => l.GetProperty("version").GetString()));
    }

    [Fact]
    public async Task TheCustomerSelectingAccountsForAnAisConsent_PushesLinkedAccountUpdate()
    {
        const string app = "wallet-ev-linked";
        await EventsTesting.SubscribeAsync(_factory, app, _receiver.Url, version: "4.0");
        var (consentId, _, _) = await new SandboxClient(_factory).AuthorisedAsync("ReadAccountsBasic", clientId: app);

        var notifications = await EventsTesting.SettledNotificationsAsync(_factory, app);
        var linked = Assert.Single(notifications, n => n.EventType == EventTypes.AccountAccessConsentLinkedAccountUpdate);
        var set = (await _receiver.WaitUntilAsync(r => r.Any(s => s.Jti == linked.Jti))).First(s => s.Jti == linked.Jti);
        var claims = await EventsTesting.VerifyAsync(_factory, set.Token, await EventsTesting.JwksAsync(_factory), app);
        Assert.Equal(EventTypes.AccountAccessConsentLinkedAccountUpdate, EventsTesting.EventType(claims));
        // A v4.0 subscriber is pointed at the v4.0 URL of a consent that version may read.
        Assert.EndsWith($"/open-banking/v4.0/aisp/account-access-consents/{consentId}", claims.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task ASubscriptionsEventTypes_FilterWhatIsNotified()
    {
        const string app = "wallet-ev-filter";
        await EventsTesting.SubscribeAsync(_factory, app, _receiver.Url, eventTypes: EventTypes.ConsentAuthorizationRevoked);
        var sandbox = new SandboxClient(_factory);
        var (consentId, _, _) = await sandbox.AuthorisedAsync("ReadAccountsBasic", clientId: app);
        using (var identity = sandbox.Client(SandboxFactory.InternalToken()))
        {
            using var revoked = await identity.PostAsJsonAsync($"/internal/consents/{consentId}/revoke", new { customerId = await sandbox.CustomerIdAsync("alice") }, _ct);
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        var notifications = await EventsTesting.SettledNotificationsAsync(_factory, app);
        var only = Assert.Single(notifications);
        Assert.Equal((EventTypes.ConsentAuthorizationRevoked, EventDeliveryState.Delivered), (only.EventType, only.State));
        await _receiver.WaitUntilAsync(r => r.Any(s => s.Jti == only.Jti));
        // This test's receiver got that SET and nothing else.
        Assert.All(_receiver.Received, s => Assert.Equal(only.Jti, s.Jti));
    }

    [Fact]
    public async Task WithoutASubscription_NothingIsNotified_AndTheChangesAreMarkedDispatched()
    {
        const string app = "wallet-ev-none";
        var payments = new PaymentsClient(_factory);
        var (consentId, token, initiation, _) = await payments.AuthorisedAsync(clientId: app);
        Assert.Equal(HttpStatusCode.Created, (await payments.SubmitAsync(token, consentId, initiation)).Status);

        var notifications = await EventsTesting.SettledNotificationsAsync(_factory, app);
        Assert.Empty(notifications);
        Assert.True(await EventsTesting.WithDbAsync(_factory, db => db.OutboxMessages.CountAsync(m => m.ClientId == app, _ct)) >= 3);
    }

    [Fact]
    public async Task APollingOnlySubscription_MakesNotificationsThatAreNeverPushed()
    {
        const string app = "wallet-ev-poll";
        await EventsTesting.SubscribeAsync(_factory, app, callbackUrl: null);
        await new SandboxClient(_factory).AuthorisedAsync("ReadAccountsBasic", clientId: app);

        var notifications = await EventsTesting.SettledNotificationsAsync(_factory, app);
        Assert.NotEmpty(notifications);
        Assert.All(notifications, n => Assert.Equal((EventDeliveryState.PollingOnly, null, 0), (n.State, n.CallbackUrl, n.Attempts)));
        Assert.DoesNotContain(_receiver.Received, s => notifications.Any(n => n.Jti == s.Jti));
    }
}
