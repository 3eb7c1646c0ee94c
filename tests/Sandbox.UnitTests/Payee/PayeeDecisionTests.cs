using OpenBanking.Sandbox.Payee;

namespace OpenBanking.Sandbox.UnitTests.Payee;

/// <summary>Every outcome and Pay.UK reason code the responding bank gives for an account it holds (or does not).</summary>
public sealed class PayeeDecisionTests
{
    private static readonly PayeeAccount JohnSmith = new("John Smith", PayeeAccountType.Personal);
    private static readonly PayeeAccount Acme = new("Acme Plumbing Ltd", PayeeAccountType.Business);

    private static PayeeQuery Query(string name, PayeeAccountType? type = PayeeAccountType.Personal, string? roll = null)
        => new("309634", "12345678", name, type, roll);

    [Fact]
    public void SameNameAndType_IsMatched_WithNoReasonOrName()
    {
        var check = PayeeChecks.Decide(Query("Mr J Smith"), JohnSmith);
        Assert.Equal(new PayeeCheck(PayeeOutcome.Match, true, null, null), check);
        Assert.Null(check.Risk);
    }

    [Fact]
    public void NoAccountTypeGiven_MatchesOnTheNameAlone()
        => Assert.True(PayeeChecks.Decide(Query("Acme Plumbing", type: null), Acme).Matched);

    [Theory]
    [InlineData("Jon Smyth", PayeeAccountType.Personal, "John Smith", PayeeAccountType.Personal, "MBAM")]
    [InlineData("Acme Plumbing", PayeeAccountType.Personal, "Acme Plumbing Ltd", PayeeAccountType.Business, "BANM")]
    [InlineData("John Smith", PayeeAccountType.Business, "John Smith", PayeeAccountType.Personal, "PANM")]
    [InlineData("Acme Plumbers", PayeeAccountType.Personal, "Acme Plumbing Ltd", PayeeAccountType.Business, "BAMM")]
    [InlineData("Jon Smyth", PayeeAccountType.Business, "John Smith", PayeeAccountType.Personal, "PAMM")]
    public void CloseMatchOrOtherAccountType_IsNotMatched_AndNamesTheHolder(
        string given, PayeeAccountType asked, string holder, PayeeAccountType held, string reason)
    {
        var check = PayeeChecks.Decide(Query(given, asked), new PayeeAccount(holder, held));
        Assert.Equal(new PayeeCheck(PayeeOutcome.CloseMatch, false, reason, holder), check);
        Assert.Equal(PayeeChecks.CloseMatchPoints, check.Risk?.Points);
    }

    [Fact]
    public void AnotherName_IsANNM_WithoutTheHoldersName()
    {
        var check = PayeeChecks.Decide(Query("Jane Doe"), JohnSmith);
        Assert.Equal(new PayeeCheck(PayeeOutcome.NoMatch, false, "ANNM", null), check);
        Assert.Equal(PayeeChecks.NoMatchPoints, check.Risk?.Points);
        Assert.Contains("does not match", check.Risk?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NoSuchAccount_IsAC01()
    {
        var check = PayeeChecks.Decide(Query("John Smith"), null);
        Assert.Equal(new PayeeCheck(PayeeOutcome.AccountNotFound, false, "AC01", null), check);
        Assert.Equal(PayeeChecks.NoMatchPoints, check.Risk?.Points);
    }

    [Theory]
    [InlineData(PayeeAccountStatus.OptedOut, "OPTO")]
    [InlineData(PayeeAccountStatus.Switched, "CASS")]
    [InlineData(PayeeAccountStatus.Unsupported, "ACNS")]
    public void AnAccountThatDoesNotAnswer_IsNotChecked_WithItsReason(PayeeAccountStatus status, string reason)
    {
        var check = PayeeChecks.Decide(Query("John Smith"), JohnSmith with { Status = status });
        Assert.Equal(new PayeeCheck(PayeeOutcome.NotChecked, false, reason, null), check);
        Assert.Null(check.Risk);
    }

    [Theory]
    [InlineData(null, "IVCR")]
    [InlineData("ROLL-9999/9", "IVCR")]
    [InlineData("roll-1234/5", null)]
    public void ABuildingSocietyAccount_NeedsItsRollNumber(string? roll, string? reason)
    {
        var check = PayeeChecks.Decide(Query("Grace Taylor", roll: roll), new PayeeAccount("Grace Taylor", PayeeAccountType.Personal, SecondaryIdentification: "ROLL-1234/5"));
        Assert.Equal(reason, check.ReasonCode);
        Assert.Equal(reason is null, check.Matched);
    }

    [Fact]
    public void TheSeededDirectory_HasAnEntryForEachDocumentedScenario_AndBothAccountTypes()
    {
        var directory = PayeeDirectory.Seeded();
        Assert.InRange(directory.Entries.Count, 25, 40);
        Assert.Contains(directory.Entries, e => e.Status == PayeeAccountStatus.OptedOut);
        Assert.Contains(directory.Entries, e => e.Status == PayeeAccountStatus.Switched);
        Assert.Contains(directory.Entries, e => e.Status == PayeeAccountStatus.Unsupported);
        Assert.Contains(directory.Entries, e => e.SecondaryIdentification is not null);
        Assert.Contains(directory.Entries, e => e.AccountType == PayeeAccountType.Business);
        Assert.Equal("John Smith", directory.Find("309634", "12345678")?.Name);
        // The tests' default payee (20-00-00) and the generated beneficiaries' banks (20…, 40…) are not on the service.
        Assert.DoesNotContain(directory.SortCodes, s => s.StartsWith("20", StringComparison.Ordinal) || s.StartsWith("40", StringComparison.Ordinal));
        Assert.DoesNotContain("608371", directory.SortCodes);
    }

    [Theory]
    [InlineData("{\"BeneficiaryAccountType\":\"Business\"}", PayeeAccountType.Business)]
    [InlineData("{\"BeneficiaryAccountType\":\"Charity\"}", PayeeAccountType.Business)]
    [InlineData("{\"BeneficiaryAccountType\":\"JointPersonal\"}", PayeeAccountType.Personal)]
    [InlineData("{}", null)]
    public void AConsentsQuery_TakesTheAccountTypeFromTheRiskBlock(string risk, PayeeAccountType? expected)
    {
        var query = PayeeQuery.ForConsent(PayeeChecks.SortCodeScheme, "30963412345678", "John Smith",
            "{\"CreditorAccount\":{\"SecondaryIdentification\":\"R1\"}}", risk);
        Assert.Equal(new PayeeQuery("309634", "12345678", "John Smith", expected, "R1"), query);
    }

    [Fact]
    public void AConsentPayingAnIban_IsNotChecked()
        => Assert.Null(PayeeQuery.ForConsent("UK.OBIE.IBAN", "GB82WEST12345698765432", "John Smith", "{}", "{}"));
}
