using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Events;

namespace OpenBanking.Sandbox.FunctionalTests.Events;

/// <summary>
/// Failed pushes are retried with the same SET (same jti, same bytes) and every attempt is recorded; a round gives up
/// after the configured attempts (the test host allows 4, a few milliseconds apart); redirects are not followed.
/// </summary>
public sealed class EventRetryTests(EventsHost host) : IClassFixture<EventsHost>, IAsyncLifetime
{
    private readonly SandboxFactory _factory = host.Factory;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private EventReceiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await EventReceiver.StartAsync();

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task AReceiverAnswering500TwiceThen202_GetsTheSameJtiThreeTimes_AndEveryAttemptIsRecorded()
    {
        var calls = 0;
        _receiver.Answer = (_, _) => Task.FromResult(Interlocked.Increment(ref calls) <= 2 ? StatusCodes.Status500InternalServerError : StatusCodes.Status202Accepted);
        var notification = await OneNotificationAsync("wallet-ev-retry");

        Assert.Equal((EventDeliveryState.Delivered, 3), (notification.State, notification.Attempts));
        Assert.NotNull(notification.AcknowledgedAt);
        var attempts = await AttemptsAsync(notification.Id);
        Assert.Equal([500, 500, 202], attempts.Select(a => a.StatusCode));
        Assert.Equal(["Answered 500 Internal Server Error.", "Answered 500 Internal Server Error.", null], attempts.Select(a => a.Error));
        Assert.All(attempts, a => Assert.Equal(EventAttemptTrigger.Automatic, a.Trigger));
        Assert.All(attempts, a => Assert.True(a.EchoedInteractionId));
        var received = _receiver.Received;
        Assert.Equal(3, received.Count);
        Assert.All(received, s => Assert.Equal((notification.Jti, notification.Set), (s.Jti, s.Token)));
        Assert.Equal(attempts.Select(a => a.InteractionId), received.Select(s => s.InteractionId));
    }

    [Fact]
    public async Task AReceiverThatDoesNotAnswerInTime_IsRecordedAsATimeout_AndTriedAgain()
    {
        var calls = 0;
        _receiver.Answer = async (_, aborted) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                // Hangs until the bank gives up on it (its push timeout is 1 s in the test host).
                await Task.Delay(Timeout.Infinite, aborted).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            return StatusCodes.Status202Accepted;
        };
        var notification = await OneNotificationAsync("wallet-ev-timeout");

        Assert.Equal(EventDeliveryState.Delivered, notification.State);
        var attempts = await AttemptsAsync(notification.Id);
        Assert.Equal(2, attempts.Count);
        Assert.Null(attempts[0].StatusCode);
        Assert.Equal("No answer within 1 s.", attempts[0].Error);
        // About the 1 s timeout (the latency is cut to whole milliseconds: 999 happens).
        Assert.True(attempts[0].LatencyMs >= 900, $"{attempts[0].LatencyMs} ms");
        Assert.Equal(202, attempts[1].StatusCode);
    }

    [Fact]
    public async Task AReceiverThatKeepsFailing_IsMarkedFailedAfterMaxAttempts_AndStaysAvailableToPolling()
    {
        _receiver.Answer = (_, _) => Task.FromResult(StatusCodes.Status500InternalServerError);
        var notification = await OneNotificationAsync("wallet-ev-fail");

        Assert.Equal((EventDeliveryState.Failed, EventsTesting.MaxAttempts, 500), (notification.State, notification.Attempts, notification.LastStatusCode));
        Assert.Null(notification.AcknowledgedAt);
        Assert.True(notification.ExpiresAt > DateTime.UtcNow);
        Assert.Equal(EventsTesting.MaxAttempts, (await AttemptsAsync(notification.Id)).Count);
        Assert.Equal(EventsTesting.MaxAttempts, _receiver.Received.Count(s => s.Jti == notification.Jti));
    }

    [Fact]
    public async Task ARedirect_IsNotFollowed_AndCountsAsAFailure()
    {
        _receiver.Answer = (_, _) => Task.FromResult(StatusCodes.Status302Found);
        var notification = await OneNotificationAsync("wallet-ev-redirect");

        Assert.Equal(EventDeliveryState.Failed, notification.State);
        var attempts = await AttemptsAsync(notification.Id);
        Assert.All(attempts, a => Assert.Equal(302, a.StatusCode));
        Assert.All(attempts, a => Assert.Contains("the bank follows no redirects", a.Error));
        Assert.Equal(0, _receiver.FollowedRedirects);
    }

    /// <summary>An app subscribed to this test's receiver makes one change (an AIS consent created): its notification once settled.</summary>
    private async Task<EventNotification> OneNotificationAsync(string app)
    {
        await EventsTesting.SubscribeAsync(_factory, app, _receiver.Url);
        await new SandboxClient(_factory).CreateConsentAsync("ReadAccountsBasic", clientId: app);
        return Assert.Single(await EventsTesting.SettledNotificationsAsync(_factory, app));
    }

    private Task<List<EventDeliveryAttempt>> AttemptsAsync(long notificationId)
        => EventsTesting.WithDbAsync(_factory, db => db.EventDeliveryAttempts.AsNoTracking().Where(a => a.NotificationId == notificationId).OrderBy(a => a.Id).ToListAsync(_ct));
}

/// <summary>
/// Outside Development (AllowLocalCallbacks false) a callback never reaches an internal address: a host name resolving
/// to one is refused when the push connects; loopback, private and link-local literals are refused before that. No
/// request reaches the receiver, and each attempt says why in words.
/// </summary>
public sealed class EventSsrfTests : IDisposable, IAsyncLifetime
{
    private readonly SandboxFactory _factory = EventsTesting.Host(allowLocalCallbacks: false);
    private EventReceiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await EventReceiver.StartAsync(IPAddress.Any);

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task CallbacksToInternalAddresses_AreRefused_AndNothingReachesTheReceiver()
    {
        var hostName = Dns.GetHostName();
        var resolved = await Dns.GetHostAddressesAsync(hostName, TestContext.Current.CancellationToken);
        Assert.SkipUnless(resolved.Any(CallbackPolicy.IsInternal) && resolved.All(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6),
            $"This machine's name ({hostName}) does not resolve to an internal address.");
        var cases = new Dictionary<string, (string Url, string Error)>
        {
            ["wallet-ssrf-name"] = ($"https://{hostName}:{_receiver.Port}", $"Refused: {hostName} resolves to an internal address, which a callback may not reach."),
            ["wallet-ssrf-loopback"] = ($"http://127.0.0.1:{_receiver.Port}", "The callback URL must use https."),
            ["wallet-ssrf-private"] = ($"https://10.1.2.3:{_receiver.Port}", "The callback URL must not point at a private, link-local or otherwise internal address."),
            ["wallet-ssrf-metadata"] = ("https://169.254.169.254", "The callback URL must not point at a private, link-local or otherwise internal address."),
        };
        foreach (var (app, (url, _)) in cases)
        {
            await EventsTesting.SubscribeAsync(_factory, app, url);
            await new SandboxClient(_factory).CreateConsentAsync("ReadAccountsBasic", clientId: app);
        }

        foreach (var (app, (_, error)) in cases)
        {
            var notification = Assert.Single(await EventsTesting.SettledNotificationsAsync(_factory, app));
            Assert.Equal(EventDeliveryState.Failed, notification.State);
            var attempts = await EventsTesting.WithDbAsync(_factory, db => db.EventDeliveryAttempts.Where(a => a.NotificationId == notification.Id).ToListAsync());
            Assert.Equal(EventsTesting.MaxAttempts, attempts.Count);
            Assert.All(attempts, a => Assert.Equal((null, error), (a.StatusCode, a.Error)));
        }

        Assert.Empty(_receiver.Received);
    }
}
