using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace OpenBanking.Sandbox.FunctionalTests.FraudMonitoring;

/// <summary>The bank's fraud monitoring API (/internal/fraud): live feed, summary, review queue, review, model.</summary>
public sealed class FraudMonitoringTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private readonly PaymentsClient _payments = new(factory);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Internal() => _payments.Sandbox.Client(SandboxFactory.InternalToken());

    private async Task<string> PayAsync(string amount = "10.00", string creditorName = "Jane Smith", string organisationId = "org-a")
    {
        var (consentId, token, initiation, _) = await _payments.AuthorisedAsync(amount: amount, creditorName: creditorName, organisationId: organisationId);
        var (status, text, body) = await _payments.SubmitAsync(token, consentId, initiation);
        Assert.True(status == HttpStatusCode.Created, text);
        return body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;
    }

    [Fact]
    public async Task Feed_LongPoll_WaitsAndReturnsWhenAPaymentIsScored()
    {
        using var client = Internal();
        await PayAsync();
        var first = await client.GetFromJsonAsync<JsonElement>("/internal/fraud/feed?take=5", Ct);
        var cursor = first.GetProperty("Cursor").GetInt64();
        Assert.True(cursor > 0);
        Assert.InRange(first.GetProperty("Items").GetArrayLength(), 1, 5);

        var poll = client.GetFromJsonAsync<JsonElement>($"/internal/fraud/feed?after={cursor}&wait=30", Ct);
        Assert.False(poll.IsCompleted, "Nothing newer than the cursor: the feed waits.");
        var paymentId = await PayAsync("12.34");
        var answer = await poll.WaitAsync(TimeSpan.FromSeconds(25), Ct);

        var item = Assert.Single(answer.GetProperty("Items").EnumerateArray());
        Assert.Equal(paymentId, item.GetProperty("PaymentId").GetString());
        Assert.Equal("org-a", item.GetProperty("OrganisationId").GetString());
        Assert.Equal("12.34", item.GetProperty("Amount").GetString());
        Assert.Equal("Accept", item.GetProperty("Decision").GetString());
        Assert.Equal(item.GetProperty("Id").GetInt64(), answer.GetProperty("Cursor").GetInt64());
        Assert.True(item.GetProperty("Id").GetInt64() > cursor);
    }

    [Fact]
    public async Task Feed_WithNothingNewer_AnswersEmptyWithTheSameCursorAfterTheWait()
    {
        using var client = Internal();
        await PayAsync();
        var cursor = (await client.GetFromJsonAsync<JsonElement>("/internal/fraud/feed?take=1", Ct)).GetProperty("Cursor").GetInt64();

        var answer = await client.GetFromJsonAsync<JsonElement>($"/internal/fraud/feed?after={cursor}&wait=0", Ct);

        Assert.Equal(0, answer.GetProperty("Items").GetArrayLength());
        Assert.Equal(cursor, answer.GetProperty("Cursor").GetInt64());
    }

    [Theory]
    [InlineData("/internal/fraud/feed?after=-1", "after")]
    [InlineData("/internal/fraud/feed?take=0", "take")]
    [InlineData("/internal/fraud/feed?after=1&wait=31", "wait")]
    [InlineData("/internal/fraud/summary?minutes=0", "minutes")]
    [InlineData("/internal/fraud/held?take=1000", "take")]
    public async Task BadQuery_Returns400NamingTheParameter(string path, string field)
    {
        using var client = Internal();

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task FraudApi_WithoutTheInternalScope_IsRefused()
    {
        using var client = _payments.Sandbox.Client(PaymentsClient.PaymentToken());

        using var response = await client.GetAsync("/internal/fraud/held", Ct);

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized });
    }

    [Fact]
    public async Task HeldPayment_IsQueued_RejectNeedsANote_AndTheDecisionIsRecordedOnItsScreening()
    {
        using var client = Internal();
        var paymentId = await PayAsync("9.93");

        var held = await client.GetFromJsonAsync<JsonElement>("/internal/fraud/held", Ct);
        var queued = held.EnumerateArray().Single(i => i.GetProperty("PaymentId").GetString() == paymentId);
        Assert.Equal("Review", queued.GetProperty("Decision").GetString());
        Assert.True(queued.GetProperty("HeldForReview").GetBoolean());
        Assert.NotEmpty(queued.GetProperty("Reasons").EnumerateArray());

        // Every error at once: no decision, no reviewer, and a note that is too long.
        using var invalid = await client.PostAsJsonAsync($"/internal/fraud/payments/{paymentId}/review", new { note = new string('x', 501) }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("Release", out _));
        Assert.True(errors.TryGetProperty("Reviewer", out _));
        Assert.Contains("500", errors.GetProperty("Note")[0].GetString());

        using var noNote = await client.PostAsJsonAsync($"/internal/fraud/payments/{paymentId}/review", new { release = false, reviewer = "analyst@sandbox.bank" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        Assert.True((await noNote.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("Note", out _));
        Assert.Equal("Pending", await StatusAsync(paymentId));

        using var rejected = await client.PostAsJsonAsync($"/internal/fraud/payments/{paymentId}/review",
            new { release = false, reviewer = "analyst@sandbox.bank", note = "Payee reported as a mule account." }, Ct);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal("Rejected", (await rejected.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("Status").GetString());
        Assert.Equal("Rejected", await StatusAsync(paymentId));

        var screening = await _payments.WithDbAsync(db => db.PaymentScreenings.AsNoTracking().SingleAsync(s => s.PaymentId == paymentId, Ct));
        Assert.False(screening.ReviewReleased);
        Assert.Equal("analyst@sandbox.bank", screening.ReviewedBy);
        Assert.Equal("Payee reported as a mule account.", screening.ReviewNote);
        Assert.NotNull(screening.ReviewedAt);

        using var again = await client.PostAsJsonAsync($"/internal/fraud/payments/{paymentId}/review",
            new { release = true, reviewer = "analyst@sandbox.bank" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var after = await client.GetFromJsonAsync<JsonElement>("/internal/fraud/held", Ct);
        Assert.DoesNotContain(after.EnumerateArray(), i => i.GetProperty("PaymentId").GetString() == paymentId);
    }

    [Fact]
    public async Task Release_WithoutANote_IsAccepted_AndAnUnknownPaymentIs404()
    {
        using var client = Internal();
        var paymentId = await PayAsync(creditorName: "Review Payee Ltd");

        using var released = await client.PostAsJsonAsync($"/internal/fraud/payments/{paymentId}/review", new { release = true, reviewer = "analyst@sandbox.bank" }, Ct);
        using var unknown = await client.PostAsJsonAsync("/internal/fraud/payments/no-such-payment/review", new { release = true, reviewer = "analyst@sandbox.bank" }, Ct);

        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var screening = await _payments.WithDbAsync(db => db.PaymentScreenings.AsNoTracking().SingleAsync(s => s.PaymentId == paymentId, Ct));
        Assert.True(screening.ReviewReleased);
        Assert.Null(screening.ReviewNote);
    }

    [Fact]
    public async Task Summary_CountsEachPartnerSeparately()
    {
        using var client = Internal();
        var before = await SummaryOfAsync(client, "org-fraud-a");
        var otherBefore = await SummaryOfAsync(client, "org-fraud-b");
        await PayAsync(organisationId: "org-fraud-a");
        var held = await PayAsync("9.93", organisationId: "org-fraud-a");
        await PayAsync("9.92", organisationId: "org-fraud-a");
        await PayAsync(organisationId: "org-fraud-b");
        // A held payment a reviewer rejects stays counted once (as held), so held + rejected is the payments flagged.
        using var review = await client.PostAsJsonAsync($"/internal/fraud/payments/{held}/review",
            new { release = false, reviewer = "analyst@sandbox.bank", note = "Confirmed with the customer: a scam." }, Ct);
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);

        var a = await SummaryOfAsync(client, "org-fraud-a");
        var b = await SummaryOfAsync(client, "org-fraud-b");

        Assert.Equal((before.Scored + 3, before.Held + 1, before.Rejected + 1), (a.Scored, a.Held, a.Rejected));
        Assert.Equal((otherBefore.Scored + 1, otherBefore.Held, otherBefore.Rejected), (b.Scored, b.Held, b.Rejected));
    }

    [Fact]
    public async Task Model_SaysWhichModelScoresOrWhyTheRulesDecideAlone()
    {
        using var client = Internal();

        var model = await client.GetFromJsonAsync<JsonElement>("/internal/fraud/model", Ct);

        if (model.GetProperty("Loaded").GetBoolean())
        {
            Assert.False(string.IsNullOrEmpty(model.GetProperty("Version").GetString()));
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(model.GetProperty("FallbackReason").GetString()));
        }
    }

    private sealed record Counts(int Scored, int Held, int Rejected);

    private static async Task<Counts> SummaryOfAsync(HttpClient client, string organisationId)
    {
        var summary = await client.GetFromJsonAsync<JsonElement>("/internal/fraud/summary?minutes=60", Ct);
        foreach (var tenant in summary.GetProperty("Tenants").EnumerateArray())
        {
            if (tenant.GetProperty("OrganisationId").GetString() == organisationId)
            {
                var recent = tenant.GetProperty("Recent");
                return new Counts(recent.GetProperty("Scored").GetInt32(), recent.GetProperty("Held").GetInt32(), recent.GetProperty("Rejected").GetInt32());
            }
        }

        return new Counts(0, 0, 0);
    }

    private async Task<string> StatusAsync(string paymentId)
        => (await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/{paymentId}")).Body.GetProperty("Data").GetProperty("Status").GetString()!;
}
