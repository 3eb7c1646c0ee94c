using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Payments.Screening;

namespace OpenBanking.Sandbox.UnitTests.Screening;

public sealed class CreditorScreeningTests
{
    private static readonly SanctionsList Sample = SanctionsList.Sample();

    private static CreditorScreening Screening(int threshold = 90)
        => new(Sample, new FixedOptions(new ScreeningOptions { SanctionsThreshold = threshold }));

    private static CreditorDetails Payee(string name, string iban = "DE89370400440532013000", string? destination = null, string? bic = null, params string[] addressCountries)
        => new(name, CreditorIdentifiers.Iban, iban, bic is null ? null : CreditorIdentifiers.Bic, bic, destination, addressCountries, "EUR", null);

    private static readonly IReadOnlySet<string> PaidDe = new HashSet<string> { "DE" };

    [Theory]
    [InlineData("Sanctioned Trading Co")]
    [InlineData("SANCTIONED TRADING CO.")]
    [InlineData("Sanctioned Trading Ltd")]
    [InlineData("Bank Meli Iran")]
    [InlineData("Iran Bank Melli")]
    [InlineData("Rosoboronexport JSC")]
    [InlineData("The Wagner Group")]
    [InlineData("Foreign Trade Bank of the Democratic Peoples Republic of Korea")]
    public void ListedNamesAndCloseMisspellings_AreHeldForReview(string name)
    {
        var result = Screening().Screen(Payee(name), 10_000, "GBP", PaidDe);
        Assert.Equal(ScreeningOutcome.Review, result.Outcome);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(CreditorScreening.SanctionsHitPoints, finding.Points);
        Assert.StartsWith($"SanctionsNameMatch: '{name}' ~ '", finding.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bank")]
    [InlineData("Iran")]
    [InlineData("Trading Co")]
    [InlineData("Korea")]
    [InlineData("Hans Müller")]
    [InlineData("Acme Widgets GmbH")]
    [InlineData("Ltd")]
    public void AWordOfAListedName_DoesNotHit(string name)
    {
        // TokenSetRatio("BANK", "BANK MELLI IRAN") is 100: a subset scores as a match. TokenSortRatio does not.
        Assert.Equal(100, FuzzySharp.Fuzz.TokenSetRatio("BANK", "BANK MELLI IRAN"));
        Assert.Equal(42, FuzzySharp.Fuzz.TokenSortRatio("BANK", "BANK MELLI IRAN", FuzzySharp.PreProcess.PreprocessMode.None));
        var result = Screening().Screen(Payee(name), 10_000, "GBP", PaidDe);
        Assert.Equal(ScreeningOutcome.Clear, result.Outcome);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Threshold_IsConfigurable()
    {
        var score = Sample.BestMatch("Bank Meli Iran")!.Score;
        Assert.InRange(score, 90, 99);
        Assert.Equal(ScreeningOutcome.Review, Screening(threshold: score).Screen(Payee("Bank Meli Iran"), 1, "GBP", PaidDe).Outcome);

        var above = Screening(threshold: score + 1).Screen(Payee("Bank Meli Iran"), 1, "GBP", PaidDe);
        Assert.Equal(ScreeningOutcome.Clear, above.Outcome);
        Assert.StartsWith("PossibleSanctionsMatch:", Assert.Single(above.Findings).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NearMiss_BetweenEightyAndTheThreshold_AddsPointsWithoutHolding()
    {
        var result = Screening(threshold: 101).Screen(Payee("Sanctioned Trading Co"), 1, "GBP", PaidDe);
        Assert.Equal(ScreeningOutcome.Clear, result.Outcome);
        Assert.Equal(CreditorScreening.PossibleMatchPoints, Assert.Single(result.Findings).Points);
    }

    [Theory]
    [InlineData("KP", null)]
    [InlineData(null, "IR")]
    public void EmbargoedCountry_IsRejected(string? destination, string? addressCountry)
    {
        var payee = new CreditorDetails("Kim Trading", CreditorIdentifiers.Bban, "123456", CreditorIdentifiers.Bic, "KKBCKPPY", destination, addressCountry is null ? [] : [addressCountry], "EUR", null);
        var result = Screening().Screen(payee, 10_000, "GBP", PaidDe);
        Assert.Equal(ScreeningOutcome.Reject, result.Outcome);
        Assert.Contains(result.Findings, f => f.Points == CreditorScreening.EmbargoPoints && f.Reason.StartsWith("EmbargoedCountry: KP", StringComparison.Ordinal));
    }

    [Fact]
    public void HighRiskCountry_AddsThirtyPoints()
    {
        var payee = new CreditorDetails("Lagos Traders", CreditorIdentifiers.Bban, "0123456789", CreditorIdentifiers.Bic, "FBNINGLA", "NG", [], "USD", null);
        var result = Screening().Screen(payee, 10_000, "GBP", new HashSet<string> { "NG" });
        Assert.Equal(ScreeningOutcome.Clear, result.Outcome);
        Assert.Equal([new ScreeningFinding(CreditorScreening.HighRiskPoints, "HighRiskCountry: NG")], result.Findings);
    }

    [Fact]
    public void NewDestination_AddsTenPoints_ButNotForHomeOrAKnownCountry()
    {
        Assert.Equal("NewDestinationCountry: FR", Assert.Single(Screening().Screen(Payee("Marie Curie", "FR1420041010050500013M02606"), 1, "GBP", PaidDe).Findings).Reason);
        Assert.Empty(Screening().Screen(Payee("Hans Müller"), 1, "GBP", PaidDe).Findings);
        Assert.Empty(Screening().Screen(Payee("Jane Smith", "GB82WEST12345698765432"), 1, "GBP", new HashSet<string>()).Findings);
    }

    [Theory]
    [InlineData(499_999, "GBP", false)]
    [InlineData(500_000, "GBP", true)]
    [InlineData(4_999_999, "BHD", false)]
    [InlineData(5_000_000, "BHD", true)]
    public void LargeAmount_InTheDebitCurrency_AddsTwentyPoints(long debitMinor, string debitCurrency, bool large)
    {
        var findings = Screening().Screen(Payee("Hans Müller"), debitMinor, debitCurrency, PaidDe).Findings;
        Assert.Equal(large, findings.Any(f => f.Points == CreditorScreening.LargeAmountPoints && f.Reason.StartsWith("LargeCrossBorderAmount", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("Bank Meli Iran", 97, "Bank Melli Iran")]
    [InlineData("Sanctioned Trading Co", 100, "Sanctioned Trading Co")]
    public void DocumentedTriggers_ScoreAsTheScreeningGuideSays(string name, int score, string listed)
        => Assert.Equal(new SanctionsMatch(score, listed), Sample.BestMatch(name));

    [Fact]
    public void RepeatedName_IsServedFromTheCache()
    {
        var first = Sample.BestMatch("  bank   meli, iran ");
        Assert.Same(first, Sample.BestMatch("BANK MELI IRAN"));
    }

    [Theory]
    [InlineData("The Foreign Trade Bank of the DPRK, Ltd.", "FOREIGN TRADE BANK OF DPRK")]
    [InlineData("Société Générale S.A.", "SOCIETE GENERALE")]
    [InlineData("People's Bank", "PEOPLES BANK")]
    public void Normalise_FoldsCaseAccentsPunctuationAndSuffixes(string name, string expected)
        => Assert.Equal(expected, SanctionsList.Normalise(name));

    [Fact]
    public void Sample_IsMarkedIllustrativeAndHoldsTheTriggers()
    {
        Assert.Contains(Sample.Entities, e => e.Name == "Sanctioned Trading Co");
        Assert.Contains(Sample.Entities, e => e.Name == "Bank Melli Iran" && e.Country == "IR");
        Assert.True(Sample.Entities.Count >= 15);
    }

    private sealed class FixedOptions(ScreeningOptions value) : IOptionsMonitor<ScreeningOptions>
    {
        public ScreeningOptions CurrentValue => value;

        public ScreeningOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ScreeningOptions, string?> listener) => null;
    }
}
