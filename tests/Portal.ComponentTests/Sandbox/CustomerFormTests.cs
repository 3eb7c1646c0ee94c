using OpenBanking.Portal.Partners;

namespace OpenBanking.Portal.ComponentTests.Sandbox;

/// <summary>The "Add test customer" form: the request it sends, uploaded histories, and where each Sandbox error shows.</summary>
public sealed class CustomerFormTests
{
    [Fact]
    public void TheRequest_CarriesATemplateOrTheUploadedList_PerAccount()
    {
        var form = new CustomerForm { Username = " zoe ", Name = "Zoe Test", Password = "" };
        form.Accounts[0].History = HistoryKind.Template;
        form.Accounts[0].Months = 12;
        form.Accounts.Add(new CustomerAccountForm { Currency = "eur", OpeningBalance = "50", History = HistoryKind.Upload, Uploaded = [new("2026-01-01T00:00:00Z", "-5.00", "Coffee")] });

        var request = form.ToRequest();

        Assert.Equal("zoe", request.Username);
        Assert.Null(request.Password);
        Assert.Equal(12, request.Accounts[0].Template!.Months);
        Assert.Equal("moderate", request.Accounts[0].Template!.CardSpending);
        Assert.Null(request.Accounts[0].Transactions);
        Assert.Equal("EUR", request.Accounts[1].Currency);
        Assert.Null(request.Accounts[1].Template);
        Assert.Equal("Coffee", Assert.Single(request.Accounts[1].Transactions!).Description);
    }

    [Fact]
    public void AnUpload_IsAnArrayOrAnObjectWithTransactions_NamesInAnyCase_AmountsAsNumbersOrStrings()
    {
        var (array, arrayError) = CustomerForm.ParseUpload("""[{"bookingDateTime":"2026-01-31T09:00:00Z","amount":-12.5,"description":"Coffee","merchantName":"Bean"}]""");
        var (wrapped, _) = CustomerForm.ParseUpload("""{"Transactions":[{"BookingDateTime":"2026-01-31T09:00:00Z","Amount":"100.00","Description":"Pay"}]}""");

        Assert.Null(arrayError);
        Assert.Equal(new Platform.NewTransaction("2026-01-31T09:00:00Z", "-12.5", "Coffee", "Bean"), Assert.Single(array!));
        Assert.Equal("100.00", Assert.Single(wrapped!).Amount);
    }

    [Theory]
    [InlineData("not json", "The file is not valid JSON")]
    [InlineData("""{"Items":[]}""", "without a \"Transactions\" array")]
    [InlineData("[]", "holds no transactions")]
    [InlineData("[1]", "Item 0 is not an object")]
    public void ABadUpload_SaysWhatIsWrong(string text, string expected)
    {
        var (transactions, error) = CustomerForm.ParseUpload(text);

        Assert.Null(transactions);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void SandboxErrors_GoNextToTheirFields_HistoryErrorsUnderTheirAccount_TheRestAtTheFoot()
    {
        var form = new CustomerForm();
        form.Accounts.Add(new CustomerAccountForm());
        form.SetErrors(new Dictionary<string, string[]>
        {
            ["username"] = ["Use 3 to 40 characters."],
            ["Accounts[0].Currency"] = ["The bank does not hold XYZ accounts."],
            ["Accounts[1].Transactions[3].Amount"] = ["Use at most 2 decimals for GBP."],
            ["Accounts[1].Template.Months"] = ["Use 1 to 24 months."],
            ["Something"] = ["An error the form has no field for."],
        });

        Assert.Equal("Use 3 to 40 characters.", form.ErrorFor("Username"));
        Assert.Equal("The bank does not hold XYZ accounts.", form.ErrorFor("Accounts[0].Currency"));
        Assert.Empty(form.HistoryErrors(0));
        Assert.Equal(["Template.Months: Use 1 to 24 months.", "Transactions[3].Amount: Use at most 2 decimals for GBP."], form.HistoryErrors(1));
        Assert.Equal(["An error the form has no field for."], form.OtherErrors());
    }
}
