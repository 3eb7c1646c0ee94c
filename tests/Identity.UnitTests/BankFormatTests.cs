using OpenBanking.Identity.Customers;

namespace OpenBanking.Identity.UnitTests;

public sealed class BankFormatTests
{
    [Theory]
    [InlineData("10290.41 GBP", "CurrentAccount", "£10,290.41")]
    [InlineData("-493.10 GBP", "CurrentAccount", "\u2212£493.10 overdrawn")]
    [InlineData("-120.00 GBP", "CreditCard", "£120.00 to pay")]
    [InlineData("0.00 EUR", "CurrentAccount", "€0.00")]
    [InlineData("1500.5 CHF", "Savings", "1,500.50 CHF")]
    [InlineData("not money", "Savings", "not money")]
    public void Balance_IsWrittenAsMoney(string balance, string subType, string expected)
        => Assert.Equal(expected, BankFormat.Balance(balance, subType));

    [Theory]
    [InlineData("CurrentAccount", "Current account")]
    [InlineData("Savings", "Savings account")]
    [InlineData("CreditCard", "Credit card")]
    [InlineData("Unknown", "Unknown")]
    public void AccountType_IsInWords(string code, string expected) => Assert.Equal(expected, BankFormat.AccountType(code));

    [Fact]
    public void Money_FromTheWireAmount() => Assert.Equal("£7.50", BankFormat.Money("7.50", "GBP"));

    [Theory]
    [InlineData("18955", "JPY", "18,955 JPY")]
    [InlineData("47.394", "BHD", "47.394 BHD")]
    [InlineData("1234.5", "EUR", "€1,234.50")]
    [InlineData("92", "CHF", "92.00 CHF")]
    public void Money_HasTheCurrencysOwnDecimals(string amount, string currency, string expected)
        => Assert.Equal(expected, BankFormat.Money(amount, currency));
}
