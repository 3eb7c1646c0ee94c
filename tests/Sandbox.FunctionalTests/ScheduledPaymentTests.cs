using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.Scheduled;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// Domestic scheduled payments end to end on a real database: refusals with the versions' codes, idempotency,
/// execution exactly at the requested time on the tenant's clock (ledger balanced, AIS lists it until then),
/// insufficient funds, the customer's cancellation, the clock's preview and the tenant reset.
/// </summary>
public sealed class ScheduledPaymentTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ScheduledPaymentsClient _scheduled = new(factory);

    [Theory]
    [InlineData(ApiVersion.V3_1_11, "UK.OBIE.Field.InvalidDate")]
    [InlineData(ApiVersion.V4_0, "U003")]
    public async Task CreateConsent_DueNowOrEarlierOnTheTenantClock_Returns400InvalidDate(ApiVersion version, string code)
    {
        var organisation = ScheduledPaymentsClient.NewOrganisation();
        // The tenant's clock is a week ahead of real time: a time tomorrow in real time is in the bank's past.
        await _scheduled.MoveClockAsync(organisation, new { Advance = "P7D" });
        var tomorrow = DateTimeOffset.UtcNow.AddDays(1);
        var (status, text, body) = await _scheduled.CreateConsentAsync(version, organisation,
            ScheduledPaymentsClient.ConsentBody(version, ScheduledPaymentsClient.Initiation(version, tomorrow)));
        Assert.True(status == HttpStatusCode.BadRequest, text);
        Assert.Equal(code, ScheduledPaymentsClient.ErrorCode(body));
        Assert.Equal("Data.Initiation.RequestedExecutionDateTime", ScheduledPaymentsClient.ErrorPath(body));
    }

    [Theory]
    [InlineData(ApiVersion.V3_1_11, "", "UK.OBIE.Field.Missing", "Data.Permission")]
    [InlineData(ApiVersion.V3_1_11, "\"Permission\":\"Read\",", "UK.OBIE.Field.Invalid", "Data.Permission")]
    [InlineData(ApiVersion.V4_0, "", "U004", "Data.Permission")]
    [InlineData(ApiVersion.V4_0, "\"Permission\":\"Read\",", "U002", "Data.Permission")]
    public async Task CreateConsent_WithoutPermissionCreate_Returns400(ApiVersion version, string permission, string code, string path)
    {
        var organisation = ScheduledPaymentsClient.NewOrganisation();
        var initiation = ScheduledPaymentsClient.Initiation(version, DateTimeOffset.UtcNow.AddDays(2));
        var (status, text, body) = await _scheduled.CreateConsentAsync(version, organisation,
            ScheduledPaymentsClient.ConsentBody(version, initiation, permission: permission));
        Assert.True(status == HttpStatusCode.BadRequest, text);
        Assert.Equal(code, ScheduledPaymentsClient.ErrorCode(body));
        Assert.Equal(path, ScheduledPaymentsClient.ErrorPath(body));
    }

    [Theory]
    [InlineData(ApiVersion.V3_1_11, "UK.OBIE.Field.Missing")]
    [InlineData(ApiVersion.V4_0, "U004")]
    public async Task CreateConsent_WithoutRequestedExecutionDateTime_Returns400Missing(ApiVersion version, string code)
    {
        var organisation = ScheduledPaymentsClient.NewOrganisation();
        var initiation = version == ApiVersion.V4_0 ? V4PaymentsClient.Initiation() : PaymentsClient.Initiation();
        var (status, text, body) = await _scheduled.CreateConsentAsync(version, organisation, ScheduledPaymentsClient.ConsentBody(version, initiation));
        Assert.True(status == HttpStatusCode.BadRequest, text);
        Assert.Equal(code, ScheduledPaymentsClient.ErrorCode(body));
        Assert.Equal("Data.Initiation.RequestedExecutionDateTime", ScheduledPaymentsClient.ErrorPath(body));
    }

    [Theory]
    [InlineData(ApiVersion.V3_1_11, HttpStatusCode.BadRequest, "UK.OBIE.Header.Invalid")]
    [InlineData(ApiVersion.V4_0, HttpStatusCode.Conflict, "U029")]
    public async Task CreateConsent_IsIdempotentPerKeyAndVersion(ApiVersion version, HttpStatusCode conflict, string code)
    {
        var organisation = ScheduledPaymentsClient.NewOrganisation();
        var body = ScheduledPaymentsClient.ConsentBody(version, ScheduledPaymentsClient.Initiation(version, DateTimeOffset.UtcNow.AddDays(2)));
        var key = Guid.NewGuid().ToString("N");
        var (first, _, created) = await _scheduled.CreateConsentAsync(version, organisation, body, key);
        var (again, _, repeated) = await _scheduled.CreateConsentAsync(version, organisation, body, key);
        Assert.Equal(HttpStatusCode.Created, first);
        Assert.Equal(HttpStatusCode.Created, again);
        Assert.Equal(created.GetProperty("Data").GetProperty("ConsentId").GetString(), repeated.GetProperty("Data").GetProperty("ConsentId").GetString());

        var other = ScheduledPaymentsClient.ConsentBody(version, ScheduledPaymentsClient.Initiation(version, DateTimeOffset.UtcNow.AddDays(3)));
        var (status, _, error) = await _scheduled.CreateConsentAsync(version, organisation, other, key);
        Assert.Equal(conflict, status);
        Assert.Equal(code, ScheduledPaymentsClient.ErrorCode(error));

        // The same key in the other version is another request of another operation: a new consent.
        var otherVersion = version == ApiVersion.V4_0 ? ApiVersion.V3_1_11 : ApiVersion.V4_0;
        var (elsewhere, _, fresh) = await _scheduled.CreateConsentAsync(otherVersion, organisation,
            ScheduledPaymentsClient.ConsentBody(otherVersion, ScheduledPaymentsClient.Initiation(otherVersion, DateTimeOffset.UtcNow.AddDays(2))), key);
        Assert.Equal(HttpStatusCode.Created, elsewhere);
        Assert.NotEqual(created.GetProperty("Data").GetProperty("ConsentId").GetString(), fresh.GetProperty("Data").GetProperty("ConsentId").GetString());
    }

    [Theory]
    [InlineData(ApiVersion.V3_1_11)]
    [InlineData(ApiVersion.V4_0)]
    public async Task SubmitPayment_RepeatedWithItsKey_AnswersTheSamePayment_AndASecondPaymentIsRefused(ApiVersion version)
    {
        var organisation = ScheduledPaymentsClient.NewOrganisation();
        var consent = await _scheduled.AuthorisedAsync(version, organisation);
        var key = Guid.NewGuid().ToString("N");
        var (first, firstText, made) = await _scheduled.SubmitAsync(consent, key);
        var (again, _, repeated) = await _scheduled.SubmitAsync(consent, key);
        Assert.True(first == HttpStatusCode.Created, firstText);
        Assert.Equal(HttpStatusCode.Created, again);
        var paymentId = made.GetProperty("Data").GetProperty("DomesticScheduledPaymentId").GetString();
        Assert.StartsWith("sdp-", paymentId);
        Assert.Equal(paymentId, repeated.GetProperty("Data").GetProperty("DomesticScheduledPaymentId").GetString());

        var (second, _, refused) = await _scheduled.SubmitAsync(consent);
        Assert.Equal(HttpStatusCode.BadRequest, second);
        Assert.Equal(version == ApiVersion.V4_0 ? "U009" : "UK.OBIE.Resource.InvalidConsentStatus", ScheduledPaymentsClient.ErrorCode(refused));
        Assert.Equal(1, await _scheduled.Payments.WithDbAsync(db => db.DomesticScheduledPayments.CountAsync(p => p.ConsentId == consent.ConsentId, Ct)));
    }

    [Fact]
    public async Task ConcurrentSubmissions_UnderOneConsent_MakeExactlyOnePayment()
    {
        var organisation = ScheduledPaymentsClient.NewOrganisation();
        var consent = await _scheduled.AuthorisedAsync(ApiVersion.V4_0, organisation);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _scheduled.SubmitAsync(consent)));
        Assert.Single(results, r => r.Status == HttpStatusCode.Created);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.Created), r => Assert.Equal("U009", ScheduledPaymentsClient.ErrorCode(r.Body)));
        Assert.Equal(1, await _scheduled.Payments.WithDbAsync(db => db.DomesticScheduledPayments.CountAsync(p => p.ConsentId == consent.ConsentId, Ct)));
        Assert.Equal(1, await _scheduled.Payments.WithDbAsync(db => db.ScheduledPayments.CountAsync(s => s.AccountId == consent.AccountId && s.Id.StartsWith("sdp-"), Ct)));
    }

    [Theory]
    [InlineData(ApiVersion.V3_1_11, "UK.OBIE.Resource.ConsentMismatch")]
    [InlineData(ApiVersion.V4_0, "U008")]
    public async Task SubmitPayment_ThatDiffersFromTheConsent_Returns400ConsentMismatch(ApiVersion version, string code)
    {
        var organisation = ScheduledPaymentsClient.NewOrganisation();
        var consent = await _scheduled.AuthorisedAsync(version, organisation);
        var later = ScheduledPaymentsClient.Initiation(version, consent.When.AddDays(1));
        var (status, _, body) = await _scheduled.SubmitAsync(consent, initiation: later);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, ScheduledPaymentsClient.ErrorCode(body));
        Assert.Equal("Data.Initiation.RequestedExecutionDateTime", ScheduledPaymentsClient.ErrorPath(body));

        // Through the other version, the consent is not this payment's.
        var other = consent with { Version = version == ApiVersion.V4_0 ? ApiVersion.V3_1_11 : ApiVersion.V4_0 };
        var (crossed, _, crossedBody) = await _scheduled.SubmitAsync(other);
        Assert.Equal(HttpStatusCode.BadRequest, crossed);
        Assert.Equal("Data.ConsentId", ScheduledPaymentsClient.ErrorPath(crossedBody));
    }

    [Theory]
    [InlineData(ApiVersion.V3_1_11, "UK.OBIE.Field.InvalidDate")]
    [InlineData(ApiVersion.V4_0, "U003")]
    public async Task SubmitPayment_AfterItsTimeHasPassed_Returns400AndTheConsentStaysUnused(ApiVersion version, string code)
    {
        var organisation = ScheduledPaymentsClient.NewOrganisation();
        var consent = await _scheduled.AuthorisedAsync(version, organisation, after: TimeSpan.FromHours(1));
        await _scheduled.MoveClockAsync(organisation, new { Advance = "PT2H" });
        var (status, _, body) = await _scheduled.SubmitAsync(consent);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, ScheduledPaymentsClient.ErrorCode(body));
    }

    [Theory]
    [InlineData(ApiVersion.V3_1_11)]
    [InlineData(ApiVersion.V4_0)]
    public async Task AdvancingTheClock_ExecutesThePaymentExactlyAtItsTime_AndAisShowsItUntilThen(ApiVersion version)
    {
        var organisation = ScheduledPaymentsClient.NewOrganisation();
        await _scheduled.MoveClockAsync(organisation, new { Freeze = true });
        var (consent, paymentId) = await _scheduled.ScheduledAsync(version, organisation, TimeSpan.FromDays(3), amount: "25.00");
        var before = await _scheduled.Payments.BalanceAsync(consent.AccountId);
        var (_, _, ais) = await _scheduled.Payments.Sandbox.AuthorisedAsync("ReadAccountsDetail ReadScheduledPaymentsDetail", organisationId: organisation);
        var listed = await ListedAsync(ais, consent.AccountId);
        var entry = Assert.Single(listed, s => s.GetProperty("ScheduledPaymentId").GetString() == paymentId);
        Assert.Equal("25.00", entry.GetProperty("InstructedAmount").GetProperty("Amount").GetString());

        var preview = await PreviewAsync(organisation, "P7D");
        Assert.Contains(preview, e => e.GetProperty("ResourceId").GetString() == paymentId
            && e.GetProperty("Description").GetString() == "£25.00 to Landlord Ltd (scheduled payment)");

        await _scheduled.SetClockAsync(organisation, consent.When.AddSeconds(-1));
        Assert.Equal(ScheduledPaymentStatus.InitiationPending, await StatusAsync(paymentId));
        Assert.Equal(before, await _scheduled.Payments.BalanceAsync(consent.AccountId));

        var moved = await _scheduled.SetClockAsync(organisation, consent.When);
        Assert.True(moved.GetProperty("Ran").GetInt32() >= 1);
        Assert.Equal(ScheduledPaymentStatus.InitiationCompleted, await StatusAsync(paymentId));
        var execution = await _scheduled.Payments.WithDbAsync(db => db.DomesticPayments.AsNoTracking().SingleAsync(p => p.OrderId == paymentId, Ct));
        Assert.Equal(PaymentKind.Scheduled, execution.Kind);
        Assert.Equal(consent.When.UtcDateTime, execution.CreationDateTime);
        Assert.True(execution.Debited);
        Assert.Equal(before - 2500, await _scheduled.Payments.BalanceAsync(consent.AccountId));
        Assert.True((await _scheduled.Payments.CheckLedgerAsync()).Holds);
        Assert.DoesNotContain(await ListedAsync(ais, consent.AccountId), s => s.GetProperty("ScheduledPaymentId").GetString() == paymentId);
        var payment = await _scheduled.PaymentAsync(version, organisation, paymentId);
        Assert.Equal(version == ApiVersion.V4_0 ? "ACSP" : "InitiationCompleted", payment.GetProperty("Data").GetProperty("Status").GetString());

        // Settlement carries the execution on like any payment; moving on never runs it twice.
        await _scheduled.MoveClockAsync(organisation, new { Advance = "P1D" });
        await _scheduled.Payments.SettleAsync();
        Assert.Equal(1, await _scheduled.Payments.WithDbAsync(db => db.DomesticPayments.CountAsync(p => p.OrderId == paymentId, Ct)));
        Assert.Equal(before - 2500, await _scheduled.Payments.BalanceAsync(consent.AccountId));
        Assert.True((await _scheduled.Payments.CheckLedgerAsync()).Holds);
    }

    [Fact]
    public async Task AdvancingAYear_ExecutesEveryScheduledPaymentAtItsOwnTime_InOrder()
    {
        var organisation = ScheduledPaymentsClient.NewOrganisation();
        await _scheduled.MoveClockAsync(organisation, new { Freeze = true });
        var made = new List<(ScheduledPaymentsClient.Authorised Consent, string PaymentId)>();
        for (var month = 1; month <= 12; month++)
        {
            made.Add(await _scheduled.ScheduledAsync(month % 2 == 0 ? ApiVersion.V4_0 : ApiVersion.V3_1_11, organisation,
                TimeSpan.FromDays(30 * month) + TimeSpan.FromMinutes(month), amount: $"{month}.00"));
        }

        var accountId = made[0].Consent.AccountId;
        var before = await _scheduled.Payments.BalanceAsync(accountId);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var moved = await _scheduled.MoveClockAsync(organisation, new { Advance = "P1Y" });
        TestContext.Current.SendDiagnosticMessage($"Advanced a year over 12 scheduled payments in {started.ElapsedMilliseconds} ms");

        Assert.True(moved.GetProperty("Ran").GetInt32() >= 12);
        var ids = made.Select(m => m.PaymentId).ToList();
        var executions = await _scheduled.Payments.WithDbAsync(db => db.DomesticPayments.AsNoTracking()
            .Where(p => p.OrderId != null && ids.Contains(p.OrderId)).ToListAsync(Ct));
        Assert.Equal(12, executions.Count);
        Assert.All(made, m => Assert.Equal(m.Consent.When.UtcDateTime, executions.Single(e => e.OrderId == m.PaymentId).CreationDateTime));
        // Executed in the order their times came: their first status rows were written in that order.
        var executionIds = executions.Select(e => e.Id).ToList();
        var written = await _scheduled.Payments.WithDbAsync(db => db.PaymentStatusChanges.AsNoTracking()
            .Where(c => executionIds.Contains(c.PaymentId)).OrderBy(c => c.Id).Select(c => c.PaymentId).ToListAsync(Ct));
        Assert.Equal(made.Select(m => executions.Single(e => e.OrderId == m.PaymentId).Id), written.Distinct());
        Assert.Equal(before - (78 * 100), await _scheduled.Payments.BalanceAsync(accountId));
        Assert.True((await _scheduled.Payments.CheckLedgerAsync()).Holds);
    }

    [Theory]
    [InlineData(ApiVersion.V3_1_11, "InitiationFailed")]
    [InlineData(ApiVersion.V4_0, "RJCT")]
    public async Task Execution_WithoutTheFunds_FailsAndPostsNothing(ApiVersion version, string status)
    {
        var organisation = ScheduledPaymentsClient.NewOrganisation();
        await _scheduled.MoveClockAsync(organisation, new { Freeze = true });
        var (consent, paymentId) = await _scheduled.ScheduledAsync(version, organisation, TimeSpan.FromDays(1), amount: "9999999.00");
        var before = await _scheduled.Payments.BalanceAsync(consent.AccountId);

        await _scheduled.SetClockAsync(organisation, consent.When.AddHours(1));
        Assert.Equal(ScheduledPaymentStatus.InitiationFailed, await StatusAsync(paymentId));
        var execution = await _scheduled.Payments.WithDbAsync(db => db.DomesticPayments.AsNoTracking().SingleAsync(p => p.OrderId == paymentId, Ct));
        Assert.Equal(PaymentStatus.Rejected, execution.Status);
        Assert.Equal(PaymentStatusReasons.InsufficientFunds, execution.StatusReason);
        Assert.Equal(0, await _scheduled.Payments.WithDbAsync(db => db.LedgerEntries.CountAsync(e => e.PaymentId == execution.Id, Ct)));
        Assert.Equal(before, await _scheduled.Payments.BalanceAsync(consent.AccountId));
        var payment = await _scheduled.PaymentAsync(version, organisation, paymentId);
        Assert.Equal(status, payment.GetProperty("Data").GetProperty("Status").GetString());
        if (version == ApiVersion.V4_0)
        {
            Assert.Equal("AM04", payment.GetProperty("Data").GetProperty("StatusReason")[0].GetProperty("StatusReasonCode").GetString());
        }
    }

    [Theory]
    [InlineData(ApiVersion.V3_1_11)]
    [InlineData(ApiVersion.V4_0)]
    public async Task TheCustomerCancels_APendingScheduledPayment_FromTheDashboard_AndNothingIsPosted(ApiVersion version)
    {
        var organisation = ScheduledPaymentsClient.NewOrganisation();
        await _scheduled.MoveClockAsync(organisation, new { Freeze = true });
        var (consent, paymentId) = await _scheduled.ScheduledAsync(version, organisation, TimeSpan.FromDays(2));
        var before = await _scheduled.Payments.BalanceAsync(consent.AccountId);
        var shown = Assert.Single(await _scheduled.DashboardAsync(organisation), c => c.GetProperty("ConsentId").GetString() == consent.ConsentId);
        Assert.Equal("DomesticScheduledPayment", shown.GetProperty("Kind").GetString());
        Assert.Equal($"£25.00 to Landlord Ltd on {TimeZoneInfo.ConvertTime(consent.When, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)}", shown.GetProperty("Terms")[0].GetString());

        Assert.Equal(HttpStatusCode.OK, await _scheduled.RevokeAsync(organisation, consent.ConsentId));
        Assert.Equal(ScheduledPaymentStatus.Cancelled, await StatusAsync(paymentId));
        Assert.DoesNotContain(await _scheduled.DashboardAsync(organisation), c => c.GetProperty("ConsentId").GetString() == consent.ConsentId);
        Assert.False(await _scheduled.Payments.WithDbAsync(db => db.ScheduledPayments.AnyAsync(s => s.Id == paymentId, Ct)));

        await _scheduled.SetClockAsync(organisation, consent.When.AddDays(1));
        Assert.Equal(ScheduledPaymentStatus.Cancelled, await StatusAsync(paymentId));
        Assert.False(await _scheduled.Payments.WithDbAsync(db => db.DomesticPayments.AnyAsync(p => p.OrderId == paymentId, Ct)));
        Assert.Equal(before, await _scheduled.Payments.BalanceAsync(consent.AccountId));
        Assert.Equal(HttpStatusCode.Conflict, await _scheduled.RevokeAsync(organisation, consent.ConsentId));
        var payment = await _scheduled.PaymentAsync(version, organisation, paymentId);
        Assert.Equal(version == ApiVersion.V4_0 ? "RJCT" : "Cancelled", payment.GetProperty("Data").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task TheCustomerRevokes_AnAuthorisedConsentBeforeItsPayment_ItIsRejected()
    {
        var organisation = ScheduledPaymentsClient.NewOrganisation();
        var consent = await _scheduled.AuthorisedAsync(ApiVersion.V3_1_11, organisation);
        Assert.Contains(await _scheduled.DashboardAsync(organisation), c => c.GetProperty("ConsentId").GetString() == consent.ConsentId);
        Assert.Equal(HttpStatusCode.OK, await _scheduled.RevokeAsync(organisation, consent.ConsentId));
        var (status, _, body) = await _scheduled.SubmitAsync(consent);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("UK.OBIE.Resource.InvalidConsentStatus", ScheduledPaymentsClient.ErrorCode(body));
    }

    [Fact]
    public async Task TenantReset_DeletesScheduledConsentsAndPayments()
    {
        var organisation = ScheduledPaymentsClient.NewOrganisation();
        var (consent, paymentId) = await _scheduled.ScheduledAsync(ApiVersion.V4_0, organisation);
        using var client = _scheduled.Payments.Sandbox.Client(SandboxFactory.InternalToken());
        using var response = await client.PostAsync($"/internal/tenants/{organisation}/reset", null, Ct);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(await _scheduled.Payments.WithDbAsync(db => db.DomesticScheduledPayments.AnyAsync(p => p.Id == paymentId, Ct)));
        Assert.False(await _scheduled.Payments.WithDbAsync(db => db.DomesticScheduledPaymentConsents.AnyAsync(c => c.Id == consent.ConsentId, Ct)));
        Assert.False(await _scheduled.Payments.WithDbAsync(db => db.IdempotencyRecords.AnyAsync(r => r.ResourceId == paymentId || r.ResourceId == consent.ConsentId, Ct)));
        Assert.False(await _scheduled.Payments.WithDbAsync(db => db.ScheduledPayments.AnyAsync(s => s.Id == paymentId, Ct)));
    }

    [Fact]
    public async Task TheClocksQuestion_IsOneIndexSeek()
    {
        var plan = await _scheduled.Payments.WithDbAsync(async db =>
        {
            var sql = ScheduledPaymentExecution.Due(db, Guid.NewGuid(), DateTime.UtcNow).Select(p => p.RequestedExecutionDateTime).ToQueryString();
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            // The parameters ToQueryString declares are replaced by literals of their types: the plan is the same.
            command.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', sql.Split('\n').Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
            foreach (var name in new[] { "@tenantId", "@until" })
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = "x";
                command.Parameters.Add(parameter);
            }

            await using var reader = await command.ExecuteReaderAsync(Ct);
            var steps = new List<string>();
            while (await reader.ReadAsync(Ct))
            {
                steps.Add(reader.GetString(3));
            }

            return steps;
        });
        var step = Assert.Single(plan);
        Assert.Contains("IX_DomesticScheduledPayments_TenantId_Status_RequestedExecutionDateTime", step);
        Assert.StartsWith("SEARCH", step);
    }

    private Task<ScheduledPaymentStatus> StatusAsync(string paymentId)
        => _scheduled.Payments.WithDbAsync(db => db.DomesticScheduledPayments.AsNoTracking().Where(p => p.Id == paymentId).Select(p => p.Status).SingleAsync(Ct));

    private async Task<JsonElement[]> ListedAsync(string aisToken, string accountId)
    {
        var (status, body) = await _scheduled.Payments.Sandbox.GetAsync(aisToken, $"{SandboxClient.Aisp}/accounts/{accountId}/scheduled-payments");
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. body.GetProperty("Data").GetProperty("ScheduledPayment").EnumerateArray()];
    }

    private async Task<JsonElement[]> PreviewAsync(string organisation, string until)
    {
        using var client = _scheduled.Payments.Sandbox.Client(SandboxFactory.InternalToken());
        var preview = await client.GetFromJsonAsync<JsonElement>($"/internal/tenants/{organisation}/clock/preview?until={until}", Ct);
        return [.. preview.GetProperty("Events").EnumerateArray()];
    }
}
