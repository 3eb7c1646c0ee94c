using System.Net;
using System.Text.Json;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>Drives the v4.0 payment and funds-confirmation APIs as a wallet does, over the shared <see cref="PaymentsClient"/>.</summary>
public sealed class V4PaymentsClient(PaymentsClient payments)
{
    public const string Pisp = "/open-banking/v4.0/pisp";
    public const string Cbpii = "/open-banking/v4.0/cbpii";

    public PaymentsClient Payments => payments;

    /// <summary>A v4.0 Initiation: structured remittance (a creditor reference and an unstructured line), no Reference.</summary>
    public static string Initiation(string amount = "10.00", string creditorName = "Jane Smith", string creditorIdentification = "20000012345678",
        string currency = "GBP", string? extra = null, string remittance = DefaultRemittance)
        => "{\"InstructionIdentification\":\"ii-" + Guid.NewGuid().ToString("N")[..20] + "\",\"EndToEndIdentification\":\"e2e-1\","
            + "\"LocalInstrument\":\"UK.OBIE.FPS\","
            + $"\"InstructedAmount\":{{\"Amount\":\"{amount}\",\"Currency\":\"{currency}\"}},"
            + $"\"CreditorAccount\":{{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":\"{creditorIdentification}\",\"Name\":\"{creditorName}\"}},"
            + (extra is null ? string.Empty : extra + ",")
            + "\"RemittanceInformation\":" + remittance + "}";

    public const string DefaultRemittance = "{\"Unstructured\":[\"Invoice 1\",\"March\"],\"Structured\":[{\"CreditorReferenceInformation\":{\"Code\":\"SCOR\",\"Reference\":\"INV-0001\"}}]}";

    /// <summary>Every optional v4.0 block of a domestic Initiation, filled in.</summary>
    public const string Extras =
        "\"CreditorAgent\":{\"SchemeName\":\"UK.OBIE.BICFI\",\"Identification\":\"SBNKGB2L\",\"Name\":\"Sandbox Bank\",\"PostalAddress\":{\"TownName\":\"London\",\"Country\":\"GB\"}},"
        + "\"CreditorPostalAddress\":{\"AddressType\":\"BIZZ\",\"StreetName\":\"High Street\",\"BuildingNumber\":\"1\",\"Floor\":\"2\",\"PostCode\":\"LS1 1AA\",\"TownName\":\"Leeds\",\"Country\":\"GB\",\"AddressLine\":[\"1 High Street\"]},"
        + "\"UltimateCreditor\":{\"Name\":\"Jane Smith Trading\",\"LEI\":\"213800ABCDEFGHIJKL12\",\"PostalAddress\":{\"Country\":\"GB\"}},"
        + "\"UltimateDebtor\":{\"Name\":\"Alice\",\"Identification\":\"cust-1\",\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\"},"
        + "\"RegulatoryReporting\":[{\"DebitCreditReportingIndicator\":\"DEBT\",\"Authority\":{\"Name\":\"HMRC\",\"CountryCode\":\"GB\"},"
        + "\"Details\":[{\"Type\":\"TAX\",\"Country\":\"GB\",\"Amount\":{\"Amount\":\"1.00\",\"Currency\":\"GBP\"},\"Information\":[\"note\"]}]}],"
        + "\"SupplementaryData\":{\"anything\":1}";

    public const string Risk = "{\"PaymentContextCode\":\"TransferToThirdParty\",\"CategoryPurposeCode\":\"SUPP\",\"PaymentPurposeCode\":\"GDDS\"}";

    public Task<(HttpStatusCode Status, string Text, JsonElement Body)> CreateConsentAsync(string initiation, string risk = Risk,
        string clientId = "wallet-a", string? key = null, string? extraData = null)
        => payments.PostAsync(PaymentsClient.PaymentToken(clientId), $"{Pisp}/domestic-payment-consents",
            "{\"Data\":{" + extraData + "\"Initiation\":" + initiation + "},\"Risk\":" + risk + "}", key ?? Guid.NewGuid().ToString("N"));

    /// <summary>An authorised v4.0 payment consent, the customer token bound to it, its Initiation and the payer's account.</summary>
    public async Task<(string ConsentId, string Token, string Initiation, string AccountId)> AuthorisedAsync(
        string amount = "10.00", string creditorName = "Jane Smith", string? extra = null, string risk = Risk, string? extraData = null)
    {
        var initiation = Initiation(amount, creditorName, extra: extra);
        var (status, text, body) = await CreateConsentAsync(initiation, risk, extraData: extraData);
        Assert.True(status == HttpStatusCode.Created, text);
        var consentId = body.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        var accountId = (await payments.AccountAsync("alice")).GetProperty("AccountId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await payments.AuthoriseAsync(consentId, "alice", accountId));
        return (consentId, PaymentsClient.PaymentToken(consentId: consentId), initiation, accountId);
    }

    public Task<(HttpStatusCode Status, string Text, JsonElement Body)> SubmitAsync(string token, string consentId, string initiation, string? key = null, string risk = Risk)
        => payments.PostAsync(token, $"{Pisp}/domestic-payments", PaymentsClient.PaymentBody(consentId, initiation, risk), key ?? Guid.NewGuid().ToString("N"));

    public Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path, string? token = null) => payments.GetAsync(path, token);

    public static string ErrorCode(JsonElement body) => body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString()!;
}
