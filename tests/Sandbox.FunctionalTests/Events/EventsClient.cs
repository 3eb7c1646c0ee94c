using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Events;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Tenancy;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.FunctionalTests.Events;

/// <summary>
/// The Sandbox for the Events API tests: long polls wait on the notification signal only (their timeout and the idle
/// re-check are far away, so a poll that returns early was woken), and a poll returns at most five SETs.
/// </summary>
public sealed class EventsFixture : IDisposable
{
    public const int Ceiling = 5;

    public EventsFixture()
    {
        Sandbox = new SandboxFactory();
        Sandbox.WithSetting("Events:LongPollTimeout", "00:05:00")
            .WithSetting("Events:IdlePollInterval", "00:05:00")
            .WithSetting("Events:MaxEventsPerPoll", Ceiling.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public SandboxFactory Sandbox { get; }

    public void Dispose() => Sandbox.Dispose();
}

/// <summary>Drives the Events API as an app does, and makes notifications directly in the database (no dispatcher involved).</summary>
public sealed class EventsClient(SandboxFactory factory, string version = "v3.1")
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public string Base => $"/open-banking/{version}";

    public bool V4 => version == "v4.0";

    public string Code(string v3, string v4) => V4 ? v4 : v3;

    public static string Token(string clientId, string organisationId, string scope = PlatformScopes.Payments, string? consentId = null)
        => SandboxFactory.ClientToken(clientId, organisationId, scope, consentId);

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(
        HttpMethod method, string path, string token, string? body = null, string? interactionId = null)
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var request = new HttpRequestMessage(method, Base + path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (interactionId is not null)
        {
            request.Headers.Add("x-fapi-interaction-id", interactionId);
        }

        var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> SubscribeAsync(string token, string body)
    {
        var (status, json, response) = await SendAsync(HttpMethod.Post, "/event-subscriptions", token, body);
        response.Dispose();
        return (status, json);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> PollAsync(string token, string body)
    {
        var (status, json, response) = await SendAsync(HttpMethod.Post, "/events", token, body);
        response.Dispose();
        return (status, json);
    }

    public static string SubscriptionBody(string? callbackUrl = "https://wallet.example/cb", string version = "3.1", string? eventTypes = null)
    {
        var members = new List<string>();
        if (callbackUrl is not null)
        {
            members.Add($"\"CallbackUrl\":\"{callbackUrl}\"");
        }

        members.Add($"\"Version\":\"{version}\"");
        if (eventTypes is not null)
        {
            members.Add($"\"EventTypes\":{eventTypes}");
        }

        return "{\"Data\":{" + string.Join(",", members) + "}}";
    }

    public static string ErrorCode(JsonElement body, int index = 0) => body.GetProperty("Errors")[index].GetProperty("ErrorCode").GetString()!;

    public static string[] ErrorPaths(JsonElement body)
        => body.GetProperty("Errors").EnumerateArray().Select(e => e.TryGetProperty("Path", out var p) ? p.GetString()! : "").ToArray();

    public static string[] SetJtis(JsonElement body) => body.GetProperty("sets").EnumerateObject().Select(p => p.Name).ToArray();

    /// <summary>A notification for the app as the dispatcher would make it: a real signed SET, stored once; the signal set.</summary>
    public static async Task<EventNotification> NotifyAsync(
        SandboxFactory factory, string clientId, string organisationId,
        EventDeliveryState state = EventDeliveryState.PollingOnly, string? callbackUrl = null, bool isTest = false, TimeSpan? expiresIn = null)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var tenant = await scope.ServiceProvider.GetRequiredService<TenantService>().GetOrCreateAsync(organisationId, Ct);
        var tokens = scope.ServiceProvider.GetRequiredService<SecurityEventTokens>();
        var now = factory.Clock.GetUtcNow();
        var jti = Guid.NewGuid().ToString();
        var resourceId = "dp-" + Guid.NewGuid().ToString("N")[..12];
        var link = $"http://localhost:5002/open-banking/v3.1/pisp/domestic-payments/{resourceId}";
        var signed = await tokens.SignAsync(new SetClaims(jti, clientId, EventTypes.ResourceUpdate, "domestic-payment", resourceId, link,
            [new SetLink("v3.1", link)], $"{resourceId}:1", now, now), Ct);
        var notification = new EventNotification
        {
            Jti = jti,
            TenantId = tenant.Id,
            ClientId = clientId,
            EventType = EventTypes.ResourceUpdate,
            ResourceType = "domestic-payment",
            ResourceId = resourceId,
            ResourceStatus = "AcceptedSettlementCompleted",
            IsTest = isTest,
            Set = signed.Token,
            Kid = signed.Kid,
            OccurredAt = now.UtcDateTime,
            CreatedAt = now.UtcDateTime,
            ExpiresAt = (now + (expiresIn ?? TimeSpan.FromDays(7))).UtcDateTime,
            CallbackUrl = callbackUrl,
            State = state,
            // A pending push far in the future: no deliverer touches it while the test looks.
            NextAttemptAt = state == EventDeliveryState.Pending ? now.UtcDateTime.AddDays(1) : null,
            RoundStartedAt = state == EventDeliveryState.Pending ? now.UtcDateTime : null,
            AcknowledgedAt = state == EventDeliveryState.Delivered ? now.UtcDateTime : null,
        };
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        db.EventNotifications.Add(notification);
        await db.SaveChangesAsync(Ct);
        scope.ServiceProvider.GetRequiredService<EventSignal>().Notifications.Set();
        return notification;
    }

    public static async Task<EventNotification> ReadAsync(SandboxFactory factory, string jti)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        return await db.EventNotifications.AsNoTracking().SingleAsync(n => n.Jti == jti, Ct);
    }
}
