using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Ledger;

namespace OpenBanking.Sandbox.FunctionalTests.International;

/// <summary>
/// The rules of international payments end to end: each rate type, the Actual quote's expiry on the tenant's clock,
/// idempotency per version, amounts and rounding for 0-, 2- and 3-decimal currencies, charges per bearer, a reviewer's
/// release, the customer's journey, and what the payer's AIS transaction shows. Expected amounts are computed from the
/// registered FX desk and tariff, never from fixed numbers.
/// </summary>
public sealed class InternationalPaymentTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ScheduledPaymentsClient _clock = new(factory);

    [Theory]
    [InlineData("v3.1")]
    [InlineData("v4.0")]
    public async Task AnActualQuote_HoldsSixtySecondsOnTheTenantClock_ThenThePaymentIsRefused(string version)
    {
        var ip = new InternationalClient(factory, version);
        var org = InternationalClient.NewOrganisation();
        await _clock.MoveClockAsync(org, new { Freeze = true });
        var consent = await ip.AuthorisedAsync(ip.Initiation(eri: InternationalClient.Eri("Actual")), org);
        var data = consent.Created.GetProperty("Data");
        var created = InternationalClient.Time(data.GetProperty("CreationDateTime"));
        var eri = data.GetProperty("ExchangeRateInformation");
        Assert.Equal(created.AddSeconds(60), InternationalClient.Time(eri.GetProperty("ExpirationDateTime")));
        Assert.Equal(created.AddSeconds(60), InternationalClient.Time(data.GetProperty("CutOffDateTime")));
        Assert.Equal((await ip.QuoteAsync(org, "GBP", "EUR", created)).Rate, eri.GetProperty("ExchangeRate").GetDecimal());

        await _clock.MoveClockAsync(org, new { Advance = "PT61S" });
        var (status, _, body) = await ip.PayAsync(consent);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal((ip.Code("UK.OBIE.Rules.AfterCutOffDateTime", "U012"), "Data.Initiation.ExchangeRateInformation"), InternationalClient.Errors(body).Single());
        var (_, after) = await ip.GetAsync($"/international-payment-consents/{consent.ConsentId}", org);
        Assert.Equal(ip.V4 ? "AUTH" : "Authorised", after.GetProperty("Data").GetProperty("Status").GetString());

        // Within the minute the quoted rate applies.
        var fresh = await ip.AuthorisedAsync(ip.Initiation(eri: InternationalClient.Eri("Actual")), org);
        await _clock.MoveClockAsync(org, new { Advance = "PT59S" });
        var (paid, text, payment) = await ip.PayAsync(fresh);
        Assert.True(paid == HttpStatusCode.Created, text);
        Assert.Equal(InternationalClient.Rate(fresh.Created), InternationalClient.Rate(payment));
    }

    [Theory]
    [InlineData("v3.1")]
    [InlineData("v4.0")]
    public async Task RateTypeAndCurrencyRules_AreEnforcedWithTheSpecsCodes(string version)
    {
        var ip = new InternationalClient(factory, version);
        var org = InternationalClient.NewOrganisation();
        await _clock.NowAsync(org);
        const string eri = "Data.Initiation.ExchangeRateInformation";
        async Task Refused(string initiation, string v3, string v4, string path)
        {
            var (status, text, body) = await ip.CreateConsentAsync(initiation, org);
            Assert.True(status == HttpStatusCode.BadRequest, text);
            Assert.Contains((ip.Code(v3, v4), path), InternationalClient.Errors(body));
        }

        await Refused(ip.Initiation(eri: InternationalClient.Eri("Actual", rate: "1.1")), "UK.OBIE.Field.Unexpected", "U005", eri + ".ExchangeRate");
        await Refused(ip.Initiation(eri: InternationalClient.Eri("Indicative", contract: "fxc-1")), "UK.OBIE.Field.Unexpected", "U005", eri + ".ContractIdentification");
        await Refused(ip.Initiation(eri: InternationalClient.Eri("Agreed", contract: "fxc-1")), "UK.OBIE.Field.Expected", "U001", eri + ".ExchangeRate");
        await Refused(ip.Initiation(eri: InternationalClient.Eri("Agreed", rate: "1.1")), "UK.OBIE.Field.Expected", "U001", eri + ".ContractIdentification");
        await Refused(ip.Initiation(eri: InternationalClient.Eri("Agreed", rate: "1.1", contract: "fxc-000000000000000000000000")),
            "UK.OBIE.Field.Invalid", "U002", eri + ".ContractIdentification");
        await Refused(ip.Initiation(eri: InternationalClient.Eri("Actual", rate: "-1")), "UK.OBIE.Field.Invalid", "U002", eri + ".ExchangeRate");
        await Refused(ip.Initiation(eri: InternationalClient.Eri("Actual", unit: "EUR")), "UK.OBIE.Field.Invalid", "U002", eri + ".UnitCurrency");
        // The documented "pair the desk does not trade" trigger.
        await Refused(ip.Initiation(currency: "ZAR"), "UK.OBIE.Unsupported.Currency", "U023", "Data.Initiation.CurrencyOfTransfer");
        // Shape C: neither the transfer currency nor the debtor's.
        await Refused(ip.Initiation(currency: "USD", transfer: "EUR", eri: InternationalClient.Eri("Actual")), "UK.OBIE.Unsupported.Currency", "U023",
            "Data.Initiation.InstructedAmount.Currency");
        await Refused(ip.Initiation(amount: "100.5", currency: "JPY"), "UK.OBIE.Field.Invalid", "U002", "Data.Initiation.InstructedAmount.Amount");
        await Refused(ip.Initiation(amount: "10.0001", currency: "BHD"), "UK.OBIE.Field.Invalid", "U002", "Data.Initiation.InstructedAmount.Amount");
        await Refused(ip.Initiation(currency: "USD", instrument: "UK.OBIE.SEPACreditTransfer"), "UK.OBIE.Unsupported.LocalInstrument", "U026", "Data.Initiation.LocalInstrument");

        // Nothing to convert (carol's EUR account named, euro sent): no exchange rate may be asked for.
        var tenant = await ip.TenantAsync(org);
        var carolEur = await ip.Payments.WithDbAsync(db => db.Accounts.Where(a => a.TenantId == tenant && a.Currency == "EUR")
            .Select(a => new { a.SchemeName, a.Identification }).FirstAsync(Ct));
        var debtor = $"{{\"SchemeName\":\"{carolEur.SchemeName}\",\"Identification\":\"{carolEur.Identification}\"}}";
        await Refused(ip.Initiation(eri: InternationalClient.Eri("Indicative", unit: "EUR"), debtor: debtor), "UK.OBIE.Field.Unexpected", "U005", eri);
    }

    [Theory]
    [InlineData("v3.1")]
    [InlineData("v4.0")]
    public async Task AnIndicativeRate_IsTheRateWhenThePayerIsDebited(string version)
    {
        var ip = new InternationalClient(factory, version);
        var org = InternationalClient.NewOrganisation();
        await _clock.MoveClockAsync(org, new { Freeze = true });
        var consent = await ip.AuthorisedAsync(ip.Initiation(eri: InternationalClient.Eri("Indicative")), org);
        var quoted = consent.Created.GetProperty("Data").GetProperty("ExchangeRateInformation");
        Assert.False(quoted.TryGetProperty("ExpirationDateTime", out _));
        Assert.False(consent.Created.GetProperty("Data").TryGetProperty("CutOffDateTime", out _));

        await _clock.MoveClockAsync(org, new { Advance = "PT3H" });
        var (status, text, payment) = await ip.PayAsync(consent);
        Assert.True(status == HttpStatusCode.Created, text);
        var at = InternationalClient.Time(payment.GetProperty("Data").GetProperty("CreationDateTime"));
        Assert.Equal((await ip.QuoteAsync(org, "GBP", "EUR", at)).Rate, InternationalClient.Rate(payment));
        Assert.Equal("Indicative", payment.GetProperty("Data").GetProperty("ExchangeRateInformation").GetProperty("RateType").GetString());
    }

    /// <summary>Depends on package A (the FX contracts API and the real IFxContracts); fails with the foundation's placeholder.</summary>
    [Fact]
    public async Task AnAgreedRate_UsesTheBookedContract_DependsOnA()
    {
        var ip = new InternationalClient(factory);
        var org = InternationalClient.NewOrganisation();
        var (booked, bookedText, contract) = await ip.Payments.PostAsync(PaymentsClient.PaymentToken(organisationId: org), "/sandbox/v1/fx-contracts",
            "{\"UnitCurrency\":\"GBP\",\"CurrencyOfTransfer\":\"EUR\",\"Side\":\"Buy\",\"Amount\":{\"Amount\":\"1000.00\",\"Currency\":\"EUR\"},\"ValidFor\":\"P1D\"}");
        Assert.True(booked == HttpStatusCode.Created, bookedText);
        var id = contract.GetProperty("ContractIdentification").GetString()!;
        var rate = contract.GetProperty("ExchangeRate").GetRawText();

        var (wrong, _, wrongBody) = await ip.CreateConsentAsync(ip.Initiation(eri: InternationalClient.Eri("Agreed", rate: "9.999999", contract: id)), org);
        Assert.Equal(HttpStatusCode.BadRequest, wrong);
        Assert.Contains(("UK.OBIE.Field.Invalid", "Data.Initiation.ExchangeRateInformation.ExchangeRate"), InternationalClient.Errors(wrongBody));

        var consent = await ip.AuthorisedAsync(ip.Initiation(eri: InternationalClient.Eri("Agreed", rate: rate, contract: id)), org);
        var eri = consent.Created.GetProperty("Data").GetProperty("ExchangeRateInformation");
        Assert.Equal(id, eri.GetProperty("ContractIdentification").GetString());
        Assert.False(eri.TryGetProperty("ExpirationDateTime", out _));
        var (status, text, payment) = await ip.PayAsync(consent);
        Assert.True(status == HttpStatusCode.Created, text);
        Assert.Equal(decimal.Parse(rate, CultureInfo.InvariantCulture), InternationalClient.Rate(payment));
    }

    [Theory]
    [InlineData("v3.1", "10000", "JPY", "JPY", 0)]
    [InlineData("v3.1", "47.394", "BHD", "BHD", 3)]
    [InlineData("v4.0", "100.00", "GBP", "JPY", 0)]
    [InlineData("v4.0", "100.00", "GBP", "BHD", 3)]
    public async Task Amounts_AreRoundedHalfToEvenAtEachCurrencysExponent(string version, string amount, string currency, string transfer, int exponent)
    {
        var ip = new InternationalClient(factory, version);
        var org = InternationalClient.NewOrganisation();
        await _clock.MoveClockAsync(org, new { Freeze = true });
        var payment = await ip.PaidAsync(ip.Initiation(amount, currency, transfer, InternationalClient.Eri("Actual")), org);
        var rate = InternationalClient.Rate(payment);
        var fees = await ip.FeesAsync(org, "GBP", transfer);
        var instructed = decimal.Parse(amount, CultureInfo.InvariantCulture);
        var (principal, sent) = currency == "GBP"
            ? (InternationalClient.Minor(instructed, 2), InternationalClient.Minor(instructed * rate, exponent))
            : (InternationalClient.Minor(instructed / rate, 2), InternationalClient.Minor(instructed, exponent));
        var paymentId = InternationalClient.PaymentId(payment);
        var transferRow = await ip.Payments.WithDbAsync(db => db.InternationalTransfers.SingleAsync(t => t.PaymentId == paymentId, Ct));
        Assert.Equal(principal, transferRow.PrincipalMinor);
        Assert.Equal(sent, transferRow.TransferMinor);
        Assert.Equal(sent - fees.CorrespondentFeeMinor, transferRow.SentMinor);

        // The payer sees one debit of principal and fees, with the conversion (Basic permissions).
        var account = await ip.Payments.WithDbAsync(db => db.DomesticPayments.Where(x => x.Id == paymentId).Select(x => x.DebtorAccountId).SingleAsync(Ct));
        var debit = (await ip.TransactionsAsync(org, "alice", a => a.GetProperty("AccountId").GetString() == account))
            .Single(t => t.GetProperty("TransactionId").GetString() == paymentId);
        Assert.Equal(principal + fees.TransferFeeMinor, InternationalClient.AmountMinor(debit.GetProperty("Amount"), 2));
        var exchange = debit.GetProperty("CurrencyExchange");
        Assert.Equal("GBP", exchange.GetProperty("SourceCurrency").GetString());
        Assert.Equal(transfer, exchange.GetProperty("TargetCurrency").GetString());
        Assert.Equal(rate, exchange.GetProperty("ExchangeRate").GetDecimal());
        Assert.Equal(amount, exchange.GetProperty("InstructedAmount").GetProperty("Amount").GetString());
        Assert.Equal(currency, exchange.GetProperty("InstructedAmount").GetProperty("Currency").GetString());
    }

    [Theory]
    [InlineData("Shared")]
    [InlineData("BorneByDebtor")]
    [InlineData("BorneByCreditor")]
    public async Task Charges_FollowTheBearer_AndAreInTheConsentAndThePayment(string bearer)
    {
        var ip = new InternationalClient(factory);
        var org = InternationalClient.NewOrganisation();
        await _clock.MoveClockAsync(org, new { Freeze = true });
        var consent = await ip.AuthorisedAsync(ip.Initiation(eri: InternationalClient.Eri("Actual"), bearer: bearer, priority: "Urgent"), org);
        var rate = InternationalClient.Rate(consent.Created);
        var fees = await ip.FeesAsync(org, "GBP", "EUR", urgent: true);
        var ours = fees.TransferFeeMinor + fees.UrgentFeeMinor;
        var expected = new List<(string Type, long Minor, string Currency)>();
        void Add(string type, long minor, string currency)
        {
            if (minor > 0)
            {
                expected.Add(("UK.SandboxBank." + type, minor, currency));
            }
        }

        switch (bearer)
        {
            case "BorneByDebtor":
                Add("TransferFee", fees.TransferFeeMinor, "GBP");
                Add("UrgentFee", fees.UrgentFeeMinor, "GBP");
                Add("CorrespondentFee", InternationalClient.Minor(fees.CorrespondentFeeMinor / 100m / rate, 2), "GBP");
                break;
            case "BorneByCreditor":
                Add("TransferFee", InternationalClient.Minor(fees.TransferFeeMinor / 100m * rate, 2), "EUR");
                Add("UrgentFee", InternationalClient.Minor(fees.UrgentFeeMinor / 100m * rate, 2), "EUR");
                Add("CorrespondentFee", fees.CorrespondentFeeMinor, "EUR");
                break;
            default:
                Add("TransferFee", fees.TransferFeeMinor, "GBP");
                Add("UrgentFee", fees.UrgentFeeMinor, "GBP");
                Add("CorrespondentFee", fees.CorrespondentFeeMinor, "EUR");
                break;
        }

        static List<(string, long, string)> Charges(JsonElement body, string bearer)
            => body.GetProperty("Data").TryGetProperty("Charges", out var charges)
                ? [.. charges.EnumerateArray().Select(c =>
                {
                    Assert.Equal(bearer, c.GetProperty("ChargeBearer").GetString());
                    var currency = c.GetProperty("Amount").GetProperty("Currency").GetString()!;
                    return (c.GetProperty("Type").GetString()!, InternationalClient.AmountMinor(c.GetProperty("Amount"), 2), currency);
                })]
                : [];

        Assert.Equal(expected, Charges(consent.Created, bearer));
        var (status, text, payment) = await ip.PayAsync(consent);
        Assert.True(status == HttpStatusCode.Created, text);
        Assert.Equal(expected, Charges(payment, bearer));
        var paymentId = InternationalClient.PaymentId(payment);
        var debited = await ip.Payments.WithDbAsync(db => db.DomesticPayments.Where(p => p.Id == paymentId).Select(p => p.AmountMinor).SingleAsync(Ct));
        var principal = InternationalClient.Minor(100m / rate, 2);
        Assert.Equal(principal + expected.Where(e => e.Currency == "GBP").Sum(e => e.Minor), debited);
        _ = ours;
    }

    [Fact]
    public async Task FollowingServiceLevel_IsRefusedWhereTheTariffCannotHonourIt()
    {
        var ip = new InternationalClient(factory);
        var refusal = ip.Service<global::OpenBanking.Sandbox.Fx.IChargeTariff>().Refuses("FollowingServiceLevel", "USD", "UK.OBIE.SWIFT");
        var (status, text, body) = await ip.CreateConsentAsync(ip.Initiation(currency: "USD", bearer: "FollowingServiceLevel",
            eri: InternationalClient.Eri("Actual")), InternationalClient.NewOrganisation());
        if (refusal is null)
        {
            Assert.True(status == HttpStatusCode.Created, text);
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(("UK.OBIE.Field.Invalid", "Data.Initiation.ChargeBearer"), InternationalClient.Errors(body));
        }
    }

    [Theory]
    [InlineData("v3.1", 400, "UK.OBIE.Header.Invalid")]
    [InlineData("v4.0", 409, "U029")]
    public async Task AReusedKey_OnTheConsent_IsRefusedAsTheVersionSays(string version, int expected, string code)
    {
        var ip = new InternationalClient(factory, version);
        var org = InternationalClient.NewOrganisation();
        var key = Guid.NewGuid().ToString("N");
        var initiation = ip.Initiation(eri: InternationalClient.Eri("Actual"));
        var (first, _, created) = await ip.CreateConsentAsync(initiation, org, key);
        var (repeat, _, repeated) = await ip.CreateConsentAsync(initiation, org, key);
        Assert.Equal(HttpStatusCode.Created, first);
        Assert.Equal(HttpStatusCode.Created, repeat);
        Assert.Equal(created.GetProperty("Data").GetProperty("ConsentId").GetString(), repeated.GetProperty("Data").GetProperty("ConsentId").GetString());
        var (other, _, otherBody) = await ip.CreateConsentAsync(ip.Initiation(amount: "5.00"), org, key);
        Assert.Equal(expected, (int)other);
        Assert.Equal(code, InternationalClient.Errors(otherBody).First().Code);
    }

    [Theory]
    [InlineData("v3.1", "UK.OBIE.Header.Invalid")]
    [InlineData("v4.0", "U006")]
    public async Task AReusedKey_OnThePayment_Is400InBothVersions(string version, string code)
    {
        var ip = new InternationalClient(factory, version);
        var org = InternationalClient.NewOrganisation();
        var consent = await ip.AuthorisedAsync(ip.Initiation(eri: InternationalClient.Eri("Actual")), org);
        var key = Guid.NewGuid().ToString("N");
        var (first, text, made) = await ip.PayAsync(consent, key);
        Assert.True(first == HttpStatusCode.Created, text);
        var (repeat, _, again) = await ip.PayAsync(consent, key);
        Assert.Equal(HttpStatusCode.Created, repeat);
        Assert.Equal(InternationalClient.PaymentId(made), InternationalClient.PaymentId(again));
        var changed = consent.Initiation.Replace("\"e2e-1\"", "\"e2e-2\"", StringComparison.Ordinal);
        var (other, _, otherBody) = await ip.PayAsync(consent, key, changed);
        Assert.Equal(HttpStatusCode.BadRequest, other);
        Assert.Equal(code, InternationalClient.Errors(otherBody).First().Code);
    }

    [Fact]
    public async Task AHeldPayment_ReleasedByAReviewer_IsDebitedAndSettles()
    {
        var ip = new InternationalClient(factory, "v4.0");
        var org = InternationalClient.NewOrganisation();
        var payment = await ip.PaidAsync(ip.Initiation(creditorName: "Review Payee Ltd", eri: InternationalClient.Eri("Indicative")), org);
        var paymentId = InternationalClient.PaymentId(payment);
        Assert.Equal("PDNG", payment.GetProperty("Data").GetProperty("Status").GetString());
        Assert.Equal("NARR", payment.GetProperty("Data").GetProperty("StatusReason")[0].GetProperty("StatusReasonCode").GetString());
        Assert.Equal(HttpStatusCode.OK, await ip.ReviewAsync(org, paymentId, approve: true));
        await ip.Payments.SettleAsync();
        await ip.Payments.SettleAsync();
        var (_, final) = await ip.GetAsync($"/international-payments/{paymentId}", org);
        Assert.Equal("ACSC", final.GetProperty("Data").GetProperty("Status").GetString());
        var tenant = await ip.TenantAsync(org);
        var check = await ip.Payments.WithDbAsync(db => LedgerCheck.RunAsync(db, tenant, Ct));
        Assert.True(check.Holds, string.Join("; ", check.Problems));
    }

    [Fact]
    public async Task TheConsentJourney_ShowsTheTermsInPlainWords_AndTheDashboardListsIt()
    {
        var ip = new InternationalClient(factory);
        var org = InternationalClient.NewOrganisation();
        var consent = await ip.AuthorisedAsync(ip.Initiation(eri: InternationalClient.Eri("Actual")), org);
        using var client = ip.Payments.Sandbox.Client(SandboxFactory.InternalToken());
        var summary = JsonDocument.Parse(await client.GetStringAsync($"/internal/consents/{consent.ConsentId}", Ct)).RootElement;
        Assert.Equal("international-payment", summary.GetProperty("Kind").GetString());
        Assert.Equal("GBP", summary.GetProperty("Currency").GetString());
        var terms = summary.GetProperty("Terms").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.StartsWith("You send €100.00 to Hans Muller", terms[0], StringComparison.Ordinal);
        Assert.Contains("fixed until", terms[1], StringComparison.Ordinal);
        var dashboard = await _clock.DashboardAsync(org);
        Assert.Contains(dashboard, c => c.GetProperty("ConsentId").GetString() == consent.ConsentId);
    }
}
