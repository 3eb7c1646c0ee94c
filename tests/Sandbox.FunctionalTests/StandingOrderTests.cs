using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.StandingOrders;
using OpenBanking.TestKit;
using static OpenBanking.Sandbox.FunctionalTests.StandingOrdersClient;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// Domestic standing orders through v3.1.11 and v4.0 on a real SQLite bank whose clock the tests move: every operation
/// against its version's schemas, refusals with the spec's codes, idempotency per version, instalments on the clock as
/// ledger postings in date order, the customer's cancellation, AIS showing the order, and the ledger after a year.
/// </summary>
public sealed class StandingOrderTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private static readonly OpenApiContract V3Pis = OpenApiContract.Load("obie-v3.1.11/payment-initiation-openapi.yaml");
    private static readonly OpenApiContract V4Pis = OpenApiContract.Load("obie-v4.0/payment-initiation-openapi.yaml");
    private static readonly OpenApiContract V3Ais = OpenApiContract.Load("obie-v3.1.11/account-info-openapi.yaml");
    private static readonly OpenApiContract V4Ais = OpenApiContract.Load("obie-v4.0/account-info-openapi.yaml");

    private readonly PaymentsClient _payments = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private StandingOrdersClient NewTenant() => new(_payments, "org-so-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task V3_EveryOperation_FollowsTheSpecification_AndAisShowsTheOrder()
    {
        var so = NewTenant();
        var now = await so.FreezeAsync();
        // The first payment on a working day (a weekend's or holiday's moves to the next one) at least four days before its
        // month's last day, the recurring payments' day: whatever day the test runs, exactly one payment falls in the window.
        var days = FirstWorkingDayAhead(now);
        var initiation = V3Initiation("IntrvlMnthDay:01:-01", now.AddDays(days), "\"NumberOfPayments\":\"3\"", amount: "10.00",
            extra: "\"RecurringPaymentAmount\":{\"Amount\":\"25.00\",\"Currency\":\"GBP\"},\"FinalPaymentAmount\":{\"Amount\":\"5.00\",\"Currency\":\"GBP\"}");
        var body = ConsentBody(initiation, "\"ReadRefundAccount\":\"Yes\",\"Authorisation\":{\"AuthorisationType\":\"Single\"},");
        Assert.Empty(V3Pis.Validate("OBWriteDomesticStandingOrderConsent5", JsonDocument.Parse(body).RootElement));

        var (status, text, consent) = await so.CreateConsentAsync(V3, body);
        Assert.True(status == HttpStatusCode.Created, text);
        V3Pis.AssertResponse("/domestic-standing-order-consents", "post", 201, consent);
        Assert.Equal("AwaitingAuthorisation", consent.GetProperty("Data").GetProperty("Status").GetString());
        Assert.Equal("Create", consent.GetProperty("Data").GetProperty("Permission").GetString());
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        Assert.StartsWith("soc-", consentId, StringComparison.Ordinal);

        var accountId = await so.AccountIdAsync();
        Assert.Equal(HttpStatusCode.OK, await _payments.AuthoriseAsync(consentId, "alice", accountId, so.Organisation));
        var (_, read) = await so.GetAsync($"{V3}/domestic-standing-order-consents/{consentId}");
        V3Pis.AssertResponse("/domestic-standing-order-consents/{ConsentId}", "get", 200, read);
        Assert.Equal("Authorised", read.GetProperty("Data").GetProperty("Status").GetString());

        Assert.Empty(V3Pis.Validate("OBWriteDomesticStandingOrder3", JsonDocument.Parse(PaymentsClient.PaymentBody(consentId, initiation, Risk)).RootElement));
        var (made, madeText, order) = await so.SubmitAsync(V3, consentId, initiation);
        Assert.True(made == HttpStatusCode.Created, madeText);
        V3Pis.AssertResponse("/domestic-standing-orders", "post", 201, order);
        Assert.Equal("InitiationCompleted", order.GetProperty("Data").GetProperty("Status").GetString());
        var orderId = order.GetProperty("Data").GetProperty("DomesticStandingOrderId").GetString()!;

        // A day and an hour past the first payment, so that it has settled.
        await so.MoveAsync($$"""{"Advance": "P{{days + 1}}DT1H"}""");
        var (_, got) = await so.GetAsync($"{V3}/domestic-standing-orders/{orderId}");
        V3Pis.AssertResponse("/domestic-standing-orders/{DomesticStandingOrderId}", "get", 200, got);
        var (_, details) = await so.GetAsync($"{V3}/domestic-standing-orders/{orderId}/payment-details");
        V3Pis.AssertResponse("/domestic-standing-orders/{DomesticStandingOrderId}/payment-details", "get", 200, details);
        var step = Assert.Single(details.GetProperty("Data").GetProperty("PaymentStatus").EnumerateArray());
        Assert.Equal("AcceptedSettlementCompleted", step.GetProperty("Status").GetString());
        var (_, consumed) = await so.GetAsync($"{V3}/domestic-standing-order-consents/{consentId}");
        Assert.Equal("Consumed", consumed.GetProperty("Data").GetProperty("Status").GetString());

        var (_, _, aisToken) = await _payments.Sandbox.AuthorisedAsync("ReadAccountsDetail ReadStandingOrdersDetail", organisationId: so.Organisation);
        foreach (var (template, path) in new[] { ("/standing-orders", "/standing-orders"), ("/accounts/{AccountId}/standing-orders", $"/accounts/{accountId}/standing-orders") })
        {
            var (aisStatus, ais) = await _payments.Sandbox.GetAsync(aisToken, SandboxClient.Aisp + path);
            Assert.Equal(HttpStatusCode.OK, aisStatus);
            V3Ais.AssertResponse(template, "get", 200, ais);
            var shown = ais.GetProperty("Data").GetProperty("StandingOrder").EnumerateArray().Single(s => s.GetProperty("StandingOrderId").GetString() == orderId);
            Assert.Equal("Active", shown.GetProperty("StandingOrderStatusCode").GetString());
            Assert.Equal("IntrvlMnthDay:01:-01", shown.GetProperty("Frequency").GetString());
            Assert.Equal("10.00", shown.GetProperty("LastPaymentAmount").GetProperty("Amount").GetString());
            Assert.Equal("25.00", shown.GetProperty("NextPaymentAmount").GetProperty("Amount").GetString());
            Assert.Equal("5.00", shown.GetProperty("FinalPaymentAmount").GetProperty("Amount").GetString());
            Assert.True(shown.TryGetProperty("NextPaymentDateTime", out _));
            Assert.True(shown.TryGetProperty("LastPaymentDateTime", out _));
            Assert.True(shown.TryGetProperty("FinalPaymentDateTime", out _));
        }
    }

    [Fact]
    public async Task V4_EveryOperation_FollowsTheSpecification_AndAisShowsTheOrder()
    {
        var so = NewTenant();
        var now = await so.FreezeAsync();
        var initiation = V4Initiation("{\"Type\":\"WEEK\",\"PointInTime\":\"05\"}", now.AddDays(1), now.AddDays(60),
            extra: "\"RecurringPaymentAmount\":{\"Amount\":\"25.00\",\"Currency\":\"GBP\"}");
        var body = ConsentBody(initiation, "\"ReadRefundAccount\":\"No\",");
        Assert.Empty(V4Pis.Validate("OBWriteDomesticStandingOrderConsent5", JsonDocument.Parse(body).RootElement));

        var (status, text, consent) = await so.CreateConsentAsync(V4, body);
        Assert.True(status == HttpStatusCode.Created, text);
        V4Pis.AssertResponse("/domestic-standing-order-consents", "post", 201, consent);
        Assert.Equal("AWAU", consent.GetProperty("Data").GetProperty("Status").GetString());
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;

        var accountId = await so.AccountIdAsync();
        Assert.Equal(HttpStatusCode.OK, await _payments.AuthoriseAsync(consentId, "alice", accountId, so.Organisation));
        var (_, read) = await so.GetAsync($"{V4}/domestic-standing-order-consents/{consentId}");
        V4Pis.AssertResponse("/domestic-standing-order-consents/{ConsentId}", "get", 200, read);
        Assert.Equal("AUTH", read.GetProperty("Data").GetProperty("Status").GetString());

        Assert.Empty(V4Pis.Validate("OBWriteDomesticStandingOrder3", JsonDocument.Parse(PaymentsClient.PaymentBody(consentId, initiation, Risk)).RootElement));
        var (made, madeText, order) = await so.SubmitAsync(V4, consentId, initiation);
        Assert.True(made == HttpStatusCode.Created, madeText);
        V4Pis.AssertResponse("/domestic-standing-orders", "post", 201, order);
        Assert.Equal("RCVD", order.GetProperty("Data").GetProperty("Status").GetString());
        var orderId = order.GetProperty("Data").GetProperty("DomesticStandingOrderId").GetString()!;

        // An hour past the fifteenth day: on a Thursday the third Friday payment falls exactly fifteen days ahead, and
        // it must have time to settle before the statuses are read.
        await so.MoveAsync("""{"Advance": "P15DT1H"}""");
        var (_, got) = await so.GetAsync($"{V4}/domestic-standing-orders/{orderId}");
        V4Pis.AssertResponse("/domestic-standing-orders/{DomesticStandingOrderId}", "get", 200, got);
        var (_, details) = await so.GetAsync($"{V4}/domestic-standing-orders/{orderId}/payment-details");
        V4Pis.AssertResponse("/domestic-standing-orders/{DomesticStandingOrderId}/payment-details", "get", 200, details);
        Assert.True(details.GetProperty("Data").GetArrayLength() >= 2);
        Assert.All(details.GetProperty("Data").EnumerateArray(), d => Assert.Equal("ACSC", d.GetProperty("PaymentStatus").GetProperty("Status").GetString()));
        var (_, consumed) = await so.GetAsync($"{V4}/domestic-standing-order-consents/{consentId}");
        Assert.Equal("COND", consumed.GetProperty("Data").GetProperty("Status").GetString());

        var (_, _, aisToken) = await _payments.Sandbox.AuthorisedAsync("ReadAccountsDetail ReadStandingOrdersDetail", organisationId: so.Organisation, aisp: SandboxClient.AispV4);
        foreach (var (template, path) in new[] { ("/standing-orders", "/standing-orders"), ("/accounts/{AccountId}/standing-orders", $"/accounts/{accountId}/standing-orders") })
        {
            var (aisStatus, ais) = await _payments.Sandbox.GetAsync(aisToken, SandboxClient.AispV4 + path);
            Assert.Equal(HttpStatusCode.OK, aisStatus);
            V4Ais.AssertResponse(template, "get", 200, ais);
            var shown = ais.GetProperty("Data").GetProperty("StandingOrder").EnumerateArray().Single(s => s.GetProperty("StandingOrderId").GetString() == orderId);
            Assert.Equal("Active", shown.GetProperty("StandingOrderStatusCode").GetString());
            Assert.Equal("WEEK", shown.GetProperty("MandateRelatedInformation").GetProperty("Frequency").GetProperty("Type").GetString());
            Assert.Equal("25.00", shown.GetProperty("LastPaymentAmount").GetProperty("Amount").GetString());
            Assert.True(shown.GetProperty("MandateRelatedInformation").TryGetProperty("FinalPaymentDateTime", out _));
        }
    }

    [Fact]
    public async Task V3_Refusals_NameEveryFieldWithItsCode()
    {
        var so = NewTenant();
        var now = await so.FreezeAsync();
        var initiation = "{\"Frequency\":\"IntrvlMnthDay:07:01\",\"NumberOfPayments\":\"0\",\"FinalPaymentDateTime\":\"" + Time(now.AddDays(30)) + "\","
            + $"\"FirstPaymentDateTime\":\"{Time(now.AddDays(-2))}\",\"FirstPaymentAmount\":{{\"Amount\":\"10.00\",\"Currency\":\"GBP\"}},"
            + "\"RecurringPaymentAmount\":{\"Amount\":\"10.00\",\"Currency\":\"EUR\"}," + Creditor() + "}";
        var (status, text, body) = await so.CreateConsentAsync(V3, "{\"Data\":{\"Initiation\":" + initiation + "},\"Risk\":{}}");

        Assert.True(status == HttpStatusCode.BadRequest, text);
        V3Pis.AssertResponse("/domestic-standing-order-consents", "post", 400, body);
        var errors = Errors(body);
        Assert.Contains(("UK.OBIE.Field.Missing", "Data.Permission"), errors);
        Assert.Contains(("UK.OBIE.Unsupported.Frequency", "Data.Initiation.Frequency"), errors);
        Assert.Contains(("UK.OBIE.Field.Invalid", "Data.Initiation.NumberOfPayments"), errors);
        Assert.Contains(("UK.OBIE.Field.InvalidDate", "Data.Initiation.FirstPaymentDateTime"), errors);
        Assert.Contains(("UK.OBIE.Field.Invalid", "Data.Initiation.RecurringPaymentAmount.Currency"), errors);
    }

    [Fact]
    public async Task V4_Refusals_UseTheV4Codes()
    {
        var so = NewTenant();
        var now = await so.FreezeAsync();
        var (status, text, body) = await so.CreateConsentAsync(V4, ConsentBody(V4Initiation("{\"Type\":\"INDA\"}", now.AddDays(1), null)));
        Assert.True(status == HttpStatusCode.BadRequest, text);
        V4Pis.AssertResponse("/domestic-standing-order-consents", "post", 400, body);
        Assert.Contains(("U025", "Data.Initiation.MandateRelatedInformation.Frequency.Type"), Errors(body));

        (status, text, body) = await so.CreateConsentAsync(V4, ConsentBody(V4Initiation("{\"Type\":\"MNTH\",\"PointInTime\":\"32\"}", now.AddDays(1), now)));
        Assert.True(status == HttpStatusCode.BadRequest, text);
        Assert.Contains(("U002", "Data.Initiation.MandateRelatedInformation.Frequency.PointInTime"), Errors(body));
        Assert.Contains(("U003", "Data.Initiation.MandateRelatedInformation.FinalPaymentDateTime"), Errors(body));

        var noMandate = "{\"FirstPaymentAmount\":{\"Amount\":\"10.00\",\"Currency\":\"GBP\"}," + Creditor() + ",\"NumberOfPayments\":\"3\"}";
        (status, text, body) = await so.CreateConsentAsync(V4, ConsentBody(noMandate));
        Assert.True(status == HttpStatusCode.BadRequest, text);
        Assert.Contains(("U004", "Data.Initiation.MandateRelatedInformation"), Errors(body));
        Assert.Contains(("U005", "Data.Initiation.NumberOfPayments"), Errors(body));

        // The published schema also requires FirstPaymentDateTime on the Initiation (an erratum): accepted there too, if it agrees.
        var onInitiation = "{\"FirstPaymentDateTime\":\"" + Time(now.AddDays(1)) + "\",\"FirstPaymentAmount\":{\"Amount\":\"10.00\",\"Currency\":\"GBP\"},"
            + Creditor() + ",\"MandateRelatedInformation\":{\"Frequency\":{\"Type\":\"DAIL\"}}}";
        (status, text, _) = await so.CreateConsentAsync(V4, ConsentBody(onInitiation));
        Assert.True(status == HttpStatusCode.Created, text);
        var twice = V4Initiation("{\"Type\":\"DAIL\"}", now.AddDays(1), null, extra: $"\"FirstPaymentDateTime\":\"{Time(now.AddDays(2))}\"");
        (status, text, body) = await so.CreateConsentAsync(V4, ConsentBody(twice));
        Assert.True(status == HttpStatusCode.BadRequest, text);
        Assert.Contains(("U002", "Data.Initiation.FirstPaymentDateTime"), Errors(body));
    }

    [Fact]
    public async Task TheOrder_MustMatchItsConsent_BeOneForTheConsent_AndStayInItsVersion()
    {
        var so = NewTenant();
        var now = await so.FreezeAsync();
        var initiation = V3Initiation("EvryDay", now.AddDays(1), "\"NumberOfPayments\":\"2\"");
        var (_, _, consent) = await so.CreateConsentAsync(V3, ConsentBody(initiation));
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;

        var (early, _, earlyBody) = await so.SubmitAsync(V3, consentId, initiation);
        Assert.Equal(HttpStatusCode.BadRequest, early);
        Assert.Contains(("UK.OBIE.Resource.InvalidConsentStatus", "Data.ConsentId"), Errors(earlyBody));

        Assert.Equal(HttpStatusCode.OK, await _payments.AuthoriseAsync(consentId, "alice", await so.AccountIdAsync(), so.Organisation));
        var (otherVersion, _, otherBody) = await so.SubmitAsync(V4, consentId, initiation);
        Assert.Equal(HttpStatusCode.BadRequest, otherVersion);
        V4Pis.AssertResponse("/domestic-standing-orders", "post", 400, otherBody);
        Assert.Equal("U008", Errors(otherBody)[0].Code);
        var (readOther, readBody) = await so.GetAsync($"{V4}/domestic-standing-order-consents/{consentId}");
        Assert.Equal(HttpStatusCode.BadRequest, readOther);
        Assert.Equal("U011", Errors(readBody)[0].Code);

        var (changed, _, changedBody) = await so.SubmitAsync(V3, consentId, initiation.Replace("\"10.00\"", "\"11.00\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, changed);
        V3Pis.AssertResponse("/domestic-standing-orders", "post", 400, changedBody);
        Assert.Contains(("UK.OBIE.Resource.ConsentMismatch", "Data.Initiation.FirstPaymentAmount.Amount"), Errors(changedBody));

        var (clientToken, _, _) = await so.SubmitAsync(V3, consentId, initiation, token: so.Token());
        Assert.Equal(HttpStatusCode.Forbidden, clientToken);

        var (made, _, _) = await so.SubmitAsync(V3, consentId, initiation);
        Assert.Equal(HttpStatusCode.Created, made);
        var (again, _, againBody) = await so.SubmitAsync(V3, consentId, initiation);
        Assert.Equal(HttpStatusCode.BadRequest, again);
        Assert.Contains(("UK.OBIE.Resource.InvalidConsentStatus", "Data.ConsentId"), Errors(againBody));
        Assert.Equal(1, await _payments.WithDbAsync(db => db.DomesticStandingOrders.CountAsync(o => o.ConsentId == consentId, Ct)));
    }

    [Theory]
    [InlineData(V3, HttpStatusCode.BadRequest)]
    [InlineData(V4, HttpStatusCode.Conflict)]
    public async Task EveryPost_IsIdempotent_PerVersion(string pisp, HttpStatusCode otherBody)
    {
        var so = NewTenant();
        var now = await so.FreezeAsync();
        var initiation = pisp == V3 ? V3Initiation("EvryDay", now.AddDays(1), "\"NumberOfPayments\":\"2\"") : V4Initiation("{\"Type\":\"DAIL\"}", now.AddDays(1), now.AddDays(2));
        var key = Guid.NewGuid().ToString("N");

        var (_, _, first) = await so.CreateConsentAsync(pisp, ConsentBody(initiation), key);
        var (repeatStatus, _, repeat) = await so.CreateConsentAsync(pisp, ConsentBody(initiation), key);
        var consentId = first.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        Assert.Equal(HttpStatusCode.Created, repeatStatus);
        Assert.Equal(consentId, repeat.GetProperty("Data").GetProperty("ConsentId").GetString());
        var (different, _, _) = await so.CreateConsentAsync(pisp, ConsentBody(initiation.Replace("\"10.00\"", "\"12.00\"", StringComparison.Ordinal)), key);
        Assert.Equal(HttpStatusCode.BadRequest, different);
        // The same key in the other version is another operation: a consent of its own.
        var other = pisp == V3 ? V4 : V3;
        var otherInitiation = other == V3 ? V3Initiation("EvryDay", now.AddDays(1), "\"NumberOfPayments\":\"2\"") : V4Initiation("{\"Type\":\"DAIL\"}", now.AddDays(1), now.AddDays(2));
        var (otherStatus, _, otherConsent) = await so.CreateConsentAsync(other, ConsentBody(otherInitiation), key);
        Assert.Equal(HttpStatusCode.Created, otherStatus);
        Assert.NotEqual(consentId, otherConsent.GetProperty("Data").GetProperty("ConsentId").GetString());

        Assert.Equal(HttpStatusCode.OK, await _payments.AuthoriseAsync(consentId, "alice", await so.AccountIdAsync(), so.Organisation));
        var orderKey = Guid.NewGuid().ToString("N");
        var (_, _, order) = await so.SubmitAsync(pisp, consentId, initiation, orderKey);
        var (orderRepeat, _, sameOrder) = await so.SubmitAsync(pisp, consentId, initiation, orderKey);
        Assert.Equal(HttpStatusCode.Created, orderRepeat);
        Assert.Equal(order.GetProperty("Data").GetProperty("DomesticStandingOrderId").GetString(), sameOrder.GetProperty("Data").GetProperty("DomesticStandingOrderId").GetString());
        var (orderDifferent, _, _) = await so.SubmitAsync(pisp, consentId, initiation, orderKey, risk: "{\"PaymentContextCode\":\"TransferToSelf\"}");
        Assert.Equal(otherBody, orderDifferent);
    }

    [Fact]
    public async Task ConcurrentSubmissions_MakeOneOrder_OthersAreAnsweredWithItOrRefused()
    {
        var so = NewTenant();
        var now = await so.FreezeAsync();
        var initiation = V3Initiation("EvryDay", now.AddDays(1), "\"NumberOfPayments\":\"2\"");
        var (_, _, consent) = await so.CreateConsentAsync(V3, ConsentBody(initiation));
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await _payments.AuthoriseAsync(consentId, "alice", await so.AccountIdAsync(), so.Organisation));
        var key = Guid.NewGuid().ToString("N");

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => so.SubmitAsync(V3, consentId, initiation, i % 2 == 0 ? key : null)));

        var made = results.Where(r => r.Status == HttpStatusCode.Created).Select(r => r.Body.GetProperty("Data").GetProperty("DomesticStandingOrderId").GetString()).Distinct().ToList();
        Assert.Single(made);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.Created), r =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.Status);
            Assert.Equal("UK.OBIE.Resource.InvalidConsentStatus", Errors(r.Body)[0].Code);
        });
        Assert.Equal(1, await _payments.WithDbAsync(db => db.DomesticStandingOrders.CountAsync(o => o.ConsentId == consentId, Ct)));
    }

    [Fact]
    public async Task AMonthOfADailyOrder_AdvancedAtOnce_IsThirtyPostingsInDateOrder()
    {
        var so = NewTenant();
        var now = await so.FreezeAsync();
        var (_, orderId, accountId) = await so.MakeAsync(V3, V3Initiation("EvryDay", now.AddDays(1), "\"NumberOfPayments\":\"30\""));
        var before = await _payments.BalanceAsync(accountId);

        var end = await so.MoveAsync("""{"Advance": "P31D"}""");

        // Running the work again at the same time does nothing; a finished order is never due again.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var work = scope.ServiceProvider.GetRequiredService<StandingOrderExecution>();
            var tenantId = await scope.ServiceProvider.GetRequiredService<SandboxDbContext>().Tenants
                .Where(t => t.OrganisationId == so.Organisation).Select(t => t.Id).SingleAsync(Ct);
            Assert.Equal(0, await work.RunDueAsync(tenantId, end, Ct));
            Assert.Null(await work.NextDueAsync(tenantId, end.AddYears(1), Ct));
        }

        var payments = await _payments.WithDbAsync(db => db.DomesticPayments.AsNoTracking()
            .Where(p => p.OrderId == orderId && p.Kind == PaymentKind.StandingOrder).OrderBy(p => p.Id).ToListAsync(Ct));
        Assert.Equal(30, payments.Count);
        Assert.All(payments, p => Assert.Equal(PaymentStatus.AcceptedSettlementCompleted, p.Status));
        var days = payments.Select(p => p.CreationDateTime.Date).ToList();
        Assert.Equal(Enumerable.Range(1, 30).Select(d => now.UtcDateTime.Date.AddDays(d)), days);
        var postings = await _payments.WithDbAsync(db => db.LedgerEntries.AsNoTracking()
            .Where(e => e.PaymentId != null && e.PaymentId.StartsWith("dp-") && e.LedgerAccount == accountId).OrderBy(e => e.Id).Select(e => new { e.PaymentId, PostedAt = e.CreatedAt }).ToListAsync(Ct));
        Assert.Equal(payments.Select(p => p.Id), postings.Select(p => p.PaymentId));
        Assert.Equal(postings.Select(p => p.PostedAt).Order(), postings.Select(p => p.PostedAt));
        Assert.Equal(before - 30 * 1000, await _payments.BalanceAsync(accountId));
        var (_, order) = await so.GetAsync($"{V3}/domestic-standing-orders/{orderId}");
        Assert.Equal("InitiationCompleted", order.GetProperty("Data").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task AnInstalmentTheAccountCannotCover_IsRejected_AndTheOrderGoesOn()
    {
        var so = NewTenant();
        var now = await so.FreezeAsync();
        var (_, orderId, _) = await so.MakeAsync(V3, V3Initiation("EvryDay", now.AddDays(1), "\"NumberOfPayments\":\"3\"", amount: "9.91"));

        await so.MoveAsync("""{"Advance": "P4D"}""");

        var payments = await _payments.WithDbAsync(db => db.DomesticPayments.AsNoTracking().Where(p => p.OrderId == orderId).ToListAsync(Ct));
        Assert.Equal(3, payments.Count);
        Assert.All(payments, p => Assert.Equal((PaymentStatus.Rejected, PaymentStatusReasons.InsufficientFunds), (p.Status, p.StatusReason)));
        var (_, details) = await so.GetAsync($"{V4.Replace("v4.0", "v3.1", StringComparison.Ordinal)}/domestic-standing-orders/{orderId}/payment-details");
        Assert.Equal(3, details.GetProperty("Data").GetProperty("PaymentStatus").GetArrayLength());
    }

    [Fact]
    public async Task TheCustomer_SeesALiveOrder_AndCancelsIt_NoFurtherPayments()
    {
        var so = NewTenant();
        var now = await so.FreezeAsync();
        var (consentId, orderId, accountId) = await so.MakeAsync(V4, V4Initiation("{\"Type\":\"DAIL\"}", now.AddDays(1), null, amount: "25.00"));
        await so.MoveAsync("""{"Advance": "P2D"}""");
        var customerId = await _payments.Sandbox.CustomerIdAsync("alice", so.Organisation);
        using var identity = _payments.Sandbox.Client(SandboxFactory.InternalToken());

        var listed = await identity.GetFromJsonAsync<JsonElement[]>($"/internal/tenants/{so.Organisation}/customers/{customerId}/consents", Ct);
        var summary = listed!.Single(c => c.GetProperty("ConsentId").GetString() == consentId);
        Assert.Equal("DomesticStandingOrder", summary.GetProperty("Kind").GetString());
        var terms = summary.GetProperty("Terms").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Equal("£25.00 every day", terms[0]);
        Assert.StartsWith("Until you cancel it, the first on ", terms[1], StringComparison.Ordinal);
        Assert.Contains(terms, t => t!.StartsWith("Next payment £25.00 on ", StringComparison.Ordinal));

        using var revoke = await identity.PostAsJsonAsync($"/internal/consents/{consentId}/revoke", new { customerId }, Ct);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var made = await _payments.WithDbAsync(db => db.DomesticPayments.CountAsync(p => p.OrderId == orderId, Ct));
        await so.MoveAsync("""{"Advance": "P5D"}""");

        Assert.Equal(made, await _payments.WithDbAsync(db => db.DomesticPayments.CountAsync(p => p.OrderId == orderId, Ct)));
        var (_, order) = await so.GetAsync($"{V4}/domestic-standing-orders/{orderId}");
        Assert.Equal("CANC", order.GetProperty("Data").GetProperty("Status").GetString());
        listed = await identity.GetFromJsonAsync<JsonElement[]>($"/internal/tenants/{so.Organisation}/customers/{customerId}/consents", Ct);
        Assert.DoesNotContain(listed!, c => c.GetProperty("ConsentId").GetString() == consentId);
        using var twice = await identity.PostAsJsonAsync($"/internal/consents/{consentId}/revoke", new { customerId }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);

        var (_, _, aisToken) = await _payments.Sandbox.AuthorisedAsync("ReadAccountsDetail ReadStandingOrdersBasic", organisationId: so.Organisation);
        var (_, ais) = await _payments.Sandbox.GetAsync(aisToken, $"{SandboxClient.Aisp}/accounts/{accountId}/standing-orders");
        var shown = ais.GetProperty("Data").GetProperty("StandingOrder").EnumerateArray().Single(s => s.GetProperty("StandingOrderId").GetString() == orderId);
        Assert.Equal("Inactive", shown.GetProperty("StandingOrderStatusCode").GetString());
        Assert.False(shown.TryGetProperty("NextPaymentDateTime", out _));
        V3Ais.AssertResponse("/accounts/{AccountId}/standing-orders", "get", 200, ais);
    }

    [Fact]
    public async Task AYearOfSeveralOrders_LeavesTheLedgerBalanced_AndTheClockPreviewListsThem()
    {
        var so = NewTenant();
        var now = await so.FreezeAsync();
        var bobId = (await _payments.AccountAsync("bob", organisationId: so.Organisation)).GetProperty("AccountId").GetString()!;
        var bob = await _payments.WithDbAsync(db => db.Accounts.AsNoTracking().SingleAsync(a => a.Id == bobId, Ct));
        var toBob = Creditor(bob.Name, bob.Identification, bob.SchemeName);
        var orders = new[]
        {
            (await so.MakeAsync(V3, V3Initiation("IntrvlMnthDay:01:01", now.AddDays(1), null, amount: "25.00"))).OrderId,
            (await so.MakeAsync(V3, V3Initiation("EvryWorkgDay", now.AddDays(1), "\"NumberOfPayments\":\"100\"", amount: "1.00", creditor: toBob))).OrderId,
            (await so.MakeAsync(V4, V4Initiation("{\"Type\":\"WEEK\"}", now.AddDays(1), null, amount: "5.00"))).OrderId,
            (await so.MakeAsync(V3, V3Initiation("QtrDay:ENGLISH", now.AddDays(1), null, amount: "9.95"))).OrderId,
        };

        using var portal = _payments.Sandbox.Client(SandboxFactory.InternalToken());
        var preview = await portal.GetFromJsonAsync<JsonElement>($"/internal/tenants/{so.Organisation}/clock/preview?until={Uri.EscapeDataString(Time(now.AddDays(8)))}", Ct);
        Assert.Contains(preview.GetProperty("Events").EnumerateArray(), e => e.GetProperty("Kind").GetString() == "StandingOrderPayment");

        var started = System.Diagnostics.Stopwatch.StartNew();
        var end = await so.MoveAsync("""{"Advance": "P1Y"}""");
        TestContext.Current.TestOutputHelper?.WriteLine($"A year of four standing orders advanced in {started.Elapsed.TotalSeconds:0.0} s.");

        var tenantId = await _payments.WithDbAsync(db => db.Tenants.Where(t => t.OrganisationId == so.Organisation).Select(t => t.Id).SingleAsync(Ct));
        var check = await _payments.WithDbAsync(db => LedgerCheck.RunAsync(db, tenantId, Ct));
        Assert.True(check.Holds, string.Join("\n", check.Problems));
        var unbalanced = await _payments.WithDbAsync(db => db.LedgerEntries.AsNoTracking().Where(e => e.TenantId == tenantId)
            .GroupBy(e => e.PostingId).Where(g => g.Sum(e => e.AmountMinor) != 0).Select(g => g.Key).ToListAsync(Ct));
        Assert.Empty(unbalanced);
        var counts = await _payments.WithDbAsync(db => db.DomesticPayments.AsNoTracking().Where(p => orders.Contains(p.OrderId))
            .GroupBy(p => p.OrderId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key!, g => g.Count, Ct));
        Assert.InRange(counts[orders[0]], 12, 13); // the first payment, then the 1st of each month
        Assert.Equal(100, counts[orders[1]]);
        Assert.InRange(counts[orders[2]], 52, 53);
        Assert.InRange(counts[orders[3]], 4, 5);
        // Nothing is left overdue: only payments of the last moments are still on their way to settlement.
        var endUtc = end.UtcDateTime;
        Assert.Equal(0, await _payments.WithDbAsync(db => db.DomesticPayments.CountAsync(p => orders.Contains(p.OrderId) && p.NextActionAt != null && p.NextActionAt <= endUtc, Ct)));
        // The failing-settlement amount (9.95) was returned each time.
        Assert.All(await _payments.WithDbAsync(db => db.DomesticPayments.Where(p => p.OrderId == orders[3] && p.NextActionAt == null).ToListAsync(Ct)),
            p => Assert.Equal((PaymentStatus.Rejected, PaymentStatusReasons.SettlementFailed), (p.Status, p.StatusReason)));
        Assert.Equal(100, await _payments.WithDbAsync(db => db.Transactions.CountAsync(t => t.AccountId == bobId && t.TransactionId.EndsWith("-in"), Ct)));
    }

    [Fact]
    public async Task TenantReset_DeletesStandingOrders()
    {
        var so = NewTenant();
        var now = await so.FreezeAsync();
        var (consentId, orderId, _) = await so.MakeAsync(V3, V3Initiation("EvryDay", now.AddDays(1), null));
        using var portal = _payments.Sandbox.Client(SandboxFactory.InternalToken());

        Assert.Equal(HttpStatusCode.NoContent, (await portal.PostAsync($"/internal/tenants/{so.Organisation}/reset", null, Ct)).StatusCode);

        Assert.False(await _payments.WithDbAsync(db => db.DomesticStandingOrders.AnyAsync(o => o.Id == orderId, Ct)));
        Assert.False(await _payments.WithDbAsync(db => db.DomesticStandingOrderConsents.AnyAsync(c => c.Id == consentId, Ct)));
    }

    private static List<(string Code, string? Path)> Errors(JsonElement body)
        => [.. body.GetProperty("Errors").EnumerateArray().Select(e => (e.GetProperty("ErrorCode").GetString()!, e.TryGetProperty("Path", out var p) ? p.GetString() : null))];

    /// <summary>Days from <paramref name="now"/> to a working day at least four days before its month's end (at least one).</summary>
    private static int FirstWorkingDayAhead(DateTimeOffset now)
    {
        for (var days = 1; ; days++)
        {
            var day = DateOnly.FromDateTime(now.AddDays(days).UtcDateTime);
            if (StandingOrderFrequency.IsWorkingDay(day) && day.Day <= DateTime.DaysInMonth(day.Year, day.Month) - 4)
            {
                return days;
            }
        }
    }
}
