using System.Text.Json;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.V4_0;

namespace OpenBanking.Sandbox.UnitTests.Payments;

/// <summary>OBWriteDomesticConsent4 and OBWriteDomestic2 of v4.0: what the schema allows passes, the rest is named all at once.</summary>
public sealed class V4RequestValidationTests
{
    private const string Creditor = "\"CreditorAccount\":{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":\"11223387654321\",\"Name\":\"Payee\"}";

    private static string Body(string remittance = "", string extra = "", string risk = "{}", string data = "")
        => "{\"Data\":{" + data + "\"Initiation\":{\"InstructionIdentification\":\"i-1\",\"EndToEndIdentification\":\"e-1\","
            + "\"InstructedAmount\":{\"Amount\":\"12.50\",\"Currency\":\"GBP\"}," + Creditor + extra
            + (remittance.Length == 0 ? string.Empty : ",\"RemittanceInformation\":" + remittance) + "}},\"Risk\":" + risk + "}";

    private static Sandbox.Payments.PaymentConsentTerms Parse(string json) => DomesticConsentRequest.Parse(JsonDocument.Parse(json).RootElement);

    private static List<(string Code, string? Path)> Refusals(string json)
        => [.. Assert.Throws<ObieException>(() => Parse(json)).Errors.Select(e => (e.ErrorCode, e.Path))];

    [Fact]
    public void AFullRequest_GivesTheTermsTheDomainReads_WithTheStructuredCreditorReference()
    {
        var terms = Parse(Body(
            "{\"Unstructured\":[\"Invoice 1\"],\"Structured\":[{\"ReferredDocumentAmount\":3,\"CreditorReferenceInformation\":{\"Code\":\"SCOR\",\"Reference\":\"RF18539007547034\"},\"AdditionalRemittanceInformation\":[\"a\",\"b\",\"c\"]}]}",
            ",\"UltimateCreditor\":{\"Name\":\"Payee Group\",\"Note\":\"open schema\"},\"CreditorAgent\":{\"SchemeName\":\"UK.OBIE.BICFI\",\"Identification\":\"SBNKGB2L\"}",
            "{\"PaymentContextCode\":\"TransferToSelf\",\"CategoryPurposeCode\":\"CASH\",\"PaymentPurposeCode\":\"GDDS\",\"BeneficiaryAccountType\":\"Personal\"}",
            "\"ReadRefundAccount\":\"Yes\",\"SCASupportData\":{\"RequestedSCAExemptionType\":\"Kiosk\"},"));

        Assert.Equal((1_250L, "GBP", "Payee", "11223387654321"), (terms.AmountMinor, terms.Currency, terms.Creditor.Name, terms.Creditor.Identification));
        Assert.Equal("RF18539007547034", terms.Reference);
        Assert.Equal("Yes", terms.ReadRefundAccount);
    }

    [Theory]
    [InlineData("{\"Unstructured\":[\"Rent March\",\"Flat 2\"]}", "Rent March")]
    [InlineData("{\"Unstructured\":[\"0123456789012345678901234567890123456789\"]}", "0123456789012345678901234567890123…")]
    [InlineData("{\"Structured\":[{\"Invoicer\":\"x\"}],\"Unstructured\":[\"Rent\"]}", "Rent")]
    [InlineData("{}", null)]
    [InlineData("", null)]
    public void TheLedgerReference_IsTheCreditorReference_ElseTheFirstUnstructuredLine(string remittance, string? reference)
        => Assert.Equal(reference, Parse(Body(remittance)).Reference);

    [Theory]
    [InlineData("PartyToParty")]
    [InlineData("BillPayment")]
    [InlineData("EcommerceGoods")]
    [InlineData("EcommerceServices")]
    [InlineData("Other")]
    [InlineData("PispPayee")]
    public void APaymentContextCodeV4Removed_IsRefused(string code)
        => Assert.Contains((ObieErrorCodes.FieldInvalid, "Risk.PaymentContextCode"), Refusals(Body(risk: $"{{\"PaymentContextCode\":\"{code}\"}}")));

    [Fact]
    public void EveryProblem_IsNamedAtOnce()
    {
        var refusals = Refusals(Body(
            "{\"Reference\":\"INV-1\",\"Unstructured\":[\"\"],\"Structured\":[{\"CreditorReferenceInformation\":{\"Code\":\"XXXX\",\"Reference\":\"0123456789012345678901234567890123456789\"},\"ReferredDocumentAmount\":1.5,\"AdditionalRemittanceInformation\":[\"a\",\"b\",\"c\",\"d\"]}]}",
            ",\"CreditorPostalAddress\":{\"AddressType\":\"Business\",\"AddressLine\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\"]},\"UltimateDebtor\":{\"Name\":\"\"},\"Purpose\":\"x\"",
            "{\"CategoryPurposeCode\":\"XXXX\",\"BeneficiaryPrepopulatedIndicator\":1,\"DeliveryAddress\":{\"Country\":\"GBR\"},\"PaymentPurposeCode\":\"TOOLONG\"}",
            "\"ReadRefundAccount\":\"yes\","));

        Assert.Equal(
            new HashSet<(string, string?)>
            {
                (ObieErrorCodes.FieldInvalid, "Data.ReadRefundAccount"),
                (ObieErrorCodes.FieldUnexpected, "Data.Initiation.Purpose"),
                (ObieErrorCodes.FieldInvalid, "Data.Initiation.CreditorPostalAddress.AddressType"),
                (ObieErrorCodes.FieldInvalid, "Data.Initiation.CreditorPostalAddress.AddressLine"),
                (ObieErrorCodes.FieldInvalid, "Data.Initiation.UltimateDebtor.Name"),
                (ObieErrorCodes.FieldUnexpected, "Data.Initiation.RemittanceInformation.Reference"),
                (ObieErrorCodes.FieldInvalid, "Data.Initiation.RemittanceInformation.Unstructured[0]"),
                (ObieErrorCodes.FieldInvalid, "Data.Initiation.RemittanceInformation.Structured[0].CreditorReferenceInformation.Code"),
                (ObieErrorCodes.FieldInvalid, "Data.Initiation.RemittanceInformation.Structured[0].CreditorReferenceInformation.Reference"),
                (ObieErrorCodes.FieldInvalid, "Data.Initiation.RemittanceInformation.Structured[0].ReferredDocumentAmount"),
                (ObieErrorCodes.FieldInvalid, "Data.Initiation.RemittanceInformation.Structured[0].AdditionalRemittanceInformation"),
                (ObieErrorCodes.FieldInvalid, "Risk.CategoryPurposeCode"),
                (ObieErrorCodes.FieldInvalid, "Risk.BeneficiaryPrepopulatedIndicator"),
                (ObieErrorCodes.FieldInvalid, "Risk.DeliveryAddress.Country"),
                (ObieErrorCodes.FieldInvalid, "Risk.PaymentPurposeCode"),
            },
            refusals.ToHashSet());
    }

    [Fact]
    public void AProxy_IsAllowedOnTheAccounts_AndChecked()
    {
        var proxy = Body(extra: ",\"DebtorAccount\":{\"SchemeName\":\"UK.OBIE.IBAN\",\"Identification\":\"GB29NWBK60161331926819\",\"Proxy\":{\"Identification\":\"+447700900000\",\"Code\":\"TELE\"}}");
        Assert.Equal("GB29NWBK60161331926819", Parse(proxy).Debtor?.Identification);

        var bad = Refusals(Body(extra: ",\"DebtorAccount\":{\"SchemeName\":\"UK.OBIE.IBAN\",\"Identification\":\"GB29NWBK60161331926819\",\"Proxy\":{\"Code\":\"PHONE\"}}"));
        Assert.Contains((ObieErrorCodes.FieldMissing, "Data.Initiation.DebtorAccount.Proxy.Identification"), bad);
        Assert.Contains((ObieErrorCodes.FieldInvalid, "Data.Initiation.DebtorAccount.Proxy.Code"), bad);
    }

    [Fact]
    public void APayment_NeedsItsConsentIdAndAnInitiation_AndAV4Risk()
    {
        var refused = Assert.Throws<ObieException>(() => DomesticPaymentRequest.Parse(
            JsonDocument.Parse("{\"Data\":{\"Initiation\":[]},\"Risk\":{\"PaymentContextCode\":\"PispPayee\"}}").RootElement));

        Assert.Equal(
            new HashSet<(string, string?)>
            {
                (ObieErrorCodes.FieldMissing, "Data.ConsentId"),
                (ObieErrorCodes.FieldInvalid, "Data.Initiation"),
                (ObieErrorCodes.FieldInvalid, "Risk.PaymentContextCode"),
            },
            refused.Errors.Select(e => (e.ErrorCode, e.Path)).ToHashSet());
    }
}
