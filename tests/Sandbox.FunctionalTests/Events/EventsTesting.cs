using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Sandbox.Events;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Signing;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests.Events;

/// <summary>A Sandbox host for event tests: local callbacks allowed, tiny retry delays, a 1 s push timeout.</summary>
public sealed class EventsHost : IDisposable
{
    public SandboxFactory Factory { get; } = EventsTesting.Host();

    public void Dispose() => Factory.Dispose();
}

/// <summary>Subscriptions, waits on the database and SET verification, as a partner would verify them.</summary>
public static class EventsTesting
{
    /// <summary>Generous: the CI box has 2 busy cores. Waits end as soon as the state is reached.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public const int MaxAttempts = 4;

    private static readonly OpenApiContract Spec = OpenApiContract.Load("obie-v3.1.11/event-notifications-openapi.yaml");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static SandboxFactory Host(string? dataDirectory = null, bool allowLocalCallbacks = true)
    {
        var factory = new SandboxFactory();
        factory.WithSetting("Events:AllowLocalCallbacks", allowLocalCallbacks ? "true" : "false")
            .WithSetting("Events:IdlePollInterval", "00:00:00.050")
            .WithSetting("Events:FirstRetryDelay", "00:00:00.050")
            .WithSetting("Events:MaxRetryDelay", "00:00:00.200")
            .WithSetting("Events:MaxAttempts", MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithSetting("Events:DeliveryTimeout", "00:00:01");
        if (dataDirectory is not null)
        {
            factory.WithSetting("Database:DataDirectory", dataDirectory);
        }

        return factory;
    }

    /// <summary>
    /// The app's subscription, inserted as the subscription API would (that API is tested on its own). The tenant is
    /// made first, so that none of the app's changes predates its subscription.
    /// </summary>
    public static async Task SubscribeAsync(SandboxFactory factory, string clientId, string? callbackUrl, string? eventTypes = null,
        string version = "3.1", string organisationId = "org-a")
    {
        await new SandboxClient(factory).CustomersAsync(organisationId);
        await WithDbAsync(factory, async db =>
        {
            var tenantId = await db.Tenants.Where(t => t.OrganisationId == organisationId).Select(t => t.Id).SingleAsync(Ct);
            db.EventSubscriptions.Add(new EventSubscription
            {
                Id = "es-" + Guid.NewGuid().ToString("N")[..20],
                TenantId = tenantId,
                ClientId = clientId,
                CallbackUrl = factory.Services.GetRequiredService<CallbackProtection>().Protect(callbackUrl),
                EventTypes = eventTypes,
                Version = version,
                ApiVersion = "v3.1.11",
                CreatedAt = DateTime.UtcNow,
                UpdatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
            return 0;
        });
    }

    public static async Task<T> WithDbAsync<T>(SandboxFactory factory, Func<SandboxDbContext, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<SandboxDbContext>());
    }

    /// <summary>Reads the database until the condition holds (a short pause between reads), failing at the deadline.</summary>
    public static async Task<T> WaitForAsync<T>(SandboxFactory factory, Func<SandboxDbContext, Task<T>> read, Func<T, bool> done, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? Deadline);
        while (true)
        {
            var value = await WithDbAsync(factory, read);
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < until, $"The database did not reach the state the test waited for in time; last read: {value}");
            await Task.Delay(50, Ct);
        }
    }

    /// <summary>The app's notifications, oldest first, once every outbox row of the app is dispatched and none is still Pending.</summary>
    public static Task<List<EventNotification>> SettledNotificationsAsync(SandboxFactory factory, string clientId)
        => WaitForAsync(factory,
            async db => (await db.OutboxMessages.AnyAsync(m => m.ClientId == clientId && m.DispatchedAt == null, Ct))
                ? null
                : await db.EventNotifications.AsNoTracking().Where(n => n.ClientId == clientId).OrderBy(n => n.Id).ToListAsync(Ct),
            list => list is not null && list.All(n => n.State != EventDeliveryState.Pending))!;

    /// <summary>The published JWKS, fetched anonymously from the Sandbox.</summary>
    public static async Task<JsonWebKeySet> JwksAsync(SandboxFactory factory)
    {
        using var client = factory.CreateClient();
        return new JsonWebKeySet(await client.GetStringAsync(SigningApi.JwksPath, Ct));
    }

    /// <summary>
    /// Verifies a SET as a partner must: PS256 signature by a published key (by kid), typ, issuer and audience; then its
    /// claims against OBEventNotification1 of the event-notification YAML. That schema's OBEvent1 lists only the
    /// resource-update event (a gap in the spec), so the other two types are checked with the same schema under the
    /// resource-update key: the same claims, the same subject. Returns the claims.
    /// </summary>
    public static async Task<JsonElement> VerifyAsync(SandboxFactory factory, string token, JsonWebKeySet jwks, string clientId)
    {
        var jwt = new JsonWebToken(token);
        Assert.Equal("PS256", jwt.Alg);
        Assert.Equal(SecurityEventTokens.TokenType, jwt.Typ);
        Assert.Contains(jwks.Keys, k => k.Kid == jwt.Kid);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidIssuer = factory.Services.GetRequiredService<SecurityEventTokens>().Issuer,
            ValidAudience = clientId,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidAlgorithms = [SecurityAlgorithms.RsaSsaPssSha256],
            ValidTypes = [SecurityEventTokens.TokenType],
        });
        Assert.True(result.IsValid, result.Exception?.Message);

        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(token.Split('.')[1]))!.AsObject();
        var events = claims["events"]!.AsObject();
        var type = Assert.Single(events).Key;
        Assert.True(EventTypes.IsKnown(type), type);
        var checkedAs = claims.DeepClone().AsObject();
        if (type != EventTypes.ResourceUpdate)
        {
            var @event = checkedAs["events"]!.AsObject();
            var body = @event[type]!.DeepClone();
            @event.Remove(type);
            @event[EventTypes.ResourceUpdate] = body;
        }

        using var document = JsonDocument.Parse(checkedAs.ToJsonString());
        Assert.Empty(Spec.Validate("OBEventNotification1", document.RootElement));
        return JsonDocument.Parse(claims.ToJsonString()).RootElement.Clone();
    }

    public static string EventType(JsonElement claims) => claims.GetProperty("events").EnumerateObject().Single().Name;

    public static JsonElement Subject(JsonElement claims) => claims.GetProperty("events").EnumerateObject().Single().Value.GetProperty("subject");
}
