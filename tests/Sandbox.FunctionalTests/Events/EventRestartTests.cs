using Microsoft.AspNetCore.Http;
using OpenBanking.Sandbox.Events;

namespace OpenBanking.Sandbox.FunctionalTests.Events;

/// <summary>
/// All delivery state is in the database: a Sandbox stopped while its pushes hang, then started again on the same
/// database, delivers every event — the interrupted ones pushed again with the same jti (at-least-once).
/// </summary>
public sealed class EventRestartTests
{
    [Fact]
    public async Task StoppingTheSandboxMidDelivery_ThenStartingItAgain_DeliversEveryEvent_WithTheSameJtis()
    {
        const string app = "wallet-ev-restart";
        const int changes = 5;
        var directory = Path.Combine(Path.GetTempPath(), "openbanking-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await using var receiver = await EventReceiver.StartAsync();
            var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            // Until the restart every push hangs (the first host's timeout is long): they are all in flight when it stops.
            receiver.Answer = async (_, aborted) =>
            {
                await recovered.Task.WaitAsync(aborted);
                return StatusCodes.Status202Accepted;
            };

            List<EventNotification> before;
            var first = EventsTesting.Host(directory);
            first.WithSetting("Events:DeliveryTimeout", "00:05:00");
            try
            {
                await EventsTesting.SubscribeAsync(first, app, receiver.Url);
                var sandbox = new SandboxClient(first);
                for (var i = 0; i < changes; i++)
                {
                    await sandbox.CreateConsentAsync("ReadAccountsBasic", clientId: app);
                }

                await receiver.WaitUntilAsync(r => r.Select(s => s.Jti).Distinct().Count() == changes);
                before = await EventsTesting.WithDbAsync(first, db => Task.FromResult(db.EventNotifications.Where(n => n.ClientId == app).ToList()));
                Assert.Equal(changes, before.Count);
                Assert.All(before, n => Assert.Equal((EventDeliveryState.Pending, 0), (n.State, n.Attempts)));
            }
            finally
            {
                // Stopped with every push outstanding.
                await first.DisposeAsync();
            }

            recovered.SetResult();
            await using var second = EventsTesting.Host(directory);
            var after = await EventsTesting.SettledNotificationsAsync(second, app);

            Assert.Equal(before.Select(n => n.Jti).Order(), after.Select(n => n.Jti).Order());
            Assert.All(after, n => Assert.Equal(EventDeliveryState.Delivered, n.State));
            var received = await receiver.WaitUntilAsync(r => after.All(n => r.Count(s => s.Jti == n.Jti) >= 2));
            // Each pushed before the stop and again after it: the same SET, byte for byte.
            Assert.All(after, n => Assert.All(received.Where(s => s.Jti == n.Jti), s => Assert.Equal(n.Set, s.Token)));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
