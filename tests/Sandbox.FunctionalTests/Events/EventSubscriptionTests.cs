using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Events;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.FunctionalTests.Events;

/// <summary>One subscription per app: its validation, and what changing or deleting it does — only ever to the app's own rows.</summary>
public sealed class EventSubscriptionTests(EventsFixture fixture) : IClassFixture<EventsFixture>
{
    private readonly SandboxFactory _factory = fixture.Sandbox;

    [Theory]
    [InlineData("v3.1", "UK.OBIE.Field.Missing", "UK.OBIE.Field.Invalid", "UK.OBIE.Unsupported.EventType", "UK.OBIE.Field.Unexpected")]
    [InlineData("v4.0", "U004", "U002", "U024", "U005")]
    public async Task Create_WithEveryFieldWrong_Returns400NamingEveryField(string version, string missing, string invalid, string unsupported, string unexpected)
    {
        var events = new EventsClient(_factory, version);
        var token = EventsClient.Token($"wallet-invalid-{version}", "org-events-validation");

        var (noVersion, noVersionBody) = await events.SubscribeAsync(token, """{"Data":{"CallbackUrl":"https://wallet.example/cb"}}""");
        var (allWrong, allWrongBody) = await events.SubscribeAsync(token, """
            {"Data":{"CallbackUrl":"http://wallet.example/cb","Version":"3.1.11.12345","EventTypes":["urn:uk:org:openbanking:events:resource-update","urn:uk:org:openbanking:events:nope","urn:uk:org:openbanking:events:resource-update",7],"Colour":"red"},"Risk":{}}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, noVersion);
        Assert.Equal((missing, "Data.Version"), (EventsClient.ErrorCode(noVersionBody), EventsClient.ErrorPaths(noVersionBody).Single()));
        Assert.Equal(HttpStatusCode.BadRequest, allWrong);
        var errors = allWrongBody.GetProperty("Errors").EnumerateArray()
            .Select(e => (e.GetProperty("ErrorCode").GetString(), e.GetProperty("Path").GetString())).ToHashSet();
        Assert.Equal(
            new HashSet<(string?, string?)>
            {
                (unexpected, ".Risk"), (unexpected, "Data.Colour"), (invalid, "Data.Version"), (invalid, "Data.CallbackUrl"),
                (unsupported, "Data.EventTypes[1]"), (invalid, "Data.EventTypes[2]"), (invalid, "Data.EventTypes[3]"),
            },
            errors);
        var callbackMessage = allWrongBody.GetProperty("Errors").EnumerateArray().Single(e => e.GetProperty("Path").GetString() == "Data.CallbackUrl")
            .GetProperty("Message").GetString();
        Assert.Contains("https", callbackMessage, StringComparison.Ordinal);
        Assert.Empty((await events.PollAsync(token, """{"returnImmediately":true}""")).Body.GetProperty("sets").EnumerateObject());
        var (_, list, response) = await events.SendAsync(HttpMethod.Get, "/event-subscriptions", token);
        response.Dispose();
        Assert.Empty(list.GetProperty("Data").GetProperty("EventSubscription").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"Data":{"Version":"3.1","EventTypes":[]}}""", "Data.EventTypes")]
    [InlineData("""{"Data":{"Version":"3.1","EventTypes":"urn:uk:org:openbanking:events:resource-update"}}""", "Data.EventTypes")]
    [InlineData("""{"Data":{"Version":"12345678901"}}""", "Data.Version")]
    [InlineData("""{"Data":{"Version":"3.1","CallbackUrl":"https://wallet.example/cb?x=1"}}""", "Data.CallbackUrl")]
    [InlineData("""{"Data":{"Version":"3.1","CallbackUrl":"not a url"}}""", "Data.CallbackUrl")]
    [InlineData("""{"Data":{"Version":"3.1","EventSubscriptionId":"es-mine"}}""", "Data.EventSubscriptionId")]
    [InlineData("""{"Version":"3.1"}""", "Data")]
    public async Task Create_WithOneFieldWrong_Returns400NamingIt(string body, string path)
    {
        var events = new EventsClient(_factory);
        var token = EventsClient.Token("wallet-one-wrong", "org-events-validation");

        var (status, errors) = await events.SubscribeAsync(token, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(path, EventsClient.ErrorPaths(errors));
    }

    [Theory]
    [InlineData("3.1")]
    [InlineData("v3.1")]
    [InlineData("3.1.11")]
    [InlineData("4.0")]
    [InlineData("v4.0")]
    public async Task Create_AcceptsEveryVersionSpelling_AndPollingOnlyWithoutACallback(string version)
    {
        var events = new EventsClient(_factory);
        var token = EventsClient.Token($"wallet-version-{version}", "org-events-versions");

        var (status, created) = await events.SubscribeAsync(token, EventsClient.SubscriptionBody(callbackUrl: null, version: version));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(version, created.GetProperty("Data").GetProperty("Version").GetString());
        Assert.False(created.GetProperty("Data").TryGetProperty("CallbackUrl", out _));
    }

    [Fact]
    public async Task OneSubscriptionPerApp_AcrossVersions_ButEachAppHasItsOwn()
    {
        var v3 = new EventsClient(_factory);
        var v4 = new EventsClient(_factory, "v4.0");
        var token = EventsClient.Token("wallet-one-per-app", "org-events-per-app");
        var sibling = EventsClient.Token("wallet-one-per-app-sibling", "org-events-per-app");

        var (first, _) = await v3.SubscribeAsync(token, EventsClient.SubscriptionBody());
        var (second, conflict) = await v4.SubscribeAsync(token, EventsClient.SubscriptionBody(version: "4.0"));
        var (siblings, _) = await v4.SubscribeAsync(sibling, EventsClient.SubscriptionBody(version: "4.0"));
        var (_, readThroughV4, response) = await v4.SendAsync(HttpMethod.Get, "/event-subscriptions", token);
        response.Dispose();

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Conflict, HttpStatusCode.Created), (first, second, siblings));
        Assert.Equal("U029", EventsClient.ErrorCode(conflict));
        Assert.Equal("3.1", Assert.Single(readThroughV4.GetProperty("Data").GetProperty("EventSubscription").EnumerateArray()).GetProperty("Version").GetString());
    }

    [Fact]
    public async Task SimultaneousPosts_CreateOneSubscription_AndTheOthersAre409()
    {
        var events = new EventsClient(_factory);
        var token = EventsClient.Token("wallet-race-" + Guid.NewGuid().ToString("N")[..8], "org-events-race");

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => events.SubscribeAsync(token, EventsClient.SubscriptionBody())));

        Assert.Single(results, r => r.Status == HttpStatusCode.Created);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.Created), r =>
            Assert.Equal((HttpStatusCode.Conflict, "UK.OBIE.Rules.ResourceAlreadyExists"), (r.Status, EventsClient.ErrorCode(r.Body))));
    }

    [Fact]
    public async Task CustomerToken_IsRefused()
    {
        var events = new EventsClient(_factory);

        var (status, _) = await events.SubscribeAsync(EventsClient.Token("wallet-customer", "org-events-validation", consentId: "pdc-1"), EventsClient.SubscriptionBody());

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Theory]
    [InlineData("wallet-neighbour", "org-events-owner")]
    [InlineData("wallet-stranger", "org-events-stranger")]
    [InlineData("wallet-owner", "org-events-stranger")]
    public async Task PutAndDelete_OfAnotherAppsSubscription_Are400NotFound_AndChangeNothing(string otherClient, string otherOrganisation)
    {
        var events = new EventsClient(_factory);
        var ownerClient = "wallet-owner-" + Guid.NewGuid().ToString("N")[..8];
        var owner = EventsClient.Token(ownerClient, "org-events-owner");
        var other = EventsClient.Token(otherClient == "wallet-owner" ? ownerClient : otherClient + Guid.NewGuid().ToString("N")[..8], otherOrganisation);
        var (_, created) = await events.SubscribeAsync(owner, EventsClient.SubscriptionBody());
        var id = created.GetProperty("Data").GetProperty("EventSubscriptionId").GetString()!;
        var pending = await EventsClient.NotifyAsync(_factory, ownerClient, "org-events-owner", EventDeliveryState.Pending, "https://wallet.example/cb");

        var (put, putBody, putResponse) = await events.SendAsync(HttpMethod.Put, $"/event-subscriptions/{id}", other,
            $$$$"""{"Data":{"EventSubscriptionId":"{{{{id}}}}","Version":"3.1","CallbackUrl":"https://attacker.example/cb"}}""");
        putResponse.Dispose();
        var (delete, deleteBody, deleteResponse) = await events.SendAsync(HttpMethod.Delete, $"/event-subscriptions/{id}", other);
        deleteResponse.Dispose();

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (put, delete));
        Assert.Equal(("UK.OBIE.Resource.NotFound", "UK.OBIE.Resource.NotFound"), (EventsClient.ErrorCode(putBody), EventsClient.ErrorCode(deleteBody)));
        var (_, list, listResponse) = await events.SendAsync(HttpMethod.Get, "/event-subscriptions", owner);
        listResponse.Dispose();
        Assert.Equal("https://wallet.example/cb", Assert.Single(list.GetProperty("Data").GetProperty("EventSubscription").EnumerateArray()).GetProperty("CallbackUrl").GetString());
        var after = await EventsClient.ReadAsync(_factory, pending.Jti);
        Assert.Equal((EventDeliveryState.Pending, "https://wallet.example/cb"), (after.State, Reveal(after.CallbackUrl)));
    }

    [Fact]
    public async Task Put_WithAnotherIdInTheBody_Is400()
    {
        var events = new EventsClient(_factory);
        var token = EventsClient.Token("wallet-put-mismatch", "org-events-validation");
        var (_, created) = await events.SubscribeAsync(token, EventsClient.SubscriptionBody());
        var id = created.GetProperty("Data").GetProperty("EventSubscriptionId").GetString()!;

        var (status, errors, response) = await events.SendAsync(HttpMethod.Put, $"/event-subscriptions/{id}", token,
            """{"Data":{"EventSubscriptionId":"es-other","Version":"3.1"}}""");
        response.Dispose();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("UK.OBIE.Field.Invalid", "Data.EventSubscriptionId"), (EventsClient.ErrorCode(errors), EventsClient.ErrorPaths(errors).Single()));
    }

    [Fact]
    public async Task Put_ANewCallback_RepointsPendingPushes_AndNoCallback_LeavesThemToPolling()
    {
        var events = new EventsClient(_factory, "v4.0");
        var clientId = "wallet-repoint";
        const string organisation = "org-events-repoint";
        var token = EventsClient.Token(clientId, organisation);
        var (_, created) = await events.SubscribeAsync(token, EventsClient.SubscriptionBody(version: "4.0"));
        var id = created.GetProperty("Data").GetProperty("EventSubscriptionId").GetString()!;
        var pending = await EventsClient.NotifyAsync(_factory, clientId, organisation, EventDeliveryState.Pending, "https://wallet.example/cb");
        var delivered = await EventsClient.NotifyAsync(_factory, clientId, organisation, EventDeliveryState.Delivered, "https://wallet.example/cb");

        var (moved, _, movedResponse) = await events.SendAsync(HttpMethod.Put, $"/event-subscriptions/{id}", token,
            $$$$"""{"Data":{"EventSubscriptionId":"{{{{id}}}}","Version":"4.0","CallbackUrl":"https://wallet.example/new","EventTypes":["urn:uk:org:openbanking:events:consent-authorization-revoked"]}}""");
        movedResponse.Dispose();
        var repointed = await EventsClient.ReadAsync(_factory, pending.Jti);
        var untouched = await EventsClient.ReadAsync(_factory, delivered.Jti);
        var (pollingOnly, changed, pollingOnlyResponse) = await events.SendAsync(HttpMethod.Put, $"/event-subscriptions/{id}", token,
            $$$$"""{"Data":{"EventSubscriptionId":"{{{{id}}}}","Version":"4.0"}}""");
        pollingOnlyResponse.Dispose();
        var givenUp = await EventsClient.ReadAsync(_factory, pending.Jti);

        Assert.Equal(HttpStatusCode.OK, moved);
        Assert.Equal("https://wallet.example/new", Reveal(repointed.CallbackUrl));
        // Tried at once: still due now, or the deliverer (woken by the change) has already tried the new callback.
        Assert.True(repointed.NextAttemptAt <= _factory.Clock.GetUtcNow().UtcDateTime || await AttemptedAsync(repointed.Id, "https://wallet.example/new"),
            "A re-pointed push is tried at once.");
        Assert.Equal("https://wallet.example/cb", Reveal(untouched.CallbackUrl));
        Assert.Equal(HttpStatusCode.OK, pollingOnly);
        Assert.False(changed.GetProperty("Data").TryGetProperty("CallbackUrl", out _));
        Assert.Equal((EventDeliveryState.Failed, null), (givenUp.State, givenUp.NextAttemptAt));
        Assert.Contains("polling", givenUp.LastError, StringComparison.Ordinal);
        var (_, polled) = await events.PollAsync(token, """{"returnImmediately":true}""");
        Assert.Contains(pending.Jti, EventsClient.SetJtis(polled));
    }

    private async Task<bool> AttemptedAsync(long notificationId, string callbackUrl)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        // Stored encrypted: compared once read.
        var attempted = await db.EventDeliveryAttempts.Where(a => a.NotificationId == notificationId).Select(a => a.CallbackUrl).ToListAsync(TestContext.Current.CancellationToken);
        return attempted.Any(stored => Reveal(stored) == callbackUrl);
    }

    private string? Reveal(string? stored) => _factory.Services.GetRequiredService<CallbackProtection>().Reveal(stored);

    [Fact]
    public async Task Delete_LeavesPendingPushesToPolling_AndANewSubscriptionMayFollow()
    {
        var events = new EventsClient(_factory);
        var clientId = "wallet-delete";
        const string organisation = "org-events-delete";
        var token = EventsClient.Token(clientId, organisation);
        var (_, created) = await events.SubscribeAsync(token, EventsClient.SubscriptionBody());
        var id = created.GetProperty("Data").GetProperty("EventSubscriptionId").GetString()!;
        var pending = await EventsClient.NotifyAsync(_factory, clientId, organisation, EventDeliveryState.Pending, "https://wallet.example/cb");
        var neighbours = await EventsClient.NotifyAsync(_factory, "wallet-delete-neighbour", organisation, EventDeliveryState.Pending, "https://wallet.example/cb");

        var (deleted, _, response) = await events.SendAsync(HttpMethod.Delete, $"/event-subscriptions/{id}", token);
        response.Dispose();
        var after = await EventsClient.ReadAsync(_factory, pending.Jti);
        var (_, polled) = await events.PollAsync(token, """{"returnImmediately":true}""");
        var (again, _) = await events.SubscribeAsync(token, EventsClient.SubscriptionBody());

        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal((EventDeliveryState.Failed, null), (after.State, after.NextAttemptAt));
        Assert.Contains("deleted", after.LastError, StringComparison.Ordinal);
        Assert.Equal([pending.Jti], EventsClient.SetJtis(polled));
        Assert.Equal(EventDeliveryState.Pending, (await EventsClient.ReadAsync(_factory, neighbours.Jti)).State);
        Assert.Equal(HttpStatusCode.Created, again);
    }
}
