using OpenBanking.Sandbox.Payee;

namespace OpenBanking.Sandbox.UnitTests.Payee;

public sealed class NameMatcherTests
{
    [Theory]
    [InlineData("John Smith", "John Smith")]
    [InlineData("JOHN SMITH", "John Smith")]
    [InlineData("Smith John", "John Smith")]
    [InlineData("Mr John Smith", "John Smith")]
    [InlineData("Dr. John Smith", "Mr John Smith")]
    [InlineData("J Smith", "John Smith")]
    [InlineData("J. Smith", "John Smith")]
    [InlineData("John Smith", "John Andrew Smith")]
    [InlineData("J A Smith", "John Andrew Smith")]
    [InlineData("JA Smith", "John Andrew Smith")]
    [InlineData("Sarah Jones", "Sarah Elizabeth Jones")]
    [InlineData("Zoë O'Brien", "Zoe OBrien")]
    [InlineData("Acme Plumbing", "Acme Plumbing Ltd")]
    [InlineData("ACME PLUMBING LIMITED", "Acme Plumbing Ltd")]
    [InlineData("Evans and Daughters Builders Ltd", "Evans & Daughters Builders Ltd")]
    public void SameNameWrittenDifferently_IsAFullMatch(string given, string onAccount)
        => Assert.Equal(NameMatch.Full, NameMatcher.Compare(given, onAccount));

    [Theory]
    [InlineData("Jon Smyth", "John Smith")]
    [InlineData("John Smyth", "John Smith")]
    [InlineData("Jon Smith", "John Smith")]
    [InlineData("J Smyth", "John Smith")]
    [InlineData("Acme Plumbers", "Acme Plumbing Ltd")]
    [InlineData("Hughes Design Studios", "Hughes Design Studio Ltd")]
    public void NearSpelling_IsACloseMatch(string given, string onAccount)
        => Assert.Equal(NameMatch.Close, NameMatcher.Compare(given, onAccount));

    [Theory]
    [InlineData("Jane Smith", "John Smith")]
    [InlineData("John Brown", "John Smith")]
    [InlineData("Erin", "Hughes Design Studio Ltd")]
    [InlineData("A Smith", "John Smith")]
    [InlineData("Andrew Smith", "John Andrew Smith")]
    [InlineData("Mr", "John Smith")]
    [InlineData("", "John Smith")]
    public void AnotherName_IsNoMatch(string given, string onAccount)
        => Assert.Equal(NameMatch.None, NameMatcher.Compare(given, onAccount));

    [Fact]
    public void Words_DropTitlesAndLegalSuffixes_AsTheSanctionsScreenNormalises()
        => Assert.Equal(["JOHN", "SMITH", "AND", "SONS"], NameMatcher.Words("Mr John Smith & Sons Ltd."));
}
