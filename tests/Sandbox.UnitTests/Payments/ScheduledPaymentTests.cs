using System.Text.Json;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.Scheduled;
using OpenBanking.Sandbox.Payments.V4_0;
using V3 = OpenBanking.Sandbox.Payments.V3_1;

namespace OpenBanking.Sandbox.UnitTests.Payments;

/// <summary>The scheduled consent's own fields in both versions' parsers, the tenant-clock rule, and v4.0's names of the states.</summary>
public sealed class ScheduledPaymentTests
{
    private const string Creditor = "\"CreditorAccount\":{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":\"20000012345678\",\"Name\":\"Landlord Ltd\"}";

    private static JsonElement Body(string data, string initiation)
        => JsonDocument.Parse("{\"Data\":{" + data + "\"Initiation\":{\"InstructionIdentification\":\"ii-1\","
            + "\"InstructedAmount\":{\"Amount\":\"25.00\",\"Currency\":\"GBP\"}," + initiation + Creditor + "}},\"Risk\":{}}").RootElement;

    [Fact]
    public void ParseScheduled_WithoutEndToEndIdentification_TakesTheTimeAndPermission_InBothVersions()
    {
        var body = Body("\"Permission\":\"Create\",", "\"RequestedExecutionDateTime\":\"2027-01-01T09:00:00+00:00\",");

        foreach (var terms in new[] { V3.DomesticConsentRequest.ParseScheduled(body), DomesticConsentRequest.ParseScheduled(body) })
        {
            Assert.Equal(new DateTimeOffset(2027, 1, 1, 9, 0, 0, TimeSpan.Zero), terms.RequestedExecutionDateTime);
            Assert.Equal(2500, terms.AmountMinor);
        }
    }

    [Fact]
    public void ParseScheduled_NamesEveryMissingPart_AndTheDomesticParserRefusesTheScheduledFields()
    {
        var refused = Assert.Throws<ObieException>(() => V3.DomesticConsentRequest.ParseScheduled(Body("", "")));
        Assert.Equal(["Data.Initiation.RequestedExecutionDateTime", "Data.Permission"], refused.Errors.Select(e => e.Path).Order());

        var domestic = Assert.Throws<ObieException>(() => V3.DomesticConsentRequest.Parse(
            Body("\"Permission\":\"Create\",", "\"EndToEndIdentification\":\"e2e\",\"RequestedExecutionDateTime\":\"2027-01-01T09:00:00+00:00\",")));
        Assert.Equal(["Data.Initiation.RequestedExecutionDateTime", "Data.Permission"], domestic.Errors.Select(e => e.Path).Order());
    }

    [Fact]
    public void RequireFuture_RefusesNowAndEarlier_OnTheGivenClock()
    {
        var now = new DateTimeOffset(2027, 1, 1, 9, 0, 0, TimeSpan.Zero);
        ScheduledPaymentService.RequireFuture(now.AddSeconds(1), now);
        var refused = Assert.Throws<ObieException>(() => ScheduledPaymentService.RequireFuture(now, now));
        Assert.Equal(ObieErrorCodes.FieldInvalidDate, refused.Errors.Single().ErrorCode);
        Assert.Contains("2027-01-01T09:00:00Z", refused.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ScheduledPaymentStatus.InitiationPending, "RCVD", null)]
    [InlineData(ScheduledPaymentStatus.InitiationCompleted, "ACSP", null)]
    [InlineData(ScheduledPaymentStatus.InitiationFailed, "RJCT", "AM04")]
    [InlineData(ScheduledPaymentStatus.Cancelled, "RJCT", "DS02")]
    public void V4_NamesEachStateWithinItsEnum_AndSaysWhyItWasRejected(ScheduledPaymentStatus status, string code, string? reason)
    {
        var payment = new DomesticScheduledPayment
        {
            Id = "sdp-1", ClientId = "app", ConsentId = "sdc-1", CustomerId = "cus-1", DebtorAccountId = "acc-1", Status = status,
            StatusReason = status == ScheduledPaymentStatus.InitiationFailed ? PaymentStatusReasons.InsufficientFunds : null,
        };

        Assert.Equal(code, ScheduledPaymentCodes.Status(status));
        Assert.Equal(reason, ScheduledPaymentCodes.Reasons(payment)?.Single().StatusReasonCode);
    }
}
