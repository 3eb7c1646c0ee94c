using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Fx;

namespace OpenBanking.Sandbox.UnitTests.Fx;

/// <summary>The charges tariff: fees by currency and instrument, urgent payments, SEPA, bearers, per-tenant overrides.</summary>
public sealed class ChargeTariffTests
{
    private static readonly ChargeTariff Tariff = new(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(), TimeProvider.System);

    [Theory]
    [InlineData("GBP", "EUR", 500, 800)]
    [InlineData("GBP", "USD", 500, 1000)]
    [InlineData("EUR", "USD", 600, 1000)]
    [InlineData("USD", "GBP", 700, 800)]
    [InlineData("GBP", "JPY", 500, 1500)]
    [InlineData("GBP", "BHD", 500, 3750)]
    [InlineData("GBP", "INR", 500, 80000)]
    public void TheDefaultTariff_TakesTheTransferFeeInTheDebitCurrency_AndTheCorrespondentFeeInTheTransferCurrency(
        string debit, string transfer, long transferFee, long correspondentFee)
    {
        var fees = TariffTable.Default.Fees(debit, transfer, "UK.OBIE.SWIFT", urgent: false);
        Assert.Equal(new TariffFees(transferFee, 0, correspondentFee), fees);
    }

    [Fact]
    public void AnUrgentPayment_AddsTheUrgentFeeInTheDebitCurrency()
    {
        Assert.Equal(new TariffFees(500, 1000, 800), TariffTable.Default.Fees("GBP", "EUR", null, urgent: true));
        Assert.Equal(new TariffFees(600, 1000, 1000), TariffTable.Default.Fees("EUR", "USD", "UK.OBIE.SWIFT", urgent: true));
    }

    [Theory]
    [InlineData("UK.OBIE.SEPACreditTransfer")]
    [InlineData("UK.OBIE.SEPAInstantCreditTransfer")]
    public void ASepaTransferInEuros_IsFree(string instrument)
    {
        Assert.Equal(new TariffFees(0, 0, 0), TariffTable.Default.Fees("GBP", "EUR", instrument, urgent: true));
        // Target2 is not SEPA: the tariff applies.
        Assert.Equal(new TariffFees(500, 0, 800), TariffTable.Default.Fees("GBP", "EUR", "UK.OBIE.Target2", urgent: false));
    }

    [Theory]
    [InlineData("Shared", "USD", null)]
    [InlineData("BorneByDebtor", "JPY", "UK.OBIE.SWIFT")]
    [InlineData("BorneByCreditor", "EUR", null)]
    [InlineData("FollowingServiceLevel", "EUR", "UK.OBIE.SEPACreditTransfer")]
    [InlineData("FollowingServiceLevel", "EUR", "UK.OBIE.SEPAInstantCreditTransfer")]
    public void EveryBearer_IsHonoured_FollowingServiceLevelOnlyForSepaEuros(string bearer, string currency, string? instrument)
        => Assert.Null(Tariff.Refuses(bearer, currency, instrument));

    [Theory]
    [InlineData("FollowingServiceLevel", "USD", "UK.OBIE.SWIFT", "FollowingServiceLevel is honoured only for a SEPA credit transfer in euros")]
    [InlineData("FollowingServiceLevel", "EUR", null, "this payment is EUR with no LocalInstrument")]
    [InlineData("FollowingServiceLevel", "EUR", "UK.OBIE.SWIFT", "this payment is EUR by UK.OBIE.SWIFT")]
    [InlineData("Whoever", "EUR", null, "ChargeBearer must be BorneByDebtor, BorneByCreditor, Shared or FollowingServiceLevel.")]
    public void ABearerTheTariffCannotHonour_IsRefusedInWords(string bearer, string currency, string? instrument, string words)
        => Assert.Contains(words, Tariff.Refuses(bearer, currency, instrument), StringComparison.Ordinal);

    [Fact]
    public void ATenantsTariff_OverridesOnlyWhatItNames()
    {
        var table = TariffTable.Parse("""{"TransferFee": {"GBP": "2.50", "EUR": 0}, "CorrespondentFee": {"JPY": "900", "USD": "12.00"}, "UrgentFee": {"GBP": "20.00"}}""");

        Assert.Equal(new TariffFees(250, 2000, 90_000 / 100), table.Fees("GBP", "JPY", null, urgent: true));
        Assert.Equal(new TariffFees(0, 0, 1200), table.Fees("EUR", "USD", null, urgent: false));
        Assert.Equal(new TariffFees(700, 0, 800), table.Fees("USD", "EUR", null, urgent: false));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("""{"TransferFee": {"GBP": "five pounds", "gbp": "1.00", "EUR": "1.001"}}""")]
    public void AMissingOrUnreadableOverride_LeavesTheDefault(string? json)
    {
        var table = TariffTable.Parse(json);
        Assert.Equal(TariffTable.Default.Fees("GBP", "EUR", null, true), table.Fees("GBP", "EUR", null, true));
        Assert.Equal(TariffTable.Default.Fees("EUR", "GBP", null, true), table.Fees("EUR", "GBP", null, true));
    }
}
