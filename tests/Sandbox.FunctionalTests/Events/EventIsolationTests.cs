using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Events;

namespace OpenBanking.Sandbox.FunctionalTests.Events;

/// <summary>A partner whose endpoint hangs holds up neither payments nor another partner's deliveries.</summary>
public sealed class EventIsolationTests(EventsHost host) : IClassFixture<EventsHost>
{
    private readonly SandboxFactory _factory = host.Factory;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task WhileOneAppsReceiverHangs_PaymentsCommit_AndAnotherAppsEventsAreDelivered()
    {
        const string dead = "wallet-ev-dead";
        const string healthy = "wallet-ev-healthy";
        await using var hanging = await EventReceiver.StartAsync();
        hanging.Answer = async (_, aborted) =>
        {
            await Task.Delay(Timeout.Infinite, aborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return StatusCodes.Status202Accepted;
        };
        await using var working = await EventReceiver.StartAsync();
        await EventsTesting.SubscribeAsync(_factory, dead, hanging.Url);
        await EventsTesting.SubscribeAsync(_factory, healthy, working.Url);

        var payments = new PaymentsClient(_factory);
        var made = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (consentId, token, initiation, _) = await payments.AuthorisedAsync(clientId: dead);
            var (status, text, body) = await payments.SubmitAsync(token, consentId, initiation);
            Assert.True(status == HttpStatusCode.Created, text);
            made.Add(body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!);
        }

        // The dead endpoint has pushes hanging on it by now...
        await hanging.WaitUntilAsync(r => r.Count > 0);
        // ...and the payments made meanwhile are committed and readable.
        foreach (var id in made)
        {
            var (status, body) = await payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/{id}", PaymentsClient.PaymentToken(dead));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(id, body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString());
        }

        // The other app's change is delivered while the dead one's are still failing.
        await new SandboxClient(_factory).CreateConsentAsync("ReadAccountsBasic", clientId: healthy);
        var delivered = Assert.Single(await EventsTesting.SettledNotificationsAsync(_factory, healthy));
        Assert.Equal(EventDeliveryState.Delivered, delivered.State);
        await working.WaitUntilAsync(r => r.Any(s => s.Jti == delivered.Jti));
        Assert.Equal(0, await EventsTesting.WithDbAsync(_factory, db => db.EventNotifications.CountAsync(n => n.ClientId == dead && n.State == EventDeliveryState.Delivered, _ct)));
    }
}
