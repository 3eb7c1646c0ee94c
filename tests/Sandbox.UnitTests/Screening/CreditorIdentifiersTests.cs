using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Screening;

namespace OpenBanking.Sandbox.UnitTests.Screening;

public sealed class CreditorIdentifiersTests
{
    private static CreditorDetails Payee(
        string scheme,
        string identification,
        string transferCurrency = "EUR",
        string? destination = null,
        string? agentScheme = null,
        string? agentId = null)
        => new("Hans Müller", scheme, identification, agentScheme, agentId, destination, [], transferCurrency, null);

    private static ObError Single(CreditorDetails payee) => Assert.Single(CreditorIdentifiers.Check(payee));

    [Theory]
    [InlineData("DE89370400440532013000")]
    [InlineData("FR1420041010050500013M02606")]
    [InlineData("GB82WEST12345698765432")]
    [InlineData("BH67BMAG00001299123456")]
    [InlineData("NO9386011117947")]
    public void Iban_ValidSamples_Pass(string iban)
        => Assert.Empty(CreditorIdentifiers.Check(Payee(CreditorIdentifiers.Iban, iban)));

    [Theory]
    [InlineData("DE89370400440532013001")]
    [InlineData("FR1420041010050500013M02607")]
    [InlineData("GB82WEST12345698765433")]
    [InlineData("BH67BMAG00001299123457")]
    public void Iban_OneDigitChanged_FailsTheChecksum(string iban)
    {
        var error = Single(Payee(CreditorIdentifiers.Iban, iban));
        Assert.Equal((ObieErrorCodes.FieldInvalid, "Data.Initiation.CreditorAccount.Identification"), (error.ErrorCode, error.Path));
        Assert.Contains("check digits", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DE8937040044053201300", 21)]
    [InlineData("GB82WEST123456987654321", 23)]
    public void Iban_WrongLengthForItsCountry_IsInvalidAndSaysTheLength(string iban, int actual)
    {
        var error = Single(Payee(CreditorIdentifiers.Iban, iban));
        Assert.Equal(ObieErrorCodes.FieldInvalid, error.ErrorCode);
        Assert.Contains($"has {actual}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Iban_OfACountryOutsideTheRegistry_IsAnUnsupportedIdentifier()
    {
        var error = Single(Payee(CreditorIdentifiers.Iban, "US12345678901234567890"));
        Assert.Equal((ObieErrorCodes.UnsupportedAccountIdentifier, "Data.Initiation.CreditorAccount.Identification"), (error.ErrorCode, error.Path));
    }

    [Theory]
    [InlineData("DE89 3704 0044 0532 0130 00")]
    [InlineData("de89370400440532013000")]
    [InlineData("XX89370400440532013000")]
    public void Iban_Malformed_IsInvalid(string iban) => Assert.Equal(ObieErrorCodes.FieldInvalid, Single(Payee(CreditorIdentifiers.Iban, iban)).ErrorCode);

    [Fact]
    public void Iban_CountryOtherThanTheDestination_NamesDestinationCountryCode()
    {
        var error = Single(Payee(CreditorIdentifiers.Iban, "DE89370400440532013000", destination: "FR"));
        Assert.Equal((ObieErrorCodes.FieldInvalid, "Data.Initiation.DestinationCountryCode"), (error.ErrorCode, error.Path));
    }

    [Fact]
    public void DestinationCountryCode_NotAnIsoCountry_IsInvalid()
    {
        var error = Single(Payee(CreditorIdentifiers.Iban, "DE89370400440532013000", destination: "ZZ"));
        Assert.Equal("Data.Initiation.DestinationCountryCode", error.Path);
    }

    [Theory]
    [InlineData("DEUTDEFF", true)]
    [InlineData("HSBCGB2LXXX", true)]
    [InlineData("NWBKGB2L", true)]
    [InlineData("DEUTDEF", false)]
    [InlineData("DEUTDEFF5", false)]
    [InlineData("DEUTZZFF", false)]
    [InlineData("deutdeff", false)]
    public void Bic_FormatAndCountry(string bic, bool valid)
    {
        Assert.Equal(valid, CreditorIdentifiers.IsBic(bic));
        var errors = CreditorIdentifiers.Check(Payee(CreditorIdentifiers.Iban, "DE89370400440532013000", agentScheme: CreditorIdentifiers.Bic, agentId: bic));
        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Equal("Data.Initiation.CreditorAgent.Identification", e.Path));
    }

    [Theory]
    [InlineData("60837112345678", "GBP", null, null)]
    [InlineData("6083711234567", "GBP", ObieErrorCodes.FieldInvalid, "Data.Initiation.CreditorAccount.Identification")]
    [InlineData("00000012345678", "GBP", ObieErrorCodes.FieldInvalid, "Data.Initiation.CreditorAccount.Identification")]
    [InlineData("60837112345678", "EUR", ObieErrorCodes.UnsupportedAccountIdentifier, "Data.Initiation.CreditorAccount.Identification")]
    public void SortCodeAccountNumber_OnlyForGbpToGb(string id, string currency, string? code, string? path)
    {
        var errors = CreditorIdentifiers.Check(Payee(CreditorIdentifiers.SortCodeAccountNumber, id, currency));
        Assert.Equal(code, errors.SingleOrDefault()?.ErrorCode);
        Assert.Equal(path, errors.SingleOrDefault()?.Path);
    }

    [Theory]
    [InlineData("SBIN0001234", true)]
    [InlineData("HDFC0000001", true)]
    [InlineData("SBIN1001234", false)]
    [InlineData("SBI0001234", false)]
    public void Ifsc_Format(string ifsc, bool valid)
    {
        Assert.Equal(valid, CreditorIdentifiers.IsIfsc(ifsc));
        var errors = CreditorIdentifiers.Check(Payee(CreditorIdentifiers.Bban, "12345678901", "INR", "IN", "UK.OBIE.NCC.IN", ifsc));
        Assert.Equal(valid, errors.Count == 0);
    }

    [Theory]
    [InlineData("021000021", true)]
    [InlineData("011000015", true)]
    [InlineData("021000022", false)]
    [InlineData("02100002", false)]
    public void Aba_NineDigitsWithChecksum(string aba, bool valid)
    {
        Assert.Equal(valid, CreditorIdentifiers.IsAbaRoutingNumber(aba));
        var errors = CreditorIdentifiers.Check(Payee(CreditorIdentifiers.Bban, "000123456789", "USD", "US", "UK.OBIE.NCC.US", aba));
        Assert.Equal(valid ? null : "Data.Initiation.CreditorAgent.Identification", errors.SingleOrDefault()?.Path);
    }

    [Fact]
    public void Bban_ForAnIbanCountry_IsAnUnsupportedIdentifier()
    {
        var error = Single(Payee(CreditorIdentifiers.Bban, "370400440532013000", destination: "DE", agentScheme: CreditorIdentifiers.Bic, agentId: "DEUTDEFF"));
        Assert.Equal(ObieErrorCodes.UnsupportedAccountIdentifier, error.ErrorCode);
    }

    [Fact]
    public void Bban_WithoutAnAgent_ExpectsTheCreditorAgent()
    {
        var error = Single(Payee(CreditorIdentifiers.Bban, "000123456789", "USD", "US"));
        Assert.Equal((ObieErrorCodes.FieldExpected, "Data.Initiation.CreditorAgent"), (error.ErrorCode, error.Path));
    }

    [Fact]
    public void Bban_InJapanWithABic_Passes()
        => Assert.Empty(CreditorIdentifiers.Check(Payee(CreditorIdentifiers.Bban, "1234567", "JPY", "JP", CreditorIdentifiers.Bic, "MHCBJPJT")));

    [Theory]
    [InlineData("UK.OBIE.PAN")]
    [InlineData("UK.OBIE.Wallet")]
    [InlineData("IBAN")]
    public void UnknownOrUnusableScheme_NamesSchemeName(string scheme)
    {
        var error = Single(Payee(scheme, "DE89370400440532013000"));
        Assert.Equal((ObieErrorCodes.UnsupportedScheme, "Data.Initiation.CreditorAccount.SchemeName"), (error.ErrorCode, error.Path));
    }

    [Fact]
    public void UnknownAgentScheme_NamesTheAgentSchemeName()
    {
        var error = Single(Payee(CreditorIdentifiers.Iban, "DE89370400440532013000", agentScheme: "UK.OBIE.Swift", agentId: "DEUTDEFF"));
        Assert.Equal((ObieErrorCodes.UnsupportedScheme, "Data.Initiation.CreditorAgent.SchemeName"), (error.ErrorCode, error.Path));
    }

    [Fact]
    public void EveryProblem_IsReportedAtOnce()
    {
        var errors = CreditorIdentifiers.Check(Payee(CreditorIdentifiers.Iban, "DE89370400440532013001", destination: "QQ", agentScheme: CreditorIdentifiers.Bic, agentId: "BAD"));
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void IbanRegistryLengths_AreConsistentWithTheValidSamples()
    {
        Assert.Equal(22, Countries.IbanLengths["DE"]);
        Assert.Equal(27, Countries.IbanLengths["FR"]);
        Assert.Equal(22, Countries.IbanLengths["BH"]);
        Assert.All(Countries.IbanLengths.Keys, c => Assert.True(Countries.IsKnown(c), c));
    }
}
