using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenBanking.Sandbox.Events;
using OpenBanking.Sandbox.Events.Subscriptions;

namespace OpenBanking.Sandbox.FunctionalTests.Events;

/// <summary>
/// The Portal's internal events API: an app's subscription, delivery log, decoded SETs, test events and replays (queued
/// for the deliverer as the shared contract says), always bounded by the organisation's tenant.
/// </summary>
public sealed class InternalEventsTests(InternalEventsFixture fixture) : IClassFixture<InternalEventsFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly string _organisation = "org-events-" + Guid.NewGuid().ToString("N")[..8];

    private string Base(string clientId = "wallet-events", string? organisation = null)
        => $"/internal/tenants/{organisation ?? _organisation}/apps/{clientId}/events";

    [Fact]
    public async Task Subscription_PutCreatesIt_PutChangesIt_GetReadsIt_DeleteRemovesIt()
    {
        using var client = fixture.Internal();

        using var none = await client.GetAsync($"{Base()}/subscription", _ct);
        using var created = await client.PutAsJsonAsync($"{Base()}/subscription", new { CallbackUrl = fixture.Receiver.BaseUrl + "/ok" }, _ct);
        using var changed = await client.PutAsJsonAsync($"{Base()}/subscription",
            new { CallbackUrl = (string?)null, EventTypes = new[] { EventTypes.ConsentAuthorizationRevoked, EventTypes.ResourceUpdate }, Version = "v4.0" }, _ct);
        var read = await client.GetFromJsonAsync<JsonElement>($"{Base()}/subscription", _ct);
        using var deleted = await client.DeleteAsync($"{Base()}/subscription", _ct);
        using var gone = await client.GetAsync($"{Base()}/subscription", _ct);

        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = await InternalEventsFixture.JsonAsync(created, _ct);
        Assert.Equal("3.1", first.GetProperty("Version").GetString());
        Assert.Equal(JsonValueKind.Null, Kind(first, "EventTypes"));
        Assert.Matches("^es-[0-9a-f]{20}$", first.GetProperty("SubscriptionId").GetString());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(first.GetProperty("SubscriptionId").GetString(), read.GetProperty("SubscriptionId").GetString());
        Assert.Equal(JsonValueKind.Null, Kind(read, "CallbackUrl"));
        // Kept in the bank's order whatever order they were sent in.
        Assert.Equal([EventTypes.ResourceUpdate, EventTypes.ConsentAuthorizationRevoked],
            read.GetProperty("EventTypes").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(("v4.0", "v4.0"), (read.GetProperty("Version").GetString(), read.GetProperty("ApiVersion").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Subscription_WithEveryFieldWrong_Is400NamingEachFieldInWords_AndSavesNothing()
    {
        using var client = fixture.Internal();

        using var response = await client.PutAsJsonAsync($"{Base()}/subscription",
            new { CallbackUrl = "ftp://partner.example/hooks", EventTypes = new[] { "urn:uk:org:openbanking:events:everything" }, Version = "9.9" }, _ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await InternalEventsFixture.JsonAsync(response, _ct)).GetProperty("errors");
        Assert.Contains("https", errors.GetProperty("callbackUrl")[0].GetString());
        Assert.Contains("everything", errors.GetProperty("eventTypes")[0].GetString());
        Assert.Contains("3.1", errors.GetProperty("version")[0].GetString());
        using var after = await client.GetAsync($"{Base()}/subscription", _ct);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Theory]
    [InlineData("3.1")]
    [InlineData("v3.1")]
    [InlineData("3.1.x")]
    [InlineData("4.0")]
    [InlineData("v4.0")]
    public void SubscriptionRules_AcceptTheVersionsTheContractNames(string version)
        => Assert.True(EventSubscriptionRules.IsVersion(version));

    [Theory]
    [InlineData("3")]
    [InlineData("5.0")]
    [InlineData("v3.1.11.1234")]
    public void SubscriptionRules_RefuseOtherVersions(string version)
        => Assert.False(EventSubscriptionRules.IsVersion(version));

    [Fact]
    public async Task TestEvent_WithoutACallback_Is409InWords_AndCreatesNothing()
    {
        using var client = fixture.Internal();
        await PutSubscriptionAsync(client, callbackUrl: null);

        using var response = await client.PostAsync($"{Base()}/test", null, _ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("callback URL", (await InternalEventsFixture.JsonAsync(response, _ct)).GetProperty("detail").GetString());
        Assert.Empty(await ListAsync(client));
    }

    [Fact]
    public async Task TestEvent_IsASignedResourceUpdateAboutATestResource_QueuedForTheCallback()
    {
        using var client = fixture.Internal();
        var callback = fixture.Receiver.BaseUrl + "/ok";
        await PutSubscriptionAsync(client, callback);
        var before = fixture.Factory.Clock.GetUtcNow().UtcDateTime;

        using var response = await client.PostAsync($"{Base()}/test", null, _ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await InternalEventsFixture.JsonAsync(response, _ct)).GetProperty("Id").GetInt64();
        var row = await fixture.WithDbAsync(db => db.EventNotifications.AsNoTracking().SingleAsync(n => n.Id == id, _ct));
        Assert.True(row.IsTest);
        Assert.Equal((EventAttemptTrigger.Test, callback), (row.RoundTrigger, Reveal(row.CallbackUrl)));
        Assert.True(row.RoundStartedAt >= before.AddSeconds(-1));
        // Queued per the shared contract; the deliverer (when running) may already have taken it.
        Assert.True(row.State == EventDeliveryState.Pending ? row.NextAttemptAt <= DateTime.UtcNow : row.Attempts > 0, $"queued: {row.State}");
        var validation = await fixture.ValidateAsPartnerAsync(row.Set, "wallet-events", _ct);
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var token = (JsonWebToken)validation.SecurityToken;
        Assert.StartsWith("test-", row.ResourceId, StringComparison.Ordinal);
        Assert.Equal($"http://localhost:5002/open-banking/v3.1/pisp/domestic-payments/{row.ResourceId}", token.Subject);
        var subject = JsonDocument.Parse(token.GetPayloadValue<JsonElement>("events").GetRawText()).RootElement
            .GetProperty(EventTypes.ResourceUpdate).GetProperty("subject");
        Assert.Equal("domestic-payment", subject.GetProperty("http://openbanking.org.uk/rty").GetString());
        Assert.Equal(row.ResourceId, subject.GetProperty("http://openbanking.org.uk/rid").GetString());
        Assert.Equal(token.Subject, Assert.Single(subject.GetProperty("http://openbanking.org.uk/rlk").EnumerateArray()).GetProperty("link").GetString());
    }

    [Fact]
    public async Task Log_IsNewestFirst_PagedById_AndFiltersByStateAndResource()
    {
        using var client = fixture.Internal();
        await PutSubscriptionAsync(client, null);
        var tenantId = await TenantIdAsync();
        var now = DateTime.UtcNow;
        var ids = new List<long>();
        foreach (var (state, acknowledged, resource) in new (EventDeliveryState, bool, string)[]
                 {
                     (EventDeliveryState.Delivered, true, "dp-1"), (EventDeliveryState.Failed, false, "dp-1"), (EventDeliveryState.PollingOnly, true, "dp-2"),
                     (EventDeliveryState.Pending, false, "dp-2"), (EventDeliveryState.PollingOnly, false, "dp-3"),
                 })
        {
            ids.Add(await InsertAsync(tenantId, "wallet-events", state, resource, now, acknowledged ? now : null));
        }

        var firstPage = await PageAsync(client, "?take=2");
        var secondPage = await PageAsync(client, $"?take=2&before={firstPage.GetProperty("NextBefore").GetInt64()}");
        var thirdPage = await PageAsync(client, $"?take=2&before={secondPage.GetProperty("NextBefore").GetInt64()}");

        Assert.Equal([ids[4], ids[3]], Ids(firstPage));
        Assert.Equal([ids[2], ids[1]], Ids(secondPage));
        Assert.Equal([ids[0]], Ids(thirdPage));
        Assert.Equal(JsonValueKind.Null, Kind(thirdPage, "NextBefore"));
        Assert.Equal([ids[2]], Ids(await PageAsync(client, "?state=Acknowledged")));
        Assert.Equal([ids[0]], Ids(await PageAsync(client, "?state=delivered")));
        Assert.Equal([ids[1]], Ids(await PageAsync(client, "?state=Failed")));
        Assert.Equal([ids[3]], Ids(await PageAsync(client, "?state=Pending")));
        Assert.Equal([ids[4]], Ids(await PageAsync(client, "?state=PollingOnly")));
        Assert.Equal([ids[1], ids[0]], Ids(await PageAsync(client, "?resourceId=dp-1")));
        var item = firstPage.GetProperty("Items")[1];
        Assert.Equal(("Pending", "dp-2", "domestic-payment", "AcceptedSettlementCompleted"),
            (item.GetProperty("State").GetString(), item.GetProperty("ResourceId").GetString(), item.GetProperty("ResourceType").GetString(),
                item.GetProperty("ResourceStatus").GetString()));
        Assert.Equal(JsonValueKind.String, Kind(item, "NextAttemptAt"));
        using var badState = await client.GetAsync($"{Base()}?state=Lost", _ct);
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
    }

    [Fact]
    public async Task AnotherTenant_WithTheSameClientId_SeesAndChangesNothingOfThisOne()
    {
        using var client = fixture.Internal();
        await PutSubscriptionAsync(client, fixture.Receiver.BaseUrl + "/ok");
        var failed = await InsertAsync(await TenantIdAsync(), "wallet-events", EventDeliveryState.Failed, "dp-9", DateTime.UtcNow, null);
        var other = "org-other-" + Guid.NewGuid().ToString("N")[..8];
        await PutSubscriptionAsync(client, fixture.Receiver.BaseUrl + "/ok", other);

        var list = await PageAsync(client, "", other);
        using var detail = await client.GetAsync($"{Base(organisation: other)}/{failed}", _ct);
        using var replay = await client.PostAsync($"{Base(organisation: other)}/{failed}/replay", null, _ct);
        using var replayAll = await client.PostAsJsonAsync($"{Base(organisation: other)}/replay", new { Since = DateTimeOffset.UtcNow.AddDays(-1) }, _ct);
        using var ownDetail = await client.GetAsync($"{Base(clientId: "wallet-other")}/{failed}", _ct);

        Assert.Empty(Ids(list));
        Assert.Equal(HttpStatusCode.NotFound, detail.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, replay.StatusCode);
        Assert.Equal(0, (await InternalEventsFixture.JsonAsync(replayAll, _ct)).GetProperty("Queued").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, ownDetail.StatusCode);
        var row = await fixture.WithDbAsync(db => db.EventNotifications.AsNoTracking().SingleAsync(n => n.Id == failed, _ct));
        Assert.Equal(EventDeliveryState.Failed, row.State);
    }

    [Fact]
    public async Task Detail_ShowsTheAttemptsAndTheDecodedSet_AndWhetherItsSignatureVerifies()
    {
        using var client = fixture.Internal();
        await PutSubscriptionAsync(client, fixture.Receiver.BaseUrl + "/ok");
        var verified = await VerifyAsync(client, null);
        var id = verified.GetProperty("NotificationId").GetInt64();

        var detail = await client.GetFromJsonAsync<JsonElement>($"{Base()}/{id}", _ct);
        // The same SET with one character of its signature changed no longer verifies.
        await fixture.WithDbAsync(db => db.EventNotifications.Where(n => n.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Set, n => n.Set.Substring(0, n.Set.Length - 2) + (n.Set.EndsWith("AA") ? "BB" : "AA")), _ct));
        var tampered = await client.GetFromJsonAsync<JsonElement>($"{Base()}/{id}", _ct);

        var set = detail.GetProperty("Set");
        Assert.True(set.GetProperty("SignatureVerified").GetBoolean(), set.ToString());
        var header = JsonDocument.Parse(set.GetProperty("Header").GetString()!).RootElement;
        Assert.Equal(("PS256", "secevent+jwt"), (header.GetProperty("alg").GetString(), header.GetProperty("typ").GetString()));
        Assert.Contains("\n", set.GetProperty("Claims").GetString());
        var claims = JsonDocument.Parse(set.GetProperty("Claims").GetString()!).RootElement;
        Assert.Equal(["iss", "iat", "jti", "aud", "sub", "txn", "toe", "events"], claims.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("wallet-events", claims.GetProperty("aud").GetString());
        var attempt = Assert.Single(detail.GetProperty("Attempts").EnumerateArray());
        Assert.Equal((202, true, "Test"), (attempt.GetProperty("StatusCode").GetInt32(), attempt.GetProperty("EchoedInteractionId").GetBoolean(), attempt.GetProperty("Trigger").GetString()));
        Assert.EndsWith("/ok/event-notifications", attempt.GetProperty("CallbackUrl").GetString());
        Assert.Equal("Delivered", detail.GetProperty("Notification").GetProperty("State").GetString());
        Assert.False(tampered.GetProperty("Set").GetProperty("SignatureVerified").GetBoolean());
        Assert.NotNull(tampered.GetProperty("Set").GetProperty("SignatureProblem").GetString());
    }

    [Fact]
    public async Task ReplayOne_QueuesItAgainForTheCurrentCallback_KeepingItsAttempts()
    {
        using var client = fixture.Internal();
        var callback = fixture.Receiver.BaseUrl + "/ok";
        await PutSubscriptionAsync(client, callback);
        var id = await InsertAsync(await TenantIdAsync(), "wallet-events", EventDeliveryState.Failed, "dp-1", DateTime.UtcNow, null, attempts: 12, callbackUrl: "http://127.0.0.1:1/old");

        using var response = await client.PostAsync($"{Base()}/{id}/replay", null, _ct);
        using var unknown = await client.PostAsync($"{Base()}/{id + 1000}/replay", null, _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await InternalEventsFixture.JsonAsync(response, _ct)).GetProperty("Queued").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var row = await fixture.WithDbAsync(db => db.EventNotifications.AsNoTracking().SingleAsync(n => n.Id == id, _ct));
        Assert.Equal((EventAttemptTrigger.Replay, callback), (row.RoundTrigger, Reveal(row.CallbackUrl)));
        Assert.True(row.State == EventDeliveryState.Pending ? row.NextAttemptAt <= DateTime.UtcNow && row.Attempts == 12 : row.Attempts > 12, $"queued: {row.State}");
    }

    [Fact]
    public async Task Subscription_ChangedOrDeletedInThePortal_DoesToWaitingPushesWhatTheApiDoes()
    {
        using var client = fixture.Internal();
        await PutSubscriptionAsync(client, "http://127.0.0.1:1/broken");
        var tenantId = await TenantIdAsync();
        var waiting = await InsertAsync(tenantId, "wallet-events", EventDeliveryState.Pending, "dp-1", DateTime.UtcNow, null, callbackUrl: "http://127.0.0.1:1/broken");

        // A callback fixed in the Portal re-points the push still waiting and tries it at once.
        var fixedCallback = fixture.Receiver.BaseUrl + "/ok";
        await PutSubscriptionAsync(client, fixedCallback);
        var repointed = await fixture.WithDbAsync(db => db.EventNotifications.AsNoTracking().SingleAsync(n => n.Id == waiting, _ct));
        Assert.Equal(fixedCallback, Reveal(repointed.CallbackUrl));
        Assert.True(repointed.State == EventDeliveryState.Delivered || repointed.NextAttemptAt <= DateTime.UtcNow, $"{repointed.State} at {repointed.NextAttemptAt:O}");

        // Deleting the subscription in the Portal leaves what waits to polling.
        var left = await InsertAsync(tenantId, "wallet-events", EventDeliveryState.Pending, "dp-2", DateTime.UtcNow, null, callbackUrl: fixedCallback);
        using var deleted = await client.DeleteAsync($"{Base()}/subscription", _ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var failed = await fixture.WithDbAsync(db => db.EventNotifications.AsNoTracking().SingleAsync(n => n.Id == left, _ct));
        Assert.Equal((EventDeliveryState.Failed, EventSubscriptionService.DeletedError), (failed.State, failed.LastError));
    }

    [Fact]
    public async Task ReplayOne_WithoutACallback_Is409()
    {
        using var client = fixture.Internal();
        await PutSubscriptionAsync(client, null);
        var id = await InsertAsync(await TenantIdAsync(), "wallet-events", EventDeliveryState.PollingOnly, "dp-1", DateTime.UtcNow, null);

        using var response = await client.PostAsync($"{Base()}/{id}/replay", null, _ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task ReplayAllFailedSince_QueuesOnlyTheUnacknowledgedUnexpiredFailedOnesFromThen()
    {
        using var client = fixture.Internal();
        await PutSubscriptionAsync(client, fixture.Receiver.BaseUrl + "/ok");
        var tenantId = await TenantIdAsync();
        var now = DateTime.UtcNow;
        var old = await InsertAsync(tenantId, "wallet-events", EventDeliveryState.Failed, "dp-1", now.AddHours(-3), null);
        var recent = await InsertAsync(tenantId, "wallet-events", EventDeliveryState.Failed, "dp-2", now.AddMinutes(-30), null);
        var polled = await InsertAsync(tenantId, "wallet-events", EventDeliveryState.Failed, "dp-3", now.AddMinutes(-20), now);
        var delivered = await InsertAsync(tenantId, "wallet-events", EventDeliveryState.Delivered, "dp-4", now.AddMinutes(-10), now);
        var otherApp = await InsertAsync(tenantId, "wallet-else", EventDeliveryState.Failed, "dp-5", now.AddMinutes(-10), null);

        using var missing = await client.PostAsJsonAsync($"{Base()}/replay", new { }, _ct);
        using var response = await client.PostAsJsonAsync($"{Base()}/replay", new { Since = new DateTimeOffset(now.AddHours(-1)) }, _ct);

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(1, (await InternalEventsFixture.JsonAsync(response, _ct)).GetProperty("Queued").GetInt32());
        var rows = await fixture.WithDbAsync(db => db.EventNotifications.AsNoTracking().Where(n => n.TenantId == tenantId).ToDictionaryAsync(n => n.Id, _ct));
        Assert.Equal(EventAttemptTrigger.Replay, rows[recent].RoundTrigger);
        Assert.All([old, polled, delivered, otherApp], id => Assert.Equal(EventAttemptTrigger.Automatic, rows[id].RoundTrigger));
        Assert.Equal(EventDeliveryState.Failed, rows[old].State);
    }

    [Fact]
    public async Task Verify_AnEndpointDoingEverythingRight_PassesEveryCheck_AndReceivedAVerifiableSet()
    {
        using var client = fixture.Internal();
        await PutSubscriptionAsync(client, fixture.Receiver.BaseUrl + "/ok");

        var result = await VerifyAsync(client, null);

        Assert.True(result.GetProperty("Passed").GetBoolean(), result.ToString());
        Assert.All(result.GetProperty("Checks").EnumerateArray(), c => Assert.True(c.GetProperty("Passed").GetBoolean(), c.ToString()));
        Assert.Equal(6, result.GetProperty("Checks").GetArrayLength());
        var interactionId = result.GetProperty("InteractionId").GetString();
        var received = fixture.Receiver.Requests.Single(r => r.InteractionId == interactionId);
        Assert.Equal(("/ok/event-notifications", "application/jwt"), (received.Path, received.ContentType));
        Assert.False(string.IsNullOrEmpty(received.FinancialId));
        var validation = await fixture.ValidateAsPartnerAsync(received.Body, "wallet-events", _ct);
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var row = await fixture.WithDbAsync(db => db.EventNotifications.AsNoTracking().Include(n => n.DeliveryAttempts)
            .SingleAsync(n => n.Id == result.GetProperty("NotificationId").GetInt64(), _ct));
        Assert.Equal((true, EventDeliveryState.Delivered, 1), (row.IsTest, row.State, row.Attempts));
        Assert.NotNull(row.AcknowledgedAt);
        Assert.Equal(interactionId, Assert.Single(row.DeliveryAttempts).InteractionId);
    }

    [Theory]
    [InlineData("/ok200", "accepted,echoed")]
    [InlineData("/error", "accepted,echoed")]
    [InlineData("/redirect", "accepted,echoed,no-redirect")]
    [InlineData("/slow", "accepted,timely")]
    public async Task Verify_AnEndpointGettingThingsWrong_FailsThoseChecks_WithHowToFixThem(string path, string failing)
    {
        using var client = fixture.Internal();

        var result = await VerifyAsync(client, fixture.Receiver.BaseUrl + path);

        Assert.False(result.GetProperty("Passed").GetBoolean());
        var failed = result.GetProperty("Checks").EnumerateArray().Where(c => Kind(c, "Passed") == JsonValueKind.False).ToList();
        Assert.Equal(failing.Split(','), failed.Select(c => c.GetProperty("Key").GetString()).ToArray());
        Assert.All(failed, c => Assert.True(c.GetProperty("Detail").GetString()!.Length > 20));
        var row = await fixture.WithDbAsync(db => db.EventNotifications.AsNoTracking().SingleAsync(n => n.Id == result.GetProperty("NotificationId").GetInt64(), _ct));
        Assert.Equal(path == "/ok200" ? EventDeliveryState.Delivered : EventDeliveryState.Failed, row.State);
    }

    [Fact]
    public async Task Verify_ARefusedUrlOrNothingListening_SaysWhichStepFailed()
    {
        using var client = fixture.Internal();

        var refused = await VerifyAsync(client, "ftp://partner.example/hooks");
        var none = await VerifyAsync(client, null);
        var closed = await VerifyAsync(client, "http://127.0.0.1:1/hooks");

        Assert.Equal("url", Assert.Single(FailedKeys(refused)));
        Assert.Equal(JsonValueKind.Null, Kind(refused, "NotificationId"));
        Assert.Contains("https", refused.GetProperty("Checks")[0].GetProperty("Detail").GetString());
        Assert.Equal("url", Assert.Single(FailedKeys(none)));
        Assert.Contains("no URL to check", none.GetProperty("Checks")[0].GetProperty("Detail").GetString());
        Assert.Equal(["connected"], FailedKeys(closed));
        Assert.Contains("connect", closed.GetProperty("Checks")[1].GetProperty("Detail").GetString(), StringComparison.OrdinalIgnoreCase);

        static string[] FailedKeys(JsonElement result) => result.GetProperty("Checks").EnumerateArray()
            .Where(c => Kind(c, "Passed") == JsonValueKind.False).Select(c => c.GetProperty("Key").GetString()!).ToArray();
    }

    private async Task PutSubscriptionAsync(HttpClient client, string? callbackUrl, string? organisation = null)
    {
        using var response = await client.PutAsJsonAsync($"{Base(organisation: organisation)}/subscription", new { CallbackUrl = callbackUrl }, _ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(_ct));
    }

    private async Task<JsonElement> VerifyAsync(HttpClient client, string? callbackUrl)
    {
        using var response = await client.PostAsJsonAsync($"{Base()}/verify", new { CallbackUrl = callbackUrl }, _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await InternalEventsFixture.JsonAsync(response, _ct);
    }

    private async Task<JsonElement[]> ListAsync(HttpClient client)
        => (await PageAsync(client, "")).GetProperty("Items").EnumerateArray().ToArray();

    private async Task<JsonElement> PageAsync(HttpClient client, string query, string? organisation = null)
        => await client.GetFromJsonAsync<JsonElement>(Base(organisation: organisation) + query, _ct);

    /// <summary>The kind of a member, Null when left out (the Sandbox writes no null members).</summary>
    private static JsonValueKind Kind(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) ? value.ValueKind : JsonValueKind.Null;

    private static long[] Ids(JsonElement page) => page.GetProperty("Items").EnumerateArray().Select(i => i.GetProperty("Id").GetInt64()).ToArray();

    private Task<Guid> TenantIdAsync()
        => fixture.WithDbAsync(db => db.Tenants.Where(t => t.OrganisationId == _organisation).Select(t => t.Id).SingleAsync(_ct));

    private Task<long> InsertAsync(
        Guid tenantId, string clientId, EventDeliveryState state, string resourceId, DateTime createdAt, DateTime? acknowledgedAt,
        int attempts = 1, string? callbackUrl = null)
        => fixture.WithDbAsync(async db =>
        {
            var notification = new EventNotification
            {
                Jti = Guid.NewGuid().ToString(),
                TenantId = tenantId,
                ClientId = clientId,
                EventType = EventTypes.ResourceUpdate,
                ResourceType = "domestic-payment",
                ResourceId = resourceId,
                ResourceStatus = "AcceptedSettlementCompleted",
                Set = "e30.e30.sig",
                Kid = "kid",
                OccurredAt = createdAt,
                CreatedAt = createdAt,
                ExpiresAt = createdAt.AddDays(7),
                CallbackUrl = state == EventDeliveryState.PollingOnly ? null : callbackUrl ?? fixture.Receiver.BaseUrl + "/error",
                State = state,
                Attempts = state == EventDeliveryState.PollingOnly ? 0 : attempts,
                // A pending one waits a minute, so a running deliverer leaves it alone while the test reads it.
                NextAttemptAt = state == EventDeliveryState.Pending ? DateTime.UtcNow.AddMinutes(1) : null,
                AcknowledgedAt = acknowledgedAt,
            };
            db.EventNotifications.Add(notification);
            await db.SaveChangesAsync(_ct);
            return notification.Id;
        });

    private string? Reveal(string? stored) => fixture.Factory.Services.GetRequiredService<CallbackProtection>().Reveal(stored);
}
