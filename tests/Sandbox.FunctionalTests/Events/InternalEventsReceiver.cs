using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenBanking.Sandbox.FunctionalTests.Events;

/// <summary>
/// A partner's callback endpoint: a real Kestrel server on a loopback port, so the bank's pushes cross a real socket.
/// Each path prefix behaves one way: <c>/ok</c> answers 202 and echoes the interaction id (as the spec asks),
/// <c>/ok200</c> 200 without echo, <c>/error</c> 500, <c>/redirect</c> 302, <c>/slow</c> never answers in time.
/// </summary>
public sealed class InternalEventsReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InternalEventsReceiver(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>e.g. http://127.0.0.1:5123</summary>
    public string BaseUrl { get; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    public sealed record Received(string Path, string? ContentType, string? InteractionId, string? FinancialId, string Body);

    public static async Task<InternalEventsReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        InternalEventsReceiver? receiver = null;
        app.MapPost("/{mode}/event-notifications", async (string mode, HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var interactionId = context.Request.Headers["x-fapi-interaction-id"].ToString();
            receiver!.Requests.Enqueue(new Received(context.Request.Path, context.Request.ContentType, interactionId,
                context.Request.Headers["x-fapi-financial-id"].ToString(), body));
            switch (mode)
            {
                case "ok":
                    context.Response.Headers["x-fapi-interaction-id"] = interactionId;
                    return Results.StatusCode(StatusCodes.Status202Accepted);
                case "ok200":
                    return Results.Ok();
                case "redirect":
                    return Results.Redirect("https://elsewhere.example/event-notifications");
                case "slow":
                    // Longer than the bank waits; the bank's cancellation ends it.
                    await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                    return Results.StatusCode(StatusCodes.Status202Accepted);
                default:
                    return Results.StatusCode(StatusCodes.Status500InternalServerError);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new InternalEventsReceiver(app, address.TrimEnd('/'));
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
