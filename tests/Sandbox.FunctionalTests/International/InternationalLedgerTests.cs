using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.Payments.Screening;

namespace OpenBanking.Sandbox.FunctionalTests.International;

/// <summary>
/// The multi-currency ledger under payments abroad: the invariant after a seeded random mix of domestic and
/// international payments in several currencies (with an internal payee in euro and settlement failures), and the
/// outcomes of cross-border screening.
/// </summary>
public sealed class InternationalLedgerTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(18)]
    [InlineData(1807)]
    public async Task TheLedgerInvariant_HoldsPerCurrency_AfterARandomMixOfPayments(int seed)
    {
        var random = new Random(seed);
        var ip = new InternationalClient(factory, seed % 2 == 0 ? "v3.1" : "v4.0");
        var org = InternationalClient.NewOrganisation();
        await new ScheduledPaymentsClient(factory).NowAsync(org);
        var tenant = await ip.TenantAsync(org);
        var carolEur = await ip.Payments.WithDbAsync(db => db.Accounts.Where(a => a.TenantId == tenant && a.Currency == "EUR").Select(a => new { a.Id, a.Identification, a.BookedBalanceMinor }).FirstAsync(Ct));
        var made = new List<string>();
        var failing = new List<string>();
        for (var i = 0; i < 14; i++)
        {
            // Large enough for any bearer's fees to leave something to send (the tariff's correspondent fees reach 10.00).
            var amount = (random.Next(2000, 12000) / 100m).ToString("0.00", CultureInfo.InvariantCulture);
            var failure = random.Next(6) == 0;
            var name = failure ? "Failing Payee Ltd" : "Hans Muller";
            switch (random.Next(6))
            {
                case 0:
                    var (consentId, token, initiation, _) = await ip.Payments.AuthorisedAsync(amount: amount, creditorName: failure ? "Failing Payee Ltd" : "Jane Smith", organisationId: org);
                    var (status, text, _) = await ip.Payments.SubmitAsync(token, consentId, initiation);
                    Assert.True(status == HttpStatusCode.Created, text);
                    break;
                case 1:
                    // An internal payee in euro: carol's EUR account is credited what is sent.
                    made.Add(InternationalClient.PaymentId(await ip.PaidAsync(ip.Initiation(amount, "EUR", identification: carolEur.Identification,
                        creditorName: "Carol Dubois", country: "GB", eri: InternationalClient.Eri("Actual")), org)));
                    break;
                case 2:
                    // From carol's euro account to dollars.
                    made.Add(InternationalClient.PaymentId(await ip.PaidAsync(ip.Initiation(amount, "USD", creditorName: name, eri: InternationalClient.Eri("Indicative", unit: "EUR")),
                        org, "carol", "EUR")));
                    break;
                default:
                    var transfer = new[] { "EUR", "USD", "JPY", "BHD" }[random.Next(4)];
                    var instructed = transfer == "JPY" ? random.Next(3000, 50000).ToString(CultureInfo.InvariantCulture) : amount;
                    var bearer = new[] { "Shared", "BorneByDebtor", "BorneByCreditor" }[random.Next(3)];
                    var id = InternationalClient.PaymentId(await ip.PaidAsync(ip.Initiation(instructed, transfer, creditorName: name, bearer: bearer,
                        eri: random.Next(2) == 0 ? InternationalClient.Eri("Actual") : null), org));
                    made.Add(id);
                    if (failure)
                    {
                        failing.Add(id);
                    }

                    break;
            }
        }

        for (var round = 0; round < 3; round++)
        {
            await ip.Payments.SettleAsync();
        }

        var check = await ip.Payments.WithDbAsync(db => LedgerCheck.RunAsync(db, tenant, Ct));
        Assert.True(check.Holds, string.Join("; ", check.Problems));
        Assert.All(check.SumByCurrency.Values, sum => Assert.Equal(0, sum));
        foreach (var id in failing)
        {
            // A failed settlement leaves nothing behind: every line of the payment is undone.
            var (_, body) = await ip.GetAsync($"/international-payments/{id}", org);
            Assert.Equal(ip.V4 ? "RJCT" : "Rejected", body.GetProperty("Data").GetProperty("Status").GetString());
            var left = await ip.Payments.WithDbAsync(db => db.LedgerEntries.Where(e => e.PaymentId == id).GroupBy(e => e.LedgerAccount)
                .Select(g => g.Sum(e => e.AmountMinor)).ToListAsync(Ct));
            Assert.All(left, sum => Assert.Equal(0, sum));
        }
    }

    [Fact]
    public async Task AnInternalPayeeInEuro_IsCreditedWhatIsSent()
    {
        var ip = new InternationalClient(factory);
        var org = InternationalClient.NewOrganisation();
        await new ScheduledPaymentsClient(factory).NowAsync(org);
        var tenant = await ip.TenantAsync(org);
        var carol = await ip.Payments.WithDbAsync(db => db.Accounts.Where(a => a.TenantId == tenant && a.Currency == "EUR").Select(a => new { a.Id, a.Identification }).FirstAsync(Ct));
        var before = await ip.Payments.BalanceAsync(carol.Id);
        var payment = await ip.PaidAsync(ip.Initiation("250.00", "EUR", identification: carol.Identification, creditorName: "Carol Dubois", country: "GB"), org);
        await ip.Payments.SettleAsync();
        await ip.Payments.SettleAsync();
        var id = InternationalClient.PaymentId(payment);
        var sent = await ip.Payments.WithDbAsync(db => db.InternationalTransfers.Where(t => t.PaymentId == id).Select(t => t.SentMinor).SingleAsync(Ct));
        Assert.Equal(before + sent, await ip.Payments.BalanceAsync(carol.Id));
        Assert.Equal(25000 - (await ip.FeesAsync(org, "GBP", "EUR")).CorrespondentFeeMinor, sent);
    }

    /// <summary>
    /// Whatever screening is registered, the payment's fate is what it says: identifier errors refuse the consent, a
    /// Reject outcome rejects the payment, Review holds it, Clear lets it through (risk rules permitting).
    /// </summary>
    [Theory]
    [InlineData("Sanctioned Trading Co", "DE")]
    [InlineData("Bank Meli Iran", "DE")]
    [InlineData("Hans Muller", "DE")]
    public async Task ScreeningOutcomes_DecideThePayment_ThroughTheInterface(string name, string country)
    {
        var ip = new InternationalClient(factory);
        var org = InternationalClient.NewOrganisation();
        var screening = ip.Service<ICreditorScreening>();
        var details = new CreditorDetails(name, "UK.OBIE.IBAN", InternationalClient.Iban, "UK.OBIE.BICFI", "COBADEFFXXX", country, [country], "EUR", "UK.OBIE.SWIFT");
        var initiation = ip.Initiation("20.00", "EUR", creditorName: name, country: country, eri: InternationalClient.Eri("Actual"));
        if (screening.CheckIdentifiers(details).Count > 0)
        {
            var (refused, _, _) = await ip.CreateConsentAsync(initiation, org);
            Assert.Equal(HttpStatusCode.BadRequest, refused);
            return;
        }

        var payment = await ip.PaidAsync(initiation, org);
        var expected = screening.Screen(details, 2000, "GBP", new HashSet<string>());
        var status = payment.GetProperty("Data").GetProperty("Status").GetString();
        switch (expected.Outcome)
        {
            case ScreeningOutcome.Reject:
                Assert.Equal("Rejected", status);
                break;
            case ScreeningOutcome.Review:
                Assert.Equal("Pending", status);
                var id = InternationalClient.PaymentId(payment);
                Assert.Equal("HeldForReview", await ip.Payments.WithDbAsync(db => db.DomesticPayments.Where(p => p.Id == id).Select(p => p.StatusReason).SingleAsync(Ct)));
                break;
            default:
                Assert.NotEqual("Rejected", status);
                break;
        }
    }

    /// <summary>Depends on package C (the real screening): with the foundation's accept-all placeholder nothing is held.</summary>
    [Fact]
    public async Task ASanctionsHit_IsHeldForReview_AndReleasedByTheBank_DependsOnC()
    {
        var ip = new InternationalClient(factory, "v4.0");
        var org = InternationalClient.NewOrganisation();
        var payment = await ip.PaidAsync(ip.Initiation("20.00", "EUR", creditorName: "Sanctioned Trading Co", eri: InternationalClient.Eri("Actual")), org);
        var id = InternationalClient.PaymentId(payment);
        Assert.Equal("PDNG", payment.GetProperty("Data").GetProperty("Status").GetString());
        var reasons = await ip.Payments.WithDbAsync(db => db.DomesticPayments.Where(p => p.Id == id).Select(p => p.RiskReasons).SingleAsync(Ct));
        Assert.Contains("SanctionsNameMatch", reasons, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await ip.ReviewAsync(org, id, approve: true));
        await ip.Payments.SettleAsync();
        await ip.Payments.SettleAsync();
        var (_, final) = await ip.GetAsync($"/international-payments/{id}", org);
        Assert.Equal("ACSC", final.GetProperty("Data").GetProperty("Status").GetString());
    }

    /// <summary>Depends on package C (the real screening): an embargoed destination is rejected outright.</summary>
    [Fact]
    public async Task AnEmbargoedDestination_IsRejected_DependsOnC()
    {
        var ip = new InternationalClient(factory);
        var org = InternationalClient.NewOrganisation();
        var initiation = ip.Initiation("20.00", "USD", creditorName: "Havana Trading", identification: "1234567890", scheme: "UK.OBIE.BBAN", country: "CU",
            eri: InternationalClient.Eri("Actual")).Replace("COBADEFFXXX", "BNCUCUHH", StringComparison.Ordinal);
        var payment = await ip.PaidAsync(initiation, org);
        Assert.Equal("Rejected", payment.GetProperty("Data").GetProperty("Status").GetString());
        var id = InternationalClient.PaymentId(payment);
        var reasons = await ip.Payments.WithDbAsync(db => db.DomesticPayments.Where(p => p.Id == id).Select(p => p.RiskReasons).SingleAsync(Ct));
        Assert.Contains("EmbargoedCountry", reasons, StringComparison.Ordinal);
    }
}
