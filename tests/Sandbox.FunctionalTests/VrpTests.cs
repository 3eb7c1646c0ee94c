using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.Vrp;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// Domestic VRP through both versions on real SQLite: control parameters refused with the spec's codes and nothing
/// posted, idempotency, concurrent payments against one limit, revocation by the app and by the customer, funds
/// confirmation from the live balance, sweeping, and the consent as the customer's pages show it.
/// </summary>
public sealed class VrpTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("v3.1")]
    [InlineData("v4.0")]
    public async Task BrokenControls_AreRefused_WithTheSpecsCodes_AndNothingIsPosted(string version)
    {
        var vrp = new VrpClient(factory, version);
        var (consentId, token, initiation, accountId) = await vrp.AuthorisedAsync(VrpClient.Controls("50.00",
            "[{\"PeriodType\":\"Day\",\"PeriodAlignment\":\"Consent\",\"Amount\":\"60.00\",\"Currency\":\"GBP\"}]",
            extra: "\"PSUInteractionTypes\":[\"OffSession\"],"), username: "erin"); // not Bob: overdrawn by design, on some days below £60 available
        var fails = vrp.Code("UK.OBIE.Rules.FailsControlParameters", "U014");
        var before = await vrp.Payments.BalanceAsync(accountId);

        await AssertRefused(vrp.PayAsync(token, consentId, initiation, "50.01"), fails, "MaximumIndividualAmount");
        var (ok, okText, _) = await vrp.PayAsync(token, consentId, initiation, "40.00");
        Assert.True(ok == HttpStatusCode.Created, okText);
        await AssertRefused(vrp.PayAsync(token, consentId, initiation, "20.01"), fails, "Day");
        await AssertRefused(vrp.PayAsync(token, consentId, initiation, "1.00", type: "UK.OBIE.VRPType.Sweeping"), fails, "sweeping");
        await AssertRefused(vrp.PayAsync(token, consentId, initiation, "1.00", extra: "\"PSUInteractionType\":\"InSession\","), fails, "PSUInteractionType");
        await AssertRefused(vrp.PayAsync(token, consentId, initiation, "1.00", creditor: VrpClient.Account("20000087654321")),
            vrp.Code("UK.OBIE.Resource.ConsentMismatch", "U008"), "CreditorAccount");
        await AssertRefused(vrp.PayAsync(token, consentId, "{\"CreditorAccount\":" + VrpClient.Account("20000012345678", "Someone Else") + "}", "1.00"),
            vrp.Code("UK.OBIE.Resource.ConsentMismatch", "U008"), "Initiation");
        await AssertRefused(vrp.PayAsync(token, consentId, initiation, "1.00", risk: "{}"), vrp.Code("UK.OBIE.Resource.ConsentMismatch", "U008"), "Risk");
        // Exactly up to the limit is allowed; the next day (a consent-aligned day later) the limit is whole again.
        var (edge, edgeText, _) = await vrp.PayAsync(token, consentId, initiation, "20.00");
        Assert.True(edge == HttpStatusCode.Created, edgeText);
        Assert.Equal(before - 6_000, await vrp.Payments.BalanceAsync(accountId));
        factory.Clock.Offset += TimeSpan.FromDays(1);
        var (nextDay, nextDayText, _) = await vrp.PayAsync(token, consentId, initiation, "50.00");
        Assert.True(nextDay == HttpStatusCode.Created, nextDayText);
        Assert.True((await vrp.Payments.CheckLedgerAsync()).Holds);

        // A payment from another version is refused; a repeat of a refused key is refused again, not answered.
        var other = new VrpClient(factory, version == "v3.1" ? "v4.0" : "v3.1");
        var (crossed, _, crossedBody) = await other.PayAsync(token, consentId, other.Initiation(VrpClient.Account("20000012345678")), "1.00");
        Assert.Equal(HttpStatusCode.BadRequest, crossed);
        Assert.Equal(other.Code("UK.OBIE.Resource.ConsentMismatch", "U008"), other.ErrorCode(crossedBody));
    }

    [Theory]
    [InlineData("v3.1")]
    [InlineData("v4.0")]
    public async Task ValidityWindow_IsEnforcedOnTheTenantClock(string version)
    {
        var vrp = new VrpClient(factory, version);
        var now = factory.Clock.GetUtcNow();
        var window = $"\"ValidFromDateTime\":\"{now.AddHours(1):yyyy-MM-ddTHH:mm:ss}+00:00\",\"ValidToDateTime\":\"{now.AddDays(2):yyyy-MM-ddTHH:mm:ss}+00:00\",";
        var (consentId, token, initiation, _) = await vrp.AuthorisedAsync(VrpClient.Controls(extra: window), username: "carol");
        var fails = vrp.Code("UK.OBIE.Rules.FailsControlParameters", "U014");
        await AssertRefused(vrp.PayAsync(token, consentId, initiation, "1.00"), fails, "valid from");
        factory.Clock.Offset += TimeSpan.FromHours(2);
        var (ok, okText, _) = await vrp.PayAsync(token, consentId, initiation, "1.00");
        Assert.True(ok == HttpStatusCode.Created, okText);
        factory.Clock.Offset += TimeSpan.FromDays(2);
        await AssertRefused(vrp.PayAsync(token, consentId, initiation, "1.00"), fails, "valid until");
    }

    [Theory]
    [InlineData("v3.1", HttpStatusCode.BadRequest)]
    [InlineData("v4.0", HttpStatusCode.Conflict)]
    public async Task EveryPost_IsIdempotent(string version, HttpStatusCode conflict)
    {
        var vrp = new VrpClient(factory, version);
        var consentKey = Guid.NewGuid().ToString("N");
        var initiation = vrp.Initiation(VrpClient.Account("20000012345678"));
        var (_, _, first) = await vrp.CreateConsentAsync(VrpClient.Controls(), initiation, consentKey);
        var (again, _, second) = await vrp.CreateConsentAsync(VrpClient.Controls(), initiation, consentKey);
        Assert.Equal(HttpStatusCode.Created, again);
        Assert.Equal(first.GetProperty("Data").GetProperty("ConsentId").GetString(), second.GetProperty("Data").GetProperty("ConsentId").GetString());
        var (otherBody, _, _) = await vrp.CreateConsentAsync(VrpClient.Controls("99.00"), initiation, consentKey);
        Assert.Equal(conflict, otherBody);

        var (consentId, token, init, accountId) = await vrp.AuthorisedAsync(username: "dave");
        var before = await vrp.Payments.BalanceAsync(accountId);
        var key = Guid.NewGuid().ToString("N");
        var body = vrp.PaymentBody(consentId, init, "12.34");
        var (s1, t1, p1) = await vrp.Payments.PostAsync(token, $"{vrp.Pisp}/domestic-vrps", body, key);
        var (s2, _, p2) = await vrp.Payments.PostAsync(token, $"{vrp.Pisp}/domestic-vrps", body, key);
        Assert.True(s1 == HttpStatusCode.Created, t1);
        Assert.Equal(HttpStatusCode.Created, s2);
        Assert.Equal(VrpClient.PaymentId(p1), VrpClient.PaymentId(p2));
        // One payment, debited once at most (the risk screen may hold or reject it; never twice).
        Assert.Equal(1, await vrp.Payments.WithDbAsync(db => db.DomesticPayments.CountAsync(p => p.ConsentId == consentId, Ct)));
        Assert.Contains(before - await vrp.Payments.BalanceAsync(accountId), new long[] { 0, 1_234 });
        var (s3, _, _) = await vrp.Payments.PostAsync(token, $"{vrp.Pisp}/domestic-vrps", vrp.PaymentBody(consentId, init, "12.35"), key);
        Assert.Equal(conflict, s3);
        // The same key in the other version is another request (scoped per version).
        var other = new VrpClient(factory, version == "v3.1" ? "v4.0" : "v3.1");
        var (s4, _, _) = await other.CreateConsentAsync(VrpClient.Controls(), other.Initiation(VrpClient.Account("20000012345678")), consentKey);
        Assert.Equal(HttpStatusCode.Created, s4);
    }

    [Theory]
    [InlineData("v3.1")]
    [InlineData("v4.0")]
    public async Task ConcurrentPayments_CannotTogetherExceedALimit(string version)
    {
        var vrp = new VrpClient(factory, version);
        var (consentId, token, initiation, _) = await vrp.AuthorisedAsync(VrpClient.Controls("10.00",
            "[{\"PeriodType\":\"Week\",\"PeriodAlignment\":\"Calendar\",\"Amount\":\"1000.00\",\"Currency\":\"GBP\"},"
            + "{\"PeriodType\":\"Day\",\"PeriodAlignment\":\"Consent\",\"Amount\":\"75.00\",\"Currency\":\"GBP\"}]"), username: "erin");
        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => vrp.PayAsync(token, consentId, initiation, "10.00")));
        Assert.All(results, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.BadRequest, r.Text));
        Assert.All(results.Where(r => r.Status == HttpStatusCode.BadRequest),
            r => Assert.Equal(vrp.Code("UK.OBIE.Rules.FailsControlParameters", "U014"), vrp.ErrorCode(r.Body)));
        var counted = await vrp.Payments.WithDbAsync(db => db.DomesticPayments
            .Where(p => p.ConsentId == consentId && p.Status != PaymentStatus.Rejected).SumAsync(p => p.AmountMinor, Ct));
        // Never over; and nobody was refused while there was room (7 × £10 fit under £75, an eighth does not).
        Assert.True(counted <= 7_500, $"{counted} counted against a £75.00 daily limit");
        Assert.True(counted + 1_000 > 7_500, $"only {counted} counted, yet payments were refused");
        Assert.Equal(7, results.Count(r => r.Status == HttpStatusCode.Created && r.Body.GetProperty("Data").GetProperty("Status").GetString() is not ("Rejected" or "RJCT")));
    }

    [Theory]
    [InlineData("v3.1", "Rejected")]
    [InlineData("v4.0", "RJCT")]
    public async Task TheCustomerRevokes_FromTheDashboard_AndPaymentsStop(string version, string revokedStatus)
    {
        var vrp = new VrpClient(factory, version);
        var (consentId, token, initiation, _) = await vrp.AuthorisedAsync(VrpClient.Controls(extra: "\"ValidToDateTime\":\"2099-12-31T12:00:00+00:00\","));
        var customerId = await vrp.Payments.Sandbox.CustomerIdAsync("alice");
        using var client = vrp.Payments.Sandbox.Client(SandboxFactory.InternalToken());
        var list = await client.GetFromJsonAsync<JsonElement>($"/internal/tenants/org-a/customers/{customerId}/consents", Ct);
        var summary = list.EnumerateArray().Single(c => c.GetProperty("ConsentId").GetString() == consentId);
        Assert.Equal("DomesticVrp", summary.GetProperty("Kind").GetString());
        var terms = summary.GetProperty("Terms").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Equal(["Up to £100.00 a payment", "Up to £500.00 a calendar month", "Until 31 December 2099", "Other variable payments to the payee the app names"], terms);

        Assert.Equal(HttpStatusCode.OK, await vrp.RevokeAsCustomerAsync(consentId));
        var (_, read) = await vrp.GetAsync($"/domestic-vrp-consents/{consentId}");
        Assert.Equal(revokedStatus, read.GetProperty("Data").GetProperty("Status").GetString());
        await AssertRefused(vrp.PayAsync(token, consentId, initiation, "1.00"), vrp.Code("UK.OBIE.Resource.InvalidConsentStatus", "U009"), "Revoked");
        var (funds, _, _) = await vrp.FundsAsync(token, consentId, "1.00");
        Assert.Equal(HttpStatusCode.BadRequest, funds);
        list = await client.GetFromJsonAsync<JsonElement>($"/internal/tenants/org-a/customers/{customerId}/consents", Ct);
        Assert.DoesNotContain(list.EnumerateArray(), c => c.GetProperty("ConsentId").GetString() == consentId);
        // Another customer cannot revoke it (it is not theirs); the app's DELETE of an ended consent still answers 204.
        Assert.Equal(HttpStatusCode.NotFound, await vrp.RevokeAsCustomerAsync(consentId, "bob"));
        Assert.Equal(HttpStatusCode.NoContent, await vrp.DeleteAsync(consentId));
    }

    [Theory]
    [InlineData("v3.1")]
    [InlineData("v4.0")]
    public async Task TheAppsDelete_RevokesTheConsent_AndKeepsItsPayments(string version)
    {
        var vrp = new VrpClient(factory, version);
        var (consentId, token, initiation, _) = await vrp.AuthorisedAsync(username: "bob");
        var (_, _, payment) = await vrp.PayAsync(token, consentId, initiation, "3.00");
        Assert.Equal(HttpStatusCode.NoContent, await vrp.DeleteAsync(consentId));
        var status = await vrp.Payments.WithDbAsync(db => db.DomesticVrpConsents.Where(c => c.Id == consentId).Select(c => c.Status).SingleAsync(Ct));
        Assert.Equal(Domain.ConsentStatus.Revoked, status);
        var (gone, _) = await vrp.GetAsync($"/domestic-vrp-consents/{consentId}");
        Assert.Equal(HttpStatusCode.BadRequest, gone);
        var (kept, _) = await vrp.GetAsync($"/domestic-vrps/{VrpClient.PaymentId(payment)}");
        Assert.Equal(HttpStatusCode.OK, kept);
        Assert.Equal(HttpStatusCode.BadRequest, await vrp.DeleteAsync(consentId));
        // A consent never authorised can be deleted too.
        var (_, _, created) = await vrp.CreateConsentAsync(VrpClient.Controls(), vrp.Initiation());
        Assert.Equal(HttpStatusCode.NoContent, await vrp.DeleteAsync(created.GetProperty("Data").GetProperty("ConsentId").GetString()!));
    }

    [Theory]
    [InlineData("v3.1")]
    [InlineData("v4.0")]
    public async Task FundsConfirmation_AnswersFromTheLiveBalance_AndChangesNothing(string version)
    {
        var vrp = new VrpClient(factory, version);
        var (consentId, token, _, accountId) = await vrp.AuthorisedAsync(username: "carol");
        var balance = await vrp.Payments.BalanceAsync(accountId);
        var limit = await vrp.Payments.WithDbAsync(db => db.Accounts.Where(a => a.Id == accountId).Select(a => a.CreditLimitMinor).SingleAsync(Ct));
        var room = balance + limit;
        var (_, _, yes) = await vrp.FundsAsync(token, consentId, Money(room));
        Assert.Equal("Available", yes.GetProperty("Data").GetProperty("FundsAvailableResult").GetProperty("FundsAvailable").GetString());
        var (_, _, no) = await vrp.FundsAsync(token, consentId, Money(room + 1));
        Assert.Equal("NotAvailable", no.GetProperty("Data").GetProperty("FundsAvailableResult").GetProperty("FundsAvailable").GetString());
        Assert.Equal(balance, await vrp.Payments.BalanceAsync(accountId));
        // With a client-credentials token, or one bound to another consent: 403.
        var (cc, _, _) = await vrp.FundsAsync(PaymentsClient.PaymentToken(), consentId, "1.00");
        Assert.Equal(HttpStatusCode.Forbidden, cc);
    }

    [Theory]
    [InlineData("v3.1")]
    [InlineData("v4.0")]
    public async Task Sweeping_MovesMoneyBetweenTheCustomersOwnAccounts_Only(string version)
    {
        var vrp = new VrpClient(factory, version);
        var (username, from, to) = await TwoAccountsAsync(vrp);
        var payee = VrpClient.Account(to, "Own account");
        var controls = VrpClient.Controls(types: "[\"UK.OBIE.VRPType.Sweeping\"]");
        // A sweeping-only consent naming someone else's account cannot be authorised.
        var (_, _, foreign) = await vrp.CreateConsentAsync(controls, vrp.Initiation(VrpClient.Account("20000012345678")));
        var foreignId = foreign.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        Assert.Equal(HttpStatusCode.BadRequest, await vrp.Payments.AuthoriseAsync(foreignId, username, from));

        var initiation = vrp.Initiation(payee);
        var (_, _, created) = await vrp.CreateConsentAsync(controls, initiation);
        var consentId = created.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await vrp.Payments.AuthoriseAsync(consentId, username, from));
        var token = PaymentsClient.PaymentToken(consentId: consentId);
        var (swept, text, _) = await vrp.PayAsync(token, consentId, initiation, "5.00", creditor: payee, type: "UK.OBIE.VRPType.Sweeping");
        Assert.True(swept == HttpStatusCode.Created, text);
        await AssertRefused(vrp.PayAsync(token, consentId, initiation, "5.00", creditor: payee), vrp.Code("UK.OBIE.Rules.FailsControlParameters", "U014"), "Sweeping");

        var summary = await vrp.Payments.WithDbAsync(async db => Payments.Vrp.VrpTerms.Lines(
            (await db.DomesticVrpConsents.SingleAsync(c => c.Id == consentId, Ct)).Controls()));
        Assert.Contains("Sweeping between your own accounts", summary);
    }

    /// <summary>A customer of org-a with two GBP sort-code accounts: their username, one account's id, the other's identification.</summary>
    private static async Task<(string Username, string From, string To)> TwoAccountsAsync(VrpClient vrp)
    {
        // The first request of org-a makes its bank: this test may be the first of the run to need it.
        await vrp.Payments.Sandbox.CustomersAsync("org-a");
        return await TwoAccountsOfOrgAAsync(vrp);
    }

    private static Task<(string Username, string From, string To)> TwoAccountsOfOrgAAsync(VrpClient vrp) => vrp.Payments.WithDbAsync(async db =>
    {
        var tenantId = await db.Tenants.Where(t => t.OrganisationId == "org-a").Select(t => t.Id).SingleAsync(Ct);
        var accounts = await db.Accounts.AsNoTracking()
            .Where(a => a.TenantId == tenantId && a.Currency == "GBP" && a.SchemeName == "UK.OBIE.SortCodeAccountNumber")
            .Select(a => new { a.Id, a.CustomerId, a.Identification }).ToListAsync(Ct);
        var pair = accounts.GroupBy(a => a.CustomerId).First(g => g.Count() >= 2).ToList();
        var username = await db.Customers.Where(c => c.Id == pair[0].CustomerId).Select(c => c.Username).SingleAsync(Ct);
        return (username, pair[0].Id, pair[1].Identification);
    });

    private static string Money(long minor) => (minor / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task AssertRefused(Task<(HttpStatusCode Status, string Text, JsonElement Body)> call, string code, string words)
    {
        var (status, text, body) = await call;
        Assert.True(status == HttpStatusCode.BadRequest, text);
        var error = body.GetProperty("Errors")[0];
        Assert.Equal(code, error.GetProperty("ErrorCode").GetString());
        Assert.Contains(words, text, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>
/// The period arithmetic through the API and the database: a seeded random sequence of payments and clock moves under
/// one consent with several limits; every accepted payment keeps each of its periods within the limit, and every
/// refusal is one that would have broken a limit.
/// </summary>
public sealed class VrpSequenceTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    [Theory]
    [InlineData("v3.1", 11)]
    [InlineData("v4.0", 12)]
    public async Task RandomPaymentsAndClockMoves_KeepEveryLimit(string version, int seed)
    {
        var vrp = new VrpClient(factory, version);
        var (consentId, token, initiation, _) = await vrp.AuthorisedAsync(VrpClient.Controls("25.00",
            "[{\"PeriodType\":\"Day\",\"PeriodAlignment\":\"Consent\",\"Amount\":\"40.00\",\"Currency\":\"GBP\"},"
            + "{\"PeriodType\":\"Week\",\"PeriodAlignment\":\"Calendar\",\"Amount\":\"90.00\",\"Currency\":\"GBP\"},"
            + "{\"PeriodType\":\"Month\",\"PeriodAlignment\":\"Calendar\",\"Amount\":\"200.00\",\"Currency\":\"GBP\"}]"));
        var controls = await vrp.Payments.WithDbAsync(async db =>
            (await db.DomesticVrpConsents.SingleAsync(c => c.Id == consentId, TestContext.Current.CancellationToken)).Controls());
        var random = new Random(seed);
        var accepted = new List<(DateTimeOffset At, long AmountMinor)>();
        var refusals = 0;
        for (var i = 0; i < 40; i++)
        {
            factory.Clock.Offset += TimeSpan.FromMinutes(random.Next(0, 36 * 60));
            var minor = random.Next(100, 2_501);
            var now = factory.Clock.GetUtcNow();
            var (status, text, body) = await vrp.PayAsync(token, consentId, initiation, (minor / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
            var wouldBreak = controls.Limits.Any(l =>
            {
                var period = VrpControls.Period(l, controls.Anchor, now);
                return accepted.Where(p => p.At >= period.Start && p.At < period.End).Sum(p => p.AmountMinor) + minor > period.LimitMinor;
            });
            if (status == HttpStatusCode.Created)
            {
                Assert.False(wouldBreak, $"payment {i} of {minor} was accepted over a limit");
                if (body.GetProperty("Data").GetProperty("Status").GetString() is not ("Rejected" or "RJCT"))
                {
                    accepted.Add((DateTimeOffset.Parse(body.GetProperty("Data").GetProperty("CreationDateTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture), minor));
                }
            }
            else
            {
                Assert.True(status == HttpStatusCode.BadRequest, text);
                Assert.True(wouldBreak, $"payment {i} of {minor} was refused within every limit: {text}");
                Assert.Equal(vrp.Code("UK.OBIE.Rules.FailsControlParameters", "U014"), vrp.ErrorCode(body));
                refusals++;
            }
        }

        Assert.NotEmpty(accepted);
        Assert.True(refusals > 0, "the sequence never reached a limit");
    }
}
