using OpenBanking.Sandbox.Fraud;

namespace OpenBanking.Sandbox.UnitTests.Fraud;

public sealed class FraudFeaturesTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 14, 0, 0, DateTimeKind.Utc);

    /// <summary>A customer of 60 debits averaging £40 (sd £10), mostly paid 09:00–17:00, £1,000 available, paying a payee known for a year.</summary>
    private static FraudHistory History(
        int debits = 60, DateTime? payeeFirstSeen = null, bool newPayee = false, long available = 100_000, int lastHour = 0, int lastDay = 0,
        int inbound = 0, long inboundMinor = 0, DateTime? payeeOpened = null, string? usualCurrency = "GBP")
    {
        return new FraudHistory(debits, 4_000, 1_000, available, newPayee ? null : payeeFirstSeen ?? Now.AddDays(-365), payeeOpened,
            lastHour, lastDay, inbound, inboundMinor, usualCurrency);
    }

    private static FraudPayment Payment(long amount = 4_000, int hour = 14, DateTime? consent = null, string? context = "PartyToParty",
        string creditor = "20000012345678", string currency = "GBP", int ruleScore = 0)
        => new(amount, currency, creditor, Now, hour, consent ?? Now.AddMinutes(-2), context, ruleScore);

    [Fact]
    public void Amount_AgainstTheCustomersUsual_IsARatioAndAZScore()
    {
        var f = FraudFeatures.Extract(Payment(amount: 56_000), History());

        Assert.Equal(14, f[FraudFeatures.AmountToUsual], 3);
        Assert.Equal(52, f[FraudFeatures.AmountZScore], 3);
        Assert.Equal(Math.Log10(56_001), f[FraudFeatures.AmountLog], 3);
    }

    [Fact]
    public void Amount_WithoutHistory_IsUnknownRatherThanHuge()
    {
        var f = FraudFeatures.Extract(Payment(amount: 56_000), History(debits: 2));

        Assert.Equal(-1, f[FraudFeatures.AmountToUsual]);
        Assert.Equal(-1, f[FraudFeatures.AmountZScore]);
    }

    [Fact]
    public void Payee_NewOrRecentlyAdded_IsFlaggedWithItsAgeInMinutes()
    {
        var fresh = FraudFeatures.Extract(Payment(), History(newPayee: true));
        var recent = FraudFeatures.Extract(Payment(), History(payeeFirstSeen: Now.AddMinutes(-99)));

        Assert.Equal((1f, -1f), (fresh[FraudFeatures.NewPayee], fresh[FraudFeatures.PayeeAgeMinutesLog]));
        Assert.Equal((0f, 2f), (recent[FraudFeatures.NewPayee], recent[FraudFeatures.PayeeAgeMinutesLog]));
    }

    [Fact]
    public void PayeeAccountAge_IsKnownOnlyForAnAccountOfThisBank()
    {
        Assert.Equal(-1, FraudFeatures.Extract(Payment(), History())[FraudFeatures.PayeeAccountAgeDaysLog]);
        Assert.Equal(1, FraudFeatures.Extract(Payment(), History(payeeOpened: Now.AddDays(-9)))[FraudFeatures.PayeeAccountAgeDaysLog], 3);
    }

    [Fact]
    public void Velocity_CountsTheLastHourAndDay()
    {
        var f = FraudFeatures.Extract(Payment(), History(lastHour: 4, lastDay: 11));

        Assert.Equal((4f, 11f), (f[FraudFeatures.PaymentsLastHour], f[FraudFeatures.PaymentsLastDay]));
    }

    [Fact]
    public void ShareOfBalance_IsCappedAndAnOverdrawnAccountCountsAsDrained()
    {
        Assert.Equal(0.75f, FraudFeatures.Extract(Payment(amount: 75_000), History())[FraudFeatures.ShareOfBalance], 3);
        Assert.Equal(2, FraudFeatures.Extract(Payment(amount: 500_000), History())[FraudFeatures.ShareOfBalance]);
        Assert.Equal(2, FraudFeatures.Extract(Payment(amount: 100), History(available: -5))[FraudFeatures.ShareOfBalance]);
    }

    [Fact]
    public void CrossCurrencyAndCrossBorder_AreFlags()
    {
        var f = FraudFeatures.Extract(Payment(currency: "EUR", creditor: "DE89370400440532013000"), History());
        var uk = FraudFeatures.Extract(Payment(creditor: "GB29NWBK60161331926819"), History());

        Assert.Equal((1f, 1f), (f[FraudFeatures.CrossCurrency], f[FraudFeatures.CrossBorder]));
        Assert.Equal((0f, 0f), (uk[FraudFeatures.CrossCurrency], uk[FraudFeatures.CrossBorder]));
    }

    [Fact]
    public void ConsentAge_IsMinutesFromTheConsentToThePayment()
    {
        Assert.Equal(4, FraudFeatures.Extract(Payment(consent: Now.AddMinutes(-9_999)), History())[FraudFeatures.ConsentAgeMinutesLog], 3);
        Assert.Equal(-1, FraudFeatures.Extract(Payment() with { ConsentCreatedAt = null }, History())[FraudFeatures.ConsentAgeMinutesLog]);
    }

    [Fact]
    public void ContextCode_IsAnOrdinalWithZeroForNoneOrUnknown()
    {
        Assert.Equal(12, FraudFeatures.Extract(Payment(context: "PartyToParty"), History())[FraudFeatures.ContextCode]);
        Assert.Equal(1, FraudFeatures.Extract(Payment(context: "BillingGoodsAndServicesInAdvance"), History())[FraudFeatures.ContextCode]);
        Assert.Equal(0, FraudFeatures.Extract(Payment(context: null), History())[FraudFeatures.ContextCode]);
        Assert.Equal(0, FraudFeatures.Extract(Payment(context: "Nonsense"), History())[FraudFeatures.ContextCode]);
    }

    [Fact]
    public void Inbound_CountsTheLastDaysCreditsAndTheirShareOfThePayment()
    {
        var f = FraudFeatures.Extract(Payment(amount: 90_000), History(inbound: 12, inboundMinor: 100_000));

        Assert.Equal((12f, 0.9f), (f[FraudFeatures.InboundLastDay], f[FraudFeatures.AmountToInbound]));
    }

    [Fact]
    public void RoundAmountAndRuleScore_AreCarriedOver()
    {
        var f = FraudFeatures.Extract(Payment(amount: 250_000, ruleScore: 45), History());

        Assert.Equal((1f, 45f), (f[FraudFeatures.RoundAmount], f[FraudFeatures.RuleScore]));
        Assert.Equal(0, FraudFeatures.Extract(Payment(amount: 250_001), History())[FraudFeatures.RoundAmount]);
    }

    [Fact]
    public void Describe_SaysWhatRaisedTheScoreInWords()
    {
        var history = History(payeeFirstSeen: Now.AddMinutes(-3));
        var payment = Payment(amount: 56_000, hour: 3);
        var f = FraudFeatures.Extract(payment, history);

        Assert.Equal("amount 14× usual (560.00 against 40.00)", FraudFeatures.Describe(FraudFeatures.AmountToUsual, payment, history, f));
        Assert.Equal("payee added 3 minutes ago", FraudFeatures.Describe(FraudFeatures.PayeeAgeMinutesLog, payment, history, f));
        Assert.Equal("first payment to a new payee", FraudFeatures.Describe(FraudFeatures.NewPayee, payment, History(newPayee: true), f));
        Assert.Null(FraudFeatures.Describe(FraudFeatures.RuleScore, payment, history, f));
    }

    [Fact]
    public void Names_MatchTheVector()
    {
        Assert.Equal(FraudFeatures.Count, FraudFeatures.Names.Count);
        Assert.Equal("RuleScore", FraudFeatures.Names[FraudFeatures.RuleScore]);
        Assert.Equal("ConsentAgeMinutesLog", FraudFeatures.Names[FraudFeatures.ConsentAgeMinutesLog]);
    }
}
