using OpenBanking.Sandbox.Accounts;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Consents.V4_0;
using OpenBanking.Sandbox.Domain;
using V4 = OpenBanking.Sandbox.Accounts.V4_0.AisMapping;

namespace OpenBanking.Sandbox.UnitTests;

/// <summary>How the domain's states and v3.1.11's words are written in v4.0, and which version may use which consent.</summary>
public sealed class V4MappingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(ConsentStatus.AwaitingAuthorisation, null, "AWAU")]
    [InlineData(ConsentStatus.AwaitingAuthorisation, 1, "AWAU")]
    [InlineData(ConsentStatus.AwaitingAuthorisation, -1, "EXPD")]
    [InlineData(ConsentStatus.Authorised, null, "AUTH")]
    [InlineData(ConsentStatus.Authorised, 1, "AUTH")]
    [InlineData(ConsentStatus.Authorised, 0, "EXPD")]
    [InlineData(ConsentStatus.Authorised, -1, "EXPD")]
    [InlineData(ConsentStatus.Rejected, null, "RJCT")]
    [InlineData(ConsentStatus.Rejected, -1, "RJCT")]
    [InlineData(ConsentStatus.Revoked, null, "CANC")]
    [InlineData(ConsentStatus.Revoked, -1, "CANC")]
    public void ConsentStatus_IsWrittenAsItsIsoCode(ConsentStatus status, int? expiresInHours, string expected)
    {
        DateTimeOffset? expiration = expiresInHours is { } hours ? Now.AddHours(hours) : null;

        Assert.Equal(expected, ConsentStatusCode.Of(status, expiration, Now));
    }

    [Fact]
    public void ConsumedHasNoAccountAccessCode()
        => Assert.Throws<ArgumentOutOfRangeException>(() => ConsentStatusCode.Of(ConsentStatus.Consumed, null, Now));

    [Fact]
    public void StatusReason_OnlyWhereThereIsSomethingToSay()
    {
        var consent = new AccountAccessConsent { Id = "aac-1", ClientId = "c", Status = ConsentStatus.Authorised };
        Assert.Null(ConsentStatusCode.Reason(consent, Now));

        consent.AccessRevokedAt = Now.AddMinutes(-5);
        Assert.Contains("withdrew", ConsentStatusCode.Reason(consent, Now), StringComparison.Ordinal);

        consent.ExpirationDateTime = Now.AddMinutes(-1);
        Assert.Equal("The consent expired at 2026-12-02T11:59:00Z.", ConsentStatusCode.Reason(consent, Now)!.Replace("+00:00", "Z", StringComparison.Ordinal));

        consent.Status = ConsentStatus.Rejected;
        Assert.NotNull(ConsentStatusCode.Reason(consent, Now));
    }

    [Fact]
    public void SharedCodes_AreTheIsoTwinsOfV3Names()
    {
        Assert.Equal(("ITBD", "ITAV", "PRCD"), (AisCodes.V4_0.InterimBooked, AisCodes.V4_0.InterimAvailable, AisCodes.V4_0.ClosingBooked));
        Assert.Equal(("BOOK", "PDNG"), (AisCodes.V4_0.BookedTransaction, AisCodes.V4_0.PendingTransaction));
        Assert.Equal(("BIZZ", "HOME"), (AisCodes.V4_0.BusinessAddress, AisCodes.V4_0.ResidentialAddress));
        Assert.Equal(("InterimBooked", "InterimAvailable", "ClosingBooked"),
            (AisCodes.V3_1_11.InterimBooked, AisCodes.V3_1_11.InterimAvailable, AisCodes.V3_1_11.ClosingBooked));
        Assert.Equal(("Booked", "Pending", "Business", "Residential"),
            (AisCodes.V3_1_11.BookedTransaction, AisCodes.V3_1_11.PendingTransaction, AisCodes.V3_1_11.BusinessAddress, AisCodes.V3_1_11.ResidentialAddress));
        Assert.Same(AisCodes.V4_0, AisCodes.For(ApiVersion.V4_0));
        Assert.Same(AisCodes.V3_1_11, AisCodes.For(ApiVersion.V3_1_11));
    }

    [Theory]
    [InlineData("CurrentAccount", "CACC")]
    [InlineData("Savings", "SVGS")]
    [InlineData("CreditCard", "CARD")]
    [InlineData("ChargeCard", "CHAR")]
    [InlineData("PrePaidCard", "CARD")]
    [InlineData("EMoney", "WALT")]
    [InlineData("Loan", "LOAN")]
    [InlineData("Mortgage", "MORT")]
    [InlineData("Something", "OTHR")]
    public void AccountSubType_IsWrittenAsIsoAccountTypeCode(string subType, string expected)
        => Assert.Equal(expected, V4.AccountTypeCode(subType));

    [Theory]
    [InlineData("Monthly", "MNTH")]
    [InlineData("Quarterly", "QURT")]
    [InlineData("Weekly", "WEEK")]
    [InlineData("Annual", "YEAR")]
    [InlineData("Whenever", "ADHO")]
    public void DirectDebitFrequency_IsWrittenAsFrequency6Code(string frequency, string expected)
        => Assert.Equal(expected, V4.FrequencyType(frequency));

    [Theory]
    [InlineData("IntrvlMnthDay:01:15", "MNTH", "15")]
    [InlineData("IntrvlMnthDay:03:01", "QURT", "01")]
    [InlineData("IntrvlMnthDay:06:28", "MIAN", "28")]
    [InlineData("IntrvlMnthDay:12:31", "YEAR", "31")]
    [InlineData("IntrvlMnthDay:01:-01", "MNTH", null)]
    [InlineData("IntrvlWkDay:01:05", "WEEK", "05")]
    [InlineData("IntrvlWkDay:02:01", "FRTN", "01")]
    [InlineData("EvryDay", "DAIL", null)]
    [InlineData("EvryWorkgDay", "DAIL", null)]
    [InlineData("WkInMnthDay:02:03", "MNTH", null)]
    [InlineData("QtrDay:ENGLISH", "QURT", null)]
    [InlineData("IntrvlDay:15", "ADHO", null)]
    public void StandingOrderFrequency_IsWrittenAsFrequency6(string code, string type, string? pointInTime)
        => Assert.Equal(new Accounts.V4_0.ObFrequency(type, pointInTime), V4.Frequency(code));

    [Theory]
    [InlineData(ConsentKind.AccountAccess, ApiVersion.V3_1_11, ApiVersion.V3_1_11, true)]
    [InlineData(ConsentKind.AccountAccess, ApiVersion.V3_1_11, ApiVersion.V4_0, true)]
    [InlineData(ConsentKind.AccountAccess, ApiVersion.V4_0, ApiVersion.V4_0, true)]
    [InlineData(ConsentKind.AccountAccess, ApiVersion.V4_0, ApiVersion.V3_1_11, false)]
    [InlineData(ConsentKind.FundsConfirmation, ApiVersion.V3_1_11, ApiVersion.V3_1_11, true)]
    [InlineData(ConsentKind.FundsConfirmation, ApiVersion.V3_1_11, ApiVersion.V4_0, true)]
    [InlineData(ConsentKind.FundsConfirmation, ApiVersion.V4_0, ApiVersion.V4_0, true)]
    [InlineData(ConsentKind.FundsConfirmation, ApiVersion.V4_0, ApiVersion.V3_1_11, false)]
    [InlineData(ConsentKind.DomesticPayment, ApiVersion.V3_1_11, ApiVersion.V3_1_11, true)]
    [InlineData(ConsentKind.DomesticPayment, ApiVersion.V3_1_11, ApiVersion.V4_0, false)]
    [InlineData(ConsentKind.DomesticPayment, ApiVersion.V4_0, ApiVersion.V4_0, true)]
    [InlineData(ConsentKind.DomesticPayment, ApiVersion.V4_0, ApiVersion.V3_1_11, false)]
    public void MayUse_UpwardForAccessAndFunds_OnlyItsOwnVersionForPayments(ConsentKind kind, ApiVersion created, ApiVersion used, bool expected)
        => Assert.Equal(expected, ApiVersions.MayUse(kind, created, used));

    [Fact]
    public void EveryKind_HasARuleForEveryPairOfVersions()
    {
        foreach (var kind in Enum.GetValues<ConsentKind>())
        {
            foreach (var version in Enum.GetValues<ApiVersion>())
            {
                Assert.True(ApiVersions.MayUse(kind, version, version), $"{kind} must be usable through the version that created it.");
            }
        }
    }

    [Theory]
    [InlineData("/open-banking/v4.0/aisp/accounts", ApiVersion.V4_0)]
    [InlineData("/open-banking/v3.1/aisp/accounts", ApiVersion.V3_1_11)]
    [InlineData("/internal/consents/x", null)]
    [InlineData("/open-banking/v4.01/aisp", null)]
    public void FromPath_NamesTheVersion(string path, ApiVersion? expected)
        => Assert.Equal(expected, ApiVersions.FromPath(path));

    [Fact]
    public void Names_AreThePartnersWords()
        => Assert.Equal(("v3.1.11", "v4.0"), (ApiVersion.V3_1_11.Name(), ApiVersion.V4_0.Name()));
}
