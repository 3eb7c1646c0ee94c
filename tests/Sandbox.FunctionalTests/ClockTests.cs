using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// The test clock per tenant: read, freeze, advance, set, never backwards, reset to real time; the bank's times and
/// settlement follow it; one partner's clock never moves another's.
/// </summary>
public sealed class ClockTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private readonly PaymentsClient _payments = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewOrganisation() => "org-clock-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Get_ANewTenant_RunsOnRealTime()
    {
        var organisation = NewOrganisation();

        var (status, clock) = await GetClockAsync(organisation);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(clock.GetProperty("Frozen").GetBoolean());
        Assert.InRange(Now(clock) - factory.Clock.GetUtcNow(), TimeSpan.FromSeconds(-5), TimeSpan.FromSeconds(5));
        Assert.EndsWith("Z", clock.GetProperty("Now").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Freeze_StopsTheClock_AndAdvanceMovesItExactly()
    {
        var organisation = NewOrganisation();
        var (_, frozen) = await MoveAsync(organisation, """{"Freeze": true}""");
        Assert.True(frozen.GetProperty("Frozen").GetBoolean());

        factory.Clock.Offset += TimeSpan.FromSeconds(30);
        var (_, still) = await GetClockAsync(organisation);
        Assert.Equal(Now(frozen), Now(still));

        var (status, advanced) = await MoveAsync(organisation, """{"Advance": "P1D"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Now(frozen).AddDays(1), Now(advanced));
        Assert.True(advanced.GetProperty("Frozen").GetBoolean());

        var (_, month) = await MoveAsync(organisation, """{"Advance": "P1M"}""");
        Assert.Equal(Now(frozen).AddDays(1).AddMonths(1), Now(month));
    }

    [Fact]
    public async Task Unfreeze_RunsOnFromWhereItStood()
    {
        var organisation = NewOrganisation();
        var (_, frozen) = await MoveAsync(organisation, """{"Freeze": true}""");
        await MoveAsync(organisation, """{"Advance": "PT1H"}""");

        var (_, running) = await MoveAsync(organisation, """{"Freeze": false}""");

        Assert.False(running.GetProperty("Frozen").GetBoolean());
        Assert.InRange(Now(running) - Now(frozen), TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
    }

    [Fact]
    public async Task Set_ToALaterTime_MovesThere_AndIntoThePast_IsRefusedWithNothingChanged()
    {
        var organisation = NewOrganisation();
        await MoveAsync(organisation, """{"Freeze": true}""");
        var target = new DateTimeOffset(2031, 3, 1, 9, 30, 0, TimeSpan.Zero);

        var (status, set) = await MoveAsync(organisation, $$"""{"Set": "{{target:yyyy-MM-dd'T'HH:mm:ss}}+00:00"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(target, Now(set));

        var (refused, problem) = await MoveAsync(organisation, """{"Set": "2030-01-01T00:00:00Z"}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("never moves backwards", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var (_, after) = await GetClockAsync(organisation);
        Assert.Equal(target, Now(after));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"Advance": "P1D", "Freeze": true}""")]
    [InlineData("""{"Advance": "one day"}""")]
    [InlineData("""{"Advance": "P"}""")]
    [InlineData("""{"Advance": "PT"}""")]
    [InlineData("""{"Advance": "P0D"}""")]
    [InlineData("""{"Advance": "P99999Y"}""")]
    [InlineData("""{"Set": "tomorrow"}""")]
    [InlineData("""{"Set": "2031-01-01"}""")]
    [InlineData("""{"Freeze": "yes"}""")]
    [InlineData("not json")]
    public async Task Move_WithBadInput_IsA400ProblemInPlainWords(string body)
    {
        var organisation = NewOrganisation();
        var (_, before) = await GetClockAsync(organisation);

        var (status, problem) = await MoveAsync(organisation, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(string.IsNullOrWhiteSpace(problem.TryGetProperty("detail", out var detail) ? detail.GetString() : problem.GetProperty("title").GetString()));
        var (_, after) = await GetClockAsync(organisation);
        Assert.Equal(before.GetProperty("Frozen").GetBoolean(), after.GetProperty("Frozen").GetBoolean());
        Assert.InRange(Now(after) - Now(before), TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task TheClockApi_TakesOnlyAnAppsClientCredentialsToken()
    {
        using var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(ClockApi.PublicPath, Ct)).StatusCode);

        var customer = SandboxFactory.ClientToken(organisationId: NewOrganisation(), scope: PlatformScopes.Payments, consentId: "pdc-x");
        using var asCustomer = _payments.Sandbox.Client(customer);
        Assert.Equal(HttpStatusCode.Forbidden, (await asCustomer.GetAsync(ClockApi.PublicPath, Ct)).StatusCode);

        using var asInternal = _payments.Sandbox.Client(SandboxFactory.InternalToken());
        Assert.Equal(HttpStatusCode.Forbidden, (await asInternal.GetAsync(ClockApi.PublicPath, Ct)).StatusCode);

        foreach (var scope in PlatformScopes.OpenBanking)
        {
            using var app = _payments.Sandbox.Client(SandboxFactory.ClientToken(organisationId: NewOrganisation(), scope: scope));
            Assert.Equal(HttpStatusCode.OK, (await app.GetAsync(ClockApi.PublicPath, Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task OnePartnersClock_NeverMovesAnothers()
    {
        var mine = NewOrganisation();
        var theirs = NewOrganisation();
        await GetClockAsync(theirs);

        await MoveAsync(mine, """{"Advance": "P30D"}""");

        var (_, other) = await GetClockAsync(theirs);
        Assert.False(other.GetProperty("Frozen").GetBoolean());
        Assert.InRange(Now(other) - factory.Clock.GetUtcNow(), TimeSpan.FromSeconds(-5), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Reset_ReturnsTheClockToRealTime()
    {
        var organisation = NewOrganisation();
        await MoveAsync(organisation, """{"Freeze": true}""");
        await MoveAsync(organisation, """{"Advance": "P1Y"}""");

        using var portal = _payments.Sandbox.Client(SandboxFactory.InternalToken());
        Assert.Equal(HttpStatusCode.NoContent, (await portal.PostAsync($"/internal/tenants/{organisation}/reset", null, Ct)).StatusCode);

        var (_, clock) = await GetClockAsync(organisation);
        Assert.False(clock.GetProperty("Frozen").GetBoolean());
        Assert.InRange(Now(clock) - factory.Clock.GetUtcNow(), TimeSpan.FromSeconds(-5), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task APayment_OnAnAdvancedClock_IsDatedByIt_AndSettlesOnlyAsTheClockMoves()
    {
        var organisation = NewOrganisation();
        await MoveAsync(organisation, """{"Freeze": true}""");
        var (_, moved) = await MoveAsync(organisation, """{"Advance": "P10D"}""");
        var tenantNow = Now(moved);
        var (consentId, token, initiation, accountId) = await _payments.AuthorisedAsync(organisationId: organisation, amount: "5.00");

        var (status, text, body) = await _payments.SubmitAsync(token, consentId, initiation);
        Assert.True(status == HttpStatusCode.Created, text);
        var data = body.GetProperty("Data");
        var paymentId = data.GetProperty("DomesticPaymentId").GetString()!;
        Assert.Equal(tenantNow, DateTimeOffset.Parse(data.GetProperty("CreationDateTime").GetString()!, CultureInfo.InvariantCulture));
        var (_, consent) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payment-consents/{consentId}", PaymentsClient.PaymentToken(organisationId: organisation));
        Assert.Equal(tenantNow, DateTimeOffset.Parse(consent.GetProperty("Data").GetProperty("StatusUpdateDateTime").GetString()!, CultureInfo.InvariantCulture));
        var booked = await _payments.WithDbAsync(db => db.Transactions.AsNoTracking().SingleAsync(t => t.TransactionId == paymentId, Ct));
        Assert.Equal(tenantNow, new DateTimeOffset(DateTime.SpecifyKind(booked.BookingDateTime, DateTimeKind.Utc)));

        // The clock is frozen: however much real time passes, the worker moves nothing of this tenant.
        await _payments.SettleAsync(TimeSpan.FromMinutes(3));
        Assert.Equal("Pending", await StatusAsync(organisation, paymentId));

        var (_, advanced) = await MoveAsync(organisation, """{"Advance": "PT1M"}""");
        Assert.True(advanced.GetProperty("Ran").GetInt32() >= 2, advanced.ToString());
        Assert.Equal("AcceptedSettlementCompleted", await StatusAsync(organisation, paymentId));
        var (_, settled) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/{paymentId}", PaymentsClient.PaymentToken(organisationId: organisation));
        var settledAt = DateTimeOffset.Parse(settled.GetProperty("Data").GetProperty("StatusUpdateDateTime").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(settledAt, tenantNow, tenantNow.AddMinutes(1));
        var check = await _payments.CheckLedgerAsync();
        Assert.True(check.Holds, string.Join("\n", check.Problems));
        Assert.True(await _payments.BalanceAsync(accountId) > 0);
    }

    [Fact]
    public async Task ARunningShiftedClock_SettlesByItsOwnTime()
    {
        var organisation = NewOrganisation();
        await MoveAsync(organisation, """{"Advance": "P2D"}""");
        var (consentId, token, initiation, _) = await _payments.AuthorisedAsync(organisationId: organisation, amount: "3.00");
        var (_, _, body) = await _payments.SubmitAsync(token, consentId, initiation);
        var paymentId = body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;

        await _payments.SettleAsync(TimeSpan.FromMinutes(1));
        await _payments.SettleAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("AcceptedSettlementCompleted", await StatusAsync(organisation, paymentId));
    }

    [Fact]
    public async Task Preview_ListsWhatFallsDueOnTheWay()
    {
        var organisation = NewOrganisation();
        await MoveAsync(organisation, """{"Freeze": true}""");
        var (consentId, token, initiation, _) = await _payments.AuthorisedAsync(organisationId: organisation, amount: "7.00");
        var (_, _, body) = await _payments.SubmitAsync(token, consentId, initiation);
        var paymentId = body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;

        using var portal = _payments.Sandbox.Client(SandboxFactory.InternalToken());
        var preview = await portal.GetFromJsonAsync<JsonElement>($"/internal/tenants/{organisation}/clock/preview?until=P1D", Ct);

        var events = preview.GetProperty("Events").EnumerateArray().ToList();
        var settlement = Assert.Single(events, e => e.GetProperty("ResourceId").GetString() == paymentId);
        Assert.Equal("Settlement", settlement.GetProperty("Kind").GetString());
        Assert.Contains("£7.00", settlement.GetProperty("Description").GetString(), StringComparison.Ordinal);
        using var bad = await portal.GetAsync($"/internal/tenants/{organisation}/clock/preview?until=soon", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task TheClockWorker_RunsWhatFallsDueOnARunningClock_AndNothingOnAFrozenOne()
    {
        var scheduled = new ScheduledPaymentsClient(factory);
        var running = NewOrganisation();
        var frozen = NewOrganisation();
        await MoveAsync(running, """{"Advance": "P3D"}""");
        await MoveAsync(frozen, """{"Freeze": true}""");
        var (_, due) = await scheduled.ScheduledAsync(Domain.ApiVersion.V3_1_11, running, TimeSpan.FromMinutes(1));
        var (_, held) = await scheduled.ScheduledAsync(Domain.ApiVersion.V3_1_11, frozen, TimeSpan.FromMinutes(1));
        var worker = factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<ClockWorker>().Single();

        await worker.RunOnceAsync(Ct);
        Assert.Equal("InitiationPending", await ScheduledStatusAsync(scheduled, running, due));

        // Two minutes of real time pass: the running clock passes the payment's time, the frozen one does not move.
        factory.Clock.Offset += TimeSpan.FromMinutes(2);
        await worker.RunOnceAsync(Ct);

        Assert.Equal("InitiationCompleted", await ScheduledStatusAsync(scheduled, running, due));
        Assert.Equal("InitiationPending", await ScheduledStatusAsync(scheduled, frozen, held));
    }

    private static async Task<string> ScheduledStatusAsync(ScheduledPaymentsClient scheduled, string organisation, string paymentId)
        => (await scheduled.PaymentAsync(Domain.ApiVersion.V3_1_11, organisation, paymentId)).GetProperty("Data").GetProperty("Status").GetString()!;

    private async Task<string> StatusAsync(string organisation, string paymentId)
    {
        var (_, payment) = await _payments.GetAsync($"{PaymentsClient.Pisp}/domestic-payments/{paymentId}", PaymentsClient.PaymentToken(organisationId: organisation));
        return payment.GetProperty("Data").GetProperty("Status").GetString()!;
    }

    private static DateTimeOffset Now(JsonElement clock) => DateTimeOffset.Parse(clock.GetProperty("Now").GetString()!, CultureInfo.InvariantCulture);

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetClockAsync(string organisation)
    {
        using var client = _payments.Sandbox.Client(SandboxFactory.ClientToken(organisationId: organisation, scope: PlatformScopes.Payments));
        using var response = await client.GetAsync(ClockApi.PublicPath, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> MoveAsync(string organisation, string json)
    {
        using var client = _payments.Sandbox.Client(SandboxFactory.ClientToken(organisationId: organisation, scope: PlatformScopes.Payments));
        using var response = await client.PostAsync(ClockApi.PublicPath, PaymentsClient.Json(json), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
