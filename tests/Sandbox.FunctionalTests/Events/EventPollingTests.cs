using System.Net;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Sandbox.Events;
using OpenBanking.Sandbox.Signing;
using Microsoft.Extensions.DependencyInjection;

namespace OpenBanking.Sandbox.FunctionalTests.Events;

/// <summary>
/// Aggregated polling: acknowledgements first, then the app's oldest unacknowledged SETs up to maxEvents and the
/// ceiling; long polls woken by new notifications; never another app's rows. Notifications are made directly in the
/// database, so these tests hold whatever the dispatcher does.
/// </summary>
public sealed class EventPollingTests(EventsFixture fixture) : IClassFixture<EventsFixture>
{
    private readonly SandboxFactory _factory = fixture.Sandbox;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Poll_ReturnsOldestFirst_UpToMaxEvents_AndAcknowledgedOnesNeverAgain()
    {
        var (events, clientId, organisation, token) = App("order");
        var made = new List<EventNotification>();
        for (var i = 0; i < 3; i++)
        {
            made.Add(await EventsClient.NotifyAsync(_factory, clientId, organisation));
        }

        var (_, firstTwo) = await events.PollAsync(token, """{"maxEvents":2,"returnImmediately":true}""");
        var (_, again) = await events.PollAsync(token, """{"maxEvents":2,"returnImmediately":true}""");
        var (_, afterAck) = await events.PollAsync(token, $$$$"""{"maxEvents":2,"returnImmediately":true,"ack":["{{{{made[0].Jti}}}}","{{{{made[1].Jti}}}}"]}""");
        var (_, last) = await events.PollAsync(token, $$$$"""{"returnImmediately":true,"ack":["{{{{made[2].Jti}}}}"]}""");

        Assert.Equal([made[0].Jti, made[1].Jti], EventsClient.SetJtis(firstTwo));
        Assert.True(firstTwo.GetProperty("moreAvailable").GetBoolean());
        Assert.Equal(EventsClient.SetJtis(firstTwo), EventsClient.SetJtis(again));
        Assert.Equal([made[2].Jti], EventsClient.SetJtis(afterAck));
        Assert.False(afterAck.GetProperty("moreAvailable").GetBoolean());
        Assert.Empty(EventsClient.SetJtis(last));
        Assert.NotNull((await EventsClient.ReadAsync(_factory, made[0].Jti)).AcknowledgedAt);
    }

    [Fact]
    public async Task Poll_ReturnsTheSignedSetAsStored_VerifiableWithThePublishedKey()
    {
        var (events, clientId, organisation, token) = App("verify");
        var made = await EventsClient.NotifyAsync(_factory, clientId, organisation);

        var (_, polled) = await events.PollAsync(token, """{"returnImmediately":true}""");
        var set = polled.GetProperty("sets").GetProperty(made.Jti).GetString()!;
        using var client = _factory.CreateClient();
        var jwks = new JsonWebKeySet(await client.GetStringAsync(SigningApi.JwksPath, _ct));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(set, new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidateIssuer = false,
            ValidAudience = clientId,
            ValidateLifetime = false,
            ValidAlgorithms = [SecurityAlgorithms.RsaSsaPssSha256],
        });

        Assert.Equal(made.Set, set);
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(made.Jti, result.Claims["jti"]);
    }

    [Fact]
    public async Task SetErrs_AreRecorded_AndAcknowledge()
    {
        var (events, clientId, organisation, token) = App("seterrs");
        var refused = await EventsClient.NotifyAsync(_factory, clientId, organisation);
        var kept = await EventsClient.NotifyAsync(_factory, clientId, organisation);

        var (status, polled) = await events.PollAsync(token,
            $$$$"""{"returnImmediately":true,"setErrs":{"{{{{refused.Jti}}}}":{"err":"jwtIss","description":"Issuer not recognised."}}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([kept.Jti], EventsClient.SetJtis(polled));
        var row = await EventsClient.ReadAsync(_factory, refused.Jti);
        Assert.Equal(("jwtIss", "Issuer not recognised."), (row.SetError, row.SetErrorDescription));
        Assert.NotNull(row.AcknowledgedAt);
    }

    [Fact]
    public async Task MaxEventsZero_ReturnsNoSets_ButRecordsAcks_AndSaysMoreAreAvailable()
    {
        var (events, clientId, organisation, token) = App("zero");
        var acked = await EventsClient.NotifyAsync(_factory, clientId, organisation);
        await EventsClient.NotifyAsync(_factory, clientId, organisation);

        var (status, polled) = await events.PollAsync(token, $$$$"""{"maxEvents":0,"ack":["{{{{acked.Jti}}}}"]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(EventsClient.SetJtis(polled));
        Assert.True(polled.GetProperty("moreAvailable").GetBoolean());
        Assert.NotNull((await EventsClient.ReadAsync(_factory, acked.Jti)).AcknowledgedAt);
    }

    [Fact]
    public async Task WithoutMaxEvents_ThePollReturnsTheCeiling_AndAskingForMoreDoesNotPassIt()
    {
        var (events, clientId, organisation, token) = App("ceiling");
        for (var i = 0; i < EventsFixture.Ceiling + 2; i++)
        {
            await EventsClient.NotifyAsync(_factory, clientId, organisation);
        }

        var (_, unbounded) = await events.PollAsync(token, """{"returnImmediately":true}""");
        var (_, greedy) = await events.PollAsync(token, """{"maxEvents":10000000000000,"returnImmediately":true}""");

        Assert.Equal(EventsFixture.Ceiling, EventsClient.SetJtis(unbounded).Length);
        Assert.True(unbounded.GetProperty("moreAvailable").GetBoolean());
        Assert.Equal(EventsFixture.Ceiling, EventsClient.SetJtis(greedy).Length);
    }

    [Fact]
    public async Task ExpiredAndTestEvents_AreNotPolled()
    {
        var (events, clientId, organisation, token) = App("expired");
        var expired = await EventsClient.NotifyAsync(_factory, clientId, organisation, expiresIn: TimeSpan.FromSeconds(-1));
        var test = await EventsClient.NotifyAsync(_factory, clientId, organisation, isTest: true);
        var failed = await EventsClient.NotifyAsync(_factory, clientId, organisation, EventDeliveryState.Failed, "https://wallet.example/cb");
        var pending = await EventsClient.NotifyAsync(_factory, clientId, organisation, EventDeliveryState.Pending, "https://wallet.example/cb");

        var (_, polled) = await events.PollAsync(token, """{"returnImmediately":true}""");

        Assert.Equal([failed.Jti, pending.Jti], EventsClient.SetJtis(polled));
        Assert.DoesNotContain(expired.Jti, EventsClient.SetJtis(polled));
        Assert.DoesNotContain(test.Jti, EventsClient.SetJtis(polled));
    }

    [Theory]
    [InlineData("org-isolation-shared", "org-isolation-shared")]
    [InlineData("org-isolation-one", "org-isolation-two")]
    public async Task AnotherAppsSets_AreNeitherPolledNorAcknowledged(string organisation, string otherOrganisation)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var events = new EventsClient(_factory, "v4.0");
        var mine = await EventsClient.NotifyAsync(_factory, "wallet-mine-" + suffix, organisation);
        var theirs = await EventsClient.NotifyAsync(_factory, "wallet-theirs-" + suffix, otherOrganisation);
        var token = EventsClient.Token("wallet-mine-" + suffix, organisation);

        var (status, polled) = await events.PollAsync(token,
            $$$$"""{"returnImmediately":true,"ack":["{{{{theirs.Jti}}}}"],"setErrs":{"{{{{theirs.Jti}}}}":{"err":"jwtAud","description":"x"}}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([mine.Jti], EventsClient.SetJtis(polled));
        var untouched = await EventsClient.ReadAsync(_factory, theirs.Jti);
        Assert.Equal((null, null), (untouched.AcknowledgedAt, untouched.SetError));
        var (_, theirPoll) = await events.PollAsync(EventsClient.Token("wallet-theirs-" + suffix, otherOrganisation), """{"returnImmediately":true}""");
        Assert.Equal([theirs.Jti], EventsClient.SetJtis(theirPoll));
    }

    [Fact]
    public async Task SameClientIdInAnotherOrganisation_IsAnotherApp()
    {
        var clientId = "wallet-same-id-" + Guid.NewGuid().ToString("N")[..8];
        var events = new EventsClient(_factory);
        var mine = await EventsClient.NotifyAsync(_factory, clientId, "org-same-id-one");
        await EventsClient.NotifyAsync(_factory, clientId, "org-same-id-two");

        var (_, polled) = await events.PollAsync(EventsClient.Token(clientId, "org-same-id-one"), """{"returnImmediately":true}""");

        Assert.Equal([mine.Jti], EventsClient.SetJtis(polled));
    }

    [Theory]
    [InlineData("""{"returnImmediately":false}""")]
    [InlineData("""{}""")]
    public async Task LongPoll_ReturnsWhenANotificationArrives(string body)
    {
        var (events, clientId, organisation, token) = App("long");
        // The poll acknowledges this one first: once it is acknowledged, the poll has found nothing else and waits.
        var barrier = await EventsClient.NotifyAsync(_factory, clientId, organisation);
        var withAck = body.Replace("{", $$$$"""{"ack":["{{{{barrier.Jti}}}}"]""" + (body == "{}" ? "" : ","), StringComparison.Ordinal);

        var poll = events.PollAsync(token, withAck);
        while ((await EventsClient.ReadAsync(_factory, barrier.Jti)).AcknowledgedAt is null)
        {
            Assert.False(poll.IsCompleted, "The poll answered before it waited.");
            await Task.Delay(20, _ct);
        }

        var arrived = await EventsClient.NotifyAsync(_factory, clientId, organisation);
        // Bounded far below the fixture's 5-minute timeout and idle re-check: only the signal answers it in time.
        var (status, polled) = await poll.WaitAsync(TimeSpan.FromMinutes(1), _ct);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([arrived.Jti], EventsClient.SetJtis(polled));
    }

    [Fact]
    public async Task LongPoll_WithNothingArriving_ReturnsEmptyAfterItsTimeout()
    {
        using var factory = new SandboxFactory();
        factory.WithSetting("Events:LongPollTimeout", "00:00:00.300");
        var events = new EventsClient(factory);
        var token = EventsClient.Token("wallet-timeout", "org-events-timeout");

        var (status, polled) = await events.PollAsync(token, """{"returnImmediately":false,"maxEvents":3}""");
        var (absent, absentBody) = await events.PollAsync(token, "{}");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (status, absent));
        Assert.Empty(EventsClient.SetJtis(polled));
        Assert.False(polled.GetProperty("moreAvailable").GetBoolean());
        Assert.Empty(EventsClient.SetJtis(absentBody));
    }

    [Theory]
    [InlineData("v3.1", "UK.OBIE.Field.Invalid", "UK.OBIE.Field.Missing", "UK.OBIE.Field.Unexpected")]
    [InlineData("v4.0", "U002", "U004", "U005")]
    public async Task BadShapes_Return400NamingEveryProblem_AndAcknowledgeNothing(string version, string invalid, string missing, string unexpected)
    {
        var (events, clientId, organisation, token) = App("shapes", version);
        var made = await EventsClient.NotifyAsync(_factory, clientId, organisation);
        var longErr = new string('e', 41);
        var longDescription = new string('d', 257);

        var (status, errors) = await events.PollAsync(token, $$$$"""
            {"maxEvents":-1,"returnImmediately":"yes","ack":["{{{{made.Jti}}}}",""],"setErrs":{"a":{"err":"{{{{longErr}}}}","description":"{{{{longDescription}}}}"},"b":{"err":"x"},"c":"no"},"Data":{}}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var found = errors.GetProperty("Errors").EnumerateArray()
            .Select(e => (e.GetProperty("ErrorCode").GetString(), e.GetProperty("Path").GetString())).ToHashSet();
        Assert.Equal(
            new HashSet<(string?, string?)>
            {
                (unexpected, "Data"), (invalid, "maxEvents"), (invalid, "returnImmediately"), (invalid, "ack[1]"),
                (invalid, "setErrs.a.err"), (invalid, "setErrs.a.description"), (missing, "setErrs.b.description"), (invalid, "setErrs.c"),
            },
            found);
        Assert.Null((await EventsClient.ReadAsync(_factory, made.Jti)).AcknowledgedAt);
        var (notJson, _) = await events.PollAsync(token, "[1]");
        Assert.Equal(HttpStatusCode.BadRequest, notJson);
    }

    [Fact]
    public async Task Polling_TakesAClientCredentialsTokenOfAnyBankScope_NotACustomersToken()
    {
        var events = new EventsClient(_factory);

        var (accounts, _) = await events.PollAsync(EventsClient.Token("wallet-scopes", "org-events-scopes", "accounts"), """{"returnImmediately":true}""");
        var (funds, _) = await events.PollAsync(EventsClient.Token("wallet-scopes", "org-events-scopes", "fundsconfirmations"), """{"returnImmediately":true}""");
        var (customer, _) = await events.PollAsync(EventsClient.Token("wallet-scopes", "org-events-scopes", consentId: "aac-1"), """{"returnImmediately":true}""");
        var (none, _) = await events.PollAsync(EventsClient.Token("wallet-scopes", "org-events-scopes", "openid"), """{"returnImmediately":true}""");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (accounts, funds, customer, none));
    }

    private (EventsClient Events, string ClientId, string Organisation, string Token) App(string name, string version = "v3.1")
    {
        var clientId = $"wallet-{name}-{Guid.NewGuid():N}"[..40];
        var organisation = $"org-events-{name}";
        return (new EventsClient(_factory, version), clientId, organisation, EventsClient.Token(clientId, organisation));
    }
}
