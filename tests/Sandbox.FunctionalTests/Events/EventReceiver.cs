using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenBanking.Sandbox.Events;

namespace OpenBanking.Sandbox.FunctionalTests.Events;

/// <summary>One POST the receiver got.</summary>
public sealed record ReceivedSet(string Path, string Token, string Jti, string? ContentType, string? InteractionId, string? FinancialId, DateTime ArrivedAt);

/// <summary>
/// A partner's callback endpoint: real Kestrel on a free port, recording every SET POSTed to it and answering as the
/// test says (<see cref="Answer"/>: a status code, after as long as it likes). A 302 points at <c>/elsewhere</c>, which
/// records whether anyone followed it.
/// </summary>
public sealed class EventReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSet> _received = new();
    private readonly EventSignal.Pulse _arrived = new();
    private int _followedRedirects;

    private EventReceiver(WebApplication app) => _app = app;

    /// <summary>How to answer a SET (default 202). Cancelled when the caller hangs up.</summary>
    public Func<ReceivedSet, CancellationToken, Task<int>> Answer { get; set; } = (_, _) => Task.FromResult(StatusCodes.Status202Accepted);

    /// <summary>The callback URL to register (the bank appends /event-notifications).</summary>
    public string Url { get; private set; } = string.Empty;

    public int Port { get; private set; }

    public IReadOnlyList<ReceivedSet> Received => _received.ToList();

    public int FollowedRedirects => Volatile.Read(ref _followedRedirects);

    public static async Task<EventReceiver> StartAsync(IPAddress? bind = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(bind ?? IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new EventReceiver(app);
        app.MapPost("/elsewhere/{**rest}", () =>
        {
            Interlocked.Increment(ref receiver._followedRedirects);
            return Results.Accepted();
        });
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var token = await reader.ReadToEndAsync(context.RequestAborted);
            var jti = new JsonWebToken(token).Id;
            var set = new ReceivedSet(context.Request.Path, token, jti, context.Request.ContentType,
                context.Request.Headers["x-fapi-interaction-id"], context.Request.Headers["x-fapi-financial-id"], DateTime.UtcNow);
            receiver._received.Enqueue(set);
            receiver._arrived.Set();
            var status = await receiver.Answer(set, context.RequestAborted);
            if (status is >= 300 and < 400)
            {
                context.Response.Headers.Location = $"http://127.0.0.1:{receiver.Port}/elsewhere/event-notifications";
            }

            context.Response.Headers["x-fapi-interaction-id"] = set.InteractionId;
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver.Port = new Uri(app.Urls.First()).Port;
        receiver.Url = $"http://127.0.0.1:{receiver.Port}";
        return receiver;
    }

    /// <summary>Waits (on arrivals, with a generous deadline) until what arrived satisfies the condition.</summary>
    public async Task<IReadOnlyList<ReceivedSet>> WaitUntilAsync(Func<IReadOnlyList<ReceivedSet>, bool> condition, TimeSpan? deadline = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(deadline ?? EventsTesting.Deadline);
        while (true)
        {
            var received = Received;
            if (condition(received))
            {
                return received;
            }

            try
            {
                // Re-checks at least every half second in case an arrival slipped between the check and the wait.
                await _arrived.WaitAsync(TimeSpan.FromMilliseconds(500), timeout.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"The receiver did not get what the test waited for in time; it got {received.Count} SET(s).");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
