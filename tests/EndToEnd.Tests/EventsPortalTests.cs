using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using OpenBanking.Shared;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// The demo partner wires their app to a callback the test runs on a loopback port: sets it as the callback URL in the
/// app's Events tab, checks it with "verify my endpoint", sends a test event, sees it delivered in the log and opens it
/// to read its decoded claims and verified signature.
/// </summary>
public sealed class EventsPortalTests(PlatformFixture platform, BrowserFixture browser)
{
    private Uri Portal => platform.EndpointOf(PlatformServices.Portal);

    [Fact]
    public async Task Partner_SetsACallback_VerifiesIt_AndSeesATestEventDeliveredWithItsClaims()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = LoopbackReceiver.Start();
        var page = await browser.NewPageAsync(Portal);
        await PartnerAccounts.SignInToPortalAsync(page, Portal, DevelopmentSeed.PartnerEmail, "Partner!2345", $"/apps/{DevelopmentSeed.DemoAppClientId}/events");
        await PartnerAccounts.WaitInteractiveAsync(page);

        // The subscription: push to the receiver, every event type.
        var callback = page.GetByTestId("events-callback-url");
        await Expect(callback).ToBeEditableAsync();
        await callback.FillAsync(receiver.CallbackUrl);
        await callback.PressAsync("Tab");
        await page.GetByTestId("events-save").ClickAsync();
        await Expect(page.GetByTestId("events-subscription-state")).ToHaveTextAsync("Push");

        // Verify my endpoint: a signed test SET now, and every check passed.
        await page.GetByTestId("events-verify").ClickAsync();
        await Expect(page.GetByTestId("events-verify-summary")).ToContainTextAsync("does everything the bank expects");
        foreach (var key in new[] { "url", "connected", "accepted", "timely", "echoed", "no-redirect" })
        {
            await Expect(page.GetByTestId($"verify-check-{key}")).ToHaveAttributeAsync("data-passed", "true");
        }

        // Send a test event: the deliverer pushes it to the receiver, and the log shows it delivered.
        var before = receiver.Count;
        await page.GetByTestId("events-send-test").ClickAsync();
        // Bounded so a missing deliverer fails the test with a TimeoutException instead of holding the run.
        var set = await receiver.NextAfterAsync(before, ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        var rid = Claims(set).GetProperty("events").GetProperty("urn:uk:org:openbanking:events:resource-update")
            .GetProperty("subject").GetProperty("http://openbanking.org.uk/rid").GetString()!;
        var row = page.GetByTestId("events-log").Locator("tbody tr", new() { HasText = rid });
        // The deliverer records the 202 just after the receiver answered it: refresh until the log shows it.
        for (var attempt = 0; ; attempt++)
        {
            await page.GetByTestId("events-refresh").ClickAsync();
            try
            {
                await Expect(row.GetByTestId("event-state")).ToHaveTextAsync("Delivered", new() { Timeout = 1000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 30)
            {
            }
        }

        await row.GetByTestId("events-open").ClickAsync();
        var dialog = page.GetByTestId("event-detail-dialog");
        await Expect(dialog.GetByTestId("event-signature")).ToHaveTextAsync("Signature verified");
        await Expect(dialog.GetByTestId("event-set-claims")).ToContainTextAsync($"\"aud\": \"{DevelopmentSeed.DemoAppClientId}\"");
        await Expect(dialog.GetByTestId("event-set-claims")).ToContainTextAsync(rid);
        await Expect(dialog.GetByTestId("event-attempt-answer").First).ToContainTextAsync("202");
        await Screenshots.SaveAsync(page, "app-event-detail");
    }

    private static JsonElement Claims(string set)
    {
        var payload = set.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        return JsonDocument.Parse(Convert.FromBase64String(payload)).RootElement.Clone();
    }

    /// <summary>A partner's callback: answers every POST with 202, echoing x-fapi-interaction-id, and keeps the SETs.</summary>
    private sealed class LoopbackReceiver : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<string> _sets = new();
        private readonly SemaphoreSlim _arrived = new(0);
        private readonly Task _loop;

        private LoopbackReceiver(int port)
        {
            CallbackUrl = $"http://127.0.0.1:{port}/hooks";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/hooks/");
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public string CallbackUrl { get; }

        public int Count => _sets.Count;

        public static LoopbackReceiver Start()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return new LoopbackReceiver(port);
        }

        /// <summary>The first SET received after <paramref name="count"/> had arrived.</summary>
        public async Task<string> NextAfterAsync(int count, CancellationToken ct)
        {
            while (_sets.Count <= count)
            {
                await _arrived.WaitAsync(ct);
            }

            return _sets.ElementAt(count);
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.ASCII);
                var body = await reader.ReadToEndAsync();
                context.Response.StatusCode = (int)HttpStatusCode.Accepted;
                context.Response.Headers["x-fapi-interaction-id"] = context.Request.Headers["x-fapi-interaction-id"];
                context.Response.Close();
                _sets.Enqueue(body);
                _arrived.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _loop;
        }
    }
}
