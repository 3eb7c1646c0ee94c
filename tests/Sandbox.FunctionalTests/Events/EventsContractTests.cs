using System.Net;
using System.Text.Json;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests.Events;

/// <summary>
/// Every Events API operation of v3.1.11 and v4.0 — subscriptions and aggregated polling, success and error — against
/// its version's events-openapi.yaml, with the requests sent validated against the request schemas.
/// </summary>
public sealed class EventsContractTests(EventsFixture fixture) : IClassFixture<EventsFixture>
{
    private readonly SandboxFactory _factory = fixture.Sandbox;

    [Theory]
    [InlineData("v3.1", "obie-v3.1.11/events-openapi.yaml")]
    [InlineData("v4.0", "obie-v4.0/events-openapi.yaml")]
    public async Task EverySubscriptionOperation_FollowsItsVersionsSpecification(string version, string yaml)
    {
        var spec = OpenApiContract.Load(yaml);
        var events = new EventsClient(_factory, version);
        var clientId = $"wallet-contract-{version}";
        var token = EventsClient.Token(clientId, "org-events-contract");
        var body = EventsClient.SubscriptionBody(version: version.TrimStart('v'), eventTypes: """["urn:uk:org:openbanking:events:resource-update"]""");
        Assert.Empty(spec.Validate("OBEventSubscription1", JsonDocument.Parse(body).RootElement));

        var interactionId = Guid.NewGuid().ToString();
        var (status, created, response) = await events.SendAsync(HttpMethod.Post, "/event-subscriptions", token, body, interactionId);
        using (response)
        {
            Assert.Equal(HttpStatusCode.Created, status);
            spec.AssertResponse("/event-subscriptions", "post", 201, created);
            Assert.Equal(interactionId, response.Headers.GetValues("x-fapi-interaction-id").Single());
            Assert.Equal(created.GetProperty("Links").GetProperty("Self").GetString(), response.Headers.Location!.ToString());
        }

        var id = created.GetProperty("Data").GetProperty("EventSubscriptionId").GetString()!;
        Assert.StartsWith("es-", id, StringComparison.Ordinal);
        Assert.Equal("https://wallet.example/cb", created.GetProperty("Data").GetProperty("CallbackUrl").GetString());
        Assert.EndsWith($"/open-banking/{version}/event-subscriptions/{id}", created.GetProperty("Links").GetProperty("Self").GetString(), StringComparison.Ordinal);

        var (listed, list, listResponse) = await events.SendAsync(HttpMethod.Get, "/event-subscriptions", token);
        listResponse.Dispose();
        Assert.Equal(HttpStatusCode.OK, listed);
        spec.AssertResponse("/event-subscriptions", "get", 200, list);
        Assert.Equal(id, Assert.Single(list.GetProperty("Data").GetProperty("EventSubscription").EnumerateArray()).GetProperty("EventSubscriptionId").GetString());

        // A second subscription for the same app: 409 with the specification's error.
        var (again, conflict) = await events.SubscribeAsync(token, body);
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Empty(spec.Validate("OBErrorResponse1", conflict));
        Assert.Equal(events.Code("UK.OBIE.Rules.ResourceAlreadyExists", "U029"), EventsClient.ErrorCode(conflict));

        // PUT takes the response's shape back, Links and Meta included; without EventTypes it subscribes to all.
        var change = $$$$"""{"Data":{"EventSubscriptionId":"{{{{id}}}}","CallbackUrl":"https://wallet.example/v2","Version":"{{{{version.TrimStart('v')}}}}"},"Links":{"Self":"https://x.example/"},"Meta":{}}""";
        Assert.Empty(spec.Validate("OBEventSubscriptionResponse1", JsonDocument.Parse(change).RootElement));
        var (changedStatus, changed, changedResponse) = await events.SendAsync(HttpMethod.Put, $"/event-subscriptions/{id}", token, change);
        changedResponse.Dispose();
        Assert.Equal(HttpStatusCode.OK, changedStatus);
        spec.AssertResponse("/event-subscriptions/{EventSubscriptionId}", "put", 200, changed);
        Assert.Equal("https://wallet.example/v2", changed.GetProperty("Data").GetProperty("CallbackUrl").GetString());
        Assert.False(changed.GetProperty("Data").TryGetProperty("EventTypes", out _));

        var (invalid, errors) = await events.SubscribeAsync(EventsClient.Token(clientId + "-other", "org-events-contract"), """{"Data":{"Version":"99.9"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        spec.AssertResponse("/event-subscriptions", "post", 400, errors);
        var (badPut, badPutBody, badPutResponse) = await events.SendAsync(HttpMethod.Put, "/event-subscriptions/es-nope", token,
            change.Replace(id, "es-nope", StringComparison.Ordinal));
        badPutResponse.Dispose();
        Assert.Equal(HttpStatusCode.BadRequest, badPut);
        spec.AssertResponse("/event-subscriptions/{EventSubscriptionId}", "put", 400, badPutBody);
        Assert.Equal(events.Code("UK.OBIE.Resource.NotFound", "U011"), EventsClient.ErrorCode(badPutBody));

        var (deleted, _, deleteResponse) = await events.SendAsync(HttpMethod.Delete, $"/event-subscriptions/{id}", token);
        using (deleteResponse)
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted);
            Assert.Empty(await deleteResponse.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
            Assert.True(deleteResponse.Headers.Contains("x-fapi-interaction-id"));
        }

        var (missing, missingBody, missingResponse) = await events.SendAsync(HttpMethod.Delete, $"/event-subscriptions/{id}", token);
        missingResponse.Dispose();
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        spec.AssertResponse("/event-subscriptions/{EventSubscriptionId}", "delete", 400, missingBody);
        var (_, empty, emptyResponse) = await events.SendAsync(HttpMethod.Get, "/event-subscriptions", token);
        emptyResponse.Dispose();
        spec.AssertResponse("/event-subscriptions", "get", 200, empty);
        Assert.Empty(empty.GetProperty("Data").GetProperty("EventSubscription").EnumerateArray());
    }

    [Theory]
    [InlineData("v3.1", "obie-v3.1.11/events-openapi.yaml")]
    [InlineData("v4.0", "obie-v4.0/events-openapi.yaml")]
    public async Task Polling_FollowsItsVersionsSpecification(string version, string yaml)
    {
        var spec = OpenApiContract.Load(yaml);
        var events = new EventsClient(_factory, version);
        var clientId = $"wallet-poll-contract-{version}";
        const string organisation = "org-events-contract";
        var token = EventsClient.Token(clientId, organisation, scope: "accounts");
        var first = await EventsClient.NotifyAsync(_factory, clientId, organisation);
        var second = await EventsClient.NotifyAsync(_factory, clientId, organisation);

        const string poll = """{"maxEvents":1,"returnImmediately":true}""";
        Assert.Empty(spec.Validate("OBEventPolling1", JsonDocument.Parse(poll).RootElement));
        var (status, body) = await events.PollAsync(token, poll);
        Assert.Equal(HttpStatusCode.OK, status);
        spec.AssertResponse("/events", "post", 200, body);
        Assert.Equal(first.Set, body.GetProperty("sets").GetProperty(first.Jti).GetString());
        Assert.True(body.GetProperty("moreAvailable").GetBoolean());

        var ackBody = $$$$"""{"maxEvents":10,"returnImmediately":true,"ack":["{{{{first.Jti}}}}"],"setErrs":{"{{{{second.Jti}}}}":{"err":"jwtAud","description":"Not for us."}}}""";
        Assert.Empty(spec.Validate("OBEventPolling1", JsonDocument.Parse(ackBody).RootElement));
        var (acked, ackAnswer) = await events.PollAsync(token, ackBody);
        Assert.Equal(HttpStatusCode.OK, acked);
        spec.AssertResponse("/events", "post", 200, ackAnswer);
        Assert.Empty(ackAnswer.GetProperty("sets").EnumerateObject());
        Assert.False(ackAnswer.GetProperty("moreAvailable").GetBoolean());

        var (bad, badBody) = await events.PollAsync(token, """{"maxEvents":-1}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        spec.AssertResponse("/events", "post", 400, badBody);
        Assert.Equal(events.Code("UK.OBIE.Field.Invalid", "U002"), EventsClient.ErrorCode(badBody));
    }
}
