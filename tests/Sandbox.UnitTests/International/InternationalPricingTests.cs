using OpenBanking.Sandbox.Fx;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.International;

namespace OpenBanking.Sandbox.UnitTests.International;

/// <summary>
/// The arithmetic of a payment abroad (docs/international-payments.md), with the brief's worked example: a GBP account,
/// €100.00 sent (shape A), mid 1.168402, customer rate 1.164313, fees £5.00 (ours) and €8.00 (correspondent).
/// </summary>
public sealed class InternationalPricingTests
{
    private static readonly TariffFees Fees = new(500, 0, 800);

    [Theory]
    [InlineData("Shared", 8589, 500, 10000, 800, 9200)]
    [InlineData("BorneByDebtor", 8589, 1187, 10000, 0, 10000)]
    [InlineData("BorneByCreditor", 8589, 0, 10000, 1382, 8618)]
    public void TheBearer_DecidesWhoPaysWhich(string bearer, long principal, long debtorFee, long transfer, long deducted, long sent)
    {
        var price = InternationalPricing.Price(10000, "EUR", "GBP", "EUR", 1.164313m, 1.168402m, Fees, bearer);
        Assert.Equal((principal, debtorFee, transfer, deducted, sent), (price.PrincipalMinor, price.DebtorFeeMinor, price.TransferMinor, price.DeductedFeeMinor, price.SentMinor));
        Assert.Equal(8559, price.AtMidMinor);
        Assert.Equal(30, price.SpreadMinor);
    }

    [Theory]
    [InlineData(10000, "GBP", "JPY", 189.547879, 10000, 18955)]
    [InlineData(10000, "GBP", "BHD", 0.473940, 10000, 47394)]
    [InlineData(10000, "JPY", "JPY", 189.547879, 5276, 10000)]
    public void Amounts_AreRoundedHalfToEven_AtEachCurrencysExponent(long instructed, string currency, string transfer, double rate, long principal, long sent)
    {
        var price = InternationalPricing.Price(instructed, currency, "GBP", transfer, (decimal)rate, (decimal)rate, new TariffFees(0, 0, 0), "Shared");
        Assert.Equal(principal, price.PrincipalMinor);
        Assert.Equal(sent, price.TransferMinor);
    }

    [Fact]
    public void ThePostings_BalancePerCurrency_AndCarryTheSpreadAndFees()
    {
        var payment = new DomesticPayment
        {
            Id = "ip-1", ClientId = "c", ConsentId = "ipc-1", CustomerId = "cu", DebtorAccountId = "acc-1", Currency = "GBP",
            CreditorName = "Hans", CreditorIdentification = "DE89", RiskReasons = string.Empty,
        };
        var transfer = new InternationalTransfer
        {
            PaymentId = "ip-1", ConsentId = "ipc-1", DebitCurrency = "GBP", TransferCurrency = "EUR", ChargeBearer = "Shared", ChargesJson = "[]",
        };
        InternationalLedger.Apply(payment, transfer, InternationalPricing.Price(10000, "EUR", "GBP", "EUR", 1.164313m, 1.168402m, Fees, "Shared"),
            1.164313m, 1.168402m, DateTimeOffset.UnixEpoch);
        var postings = InternationalLedger.DebitPostings(payment, transfer).ToList();
        Assert.Equal(9089, payment.AmountMinor);
        Assert.Equal(
            new[] { ("acc-1", -9089L), (LedgerAccounts.FxPosition("GBP"), 8559L), (LedgerAccounts.FxPnl("GBP"), 30L), (LedgerAccounts.FeesPnl("GBP"), 500L) },
            postings[0].Lines.Select(l => (l.LedgerAccount, l.AmountMinor)));
        Assert.Equal(
            new[] { (LedgerAccounts.FxPosition("EUR"), -10000L), (LedgerAccounts.Clearing("EUR"), 9200L), (LedgerAccounts.FeesPnl("EUR"), 800L) },
            postings[1].Lines.Select(l => (l.LedgerAccount, l.AmountMinor)));
        Assert.Equal(9200, InternationalLedger.Settlement(payment, transfer).Lines[1].AmountMinor);
    }
}

/// <summary>Screening's findings and verdicts as the risk rules weigh them (issue 18).</summary>
public sealed class ScreeningInRiskRulesTests
{
    private static readonly RiskHistory Usual = new(DebitCount: 200, MeanDebitMinor: 3_000, StdDevDebitMinor: 1_500,
        PaymentsLast10Minutes: 0, PaymentsLastHour: 0, KnownPayee: true, UsualCurrency: "GBP");

    [Fact]
    public void Findings_AddTheirPoints_WithTheirReasons()
    {
        var risk = RiskRules.Assess(2_500, "GBP", 14, Usual, extra: [new RiskFinding(30, "HighRiskCountry: MM"), new RiskFinding(10, "NewDestinationCountry: MM")]);
        Assert.Equal(40, risk.Score);
        Assert.Equal(["HighRiskCountry: MM (+30)", "NewDestinationCountry: MM (+10)"], risk.Reasons);
    }

    [Theory]
    [InlineData(RiskDecision.Review, 55)]
    [InlineData(RiskDecision.Reject, 95)]
    public void AForcedVerdict_StandsWhateverTheScore(RiskDecision forced, int score)
    {
        var risk = RiskRules.Assess(2_500, "GBP", 14, Usual, forced: forced);
        Assert.Equal(score, risk.Score);
        Assert.Equal(forced, risk.Decision);
    }
}
