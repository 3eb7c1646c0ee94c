using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>Drives the domestic VRP API of either version as a wallet does (and the customer's authorisation as Identity does).</summary>
public sealed class VrpClient(SandboxFactory factory, string version)
{
    public readonly PaymentsClient Payments = new(factory);

    public string Pisp { get; } = $"/open-banking/{version}/pisp";

    public bool V4 => version == "v4.0";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public string Risk => V4 ? "{\"PaymentContextCode\":\"TransferToSelf\"}" : "{\"PaymentContextCode\":\"PartyToParty\"}";

    public static string Account(string identification, string name = "Jane Smith")
        => $"{{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":\"{identification}\",\"Name\":\"{name}\"}}";

    public string Initiation(string? creditor = null)
        => creditor is null ? "{}" : "{\"CreditorAccount\":" + creditor + "}";

    public static string Controls(string maximum = "100.00", string limits = "[{\"PeriodType\":\"Month\",\"PeriodAlignment\":\"Calendar\",\"Amount\":\"500.00\",\"Currency\":\"GBP\"}]",
        string types = "[\"UK.OBIE.VRPType.Other\"]", string? extra = null)
        => "{" + extra + $"\"VRPType\":{types},\"PSUAuthenticationMethods\":[\"UK.OBIE.SCA\",\"UK.OBIE.SCANotRequired\"],"
            + $"\"MaximumIndividualAmount\":{{\"Amount\":\"{maximum}\",\"Currency\":\"GBP\"}},\"PeriodicLimits\":{limits}}}";

    public string ConsentBody(string controls, string initiation) => "{\"Data\":{\"ControlParameters\":" + controls + ",\"Initiation\":" + initiation + "},\"Risk\":" + Risk + "}";

    public Task<(HttpStatusCode Status, string Text, JsonElement Body)> CreateConsentAsync(string controls, string initiation, string? key = null)
        => Payments.PostAsync(PaymentsClient.PaymentToken(), $"{Pisp}/domestic-vrp-consents", ConsentBody(controls, initiation), key ?? Guid.NewGuid().ToString("N"));

    /// <summary>An authorised consent, its customer token and the payer's account.</summary>
    public async Task<(string ConsentId, string Token, string Initiation, string AccountId)> AuthorisedAsync(
        string? controls = null, string? creditor = null, string username = "alice")
    {
        var initiation = Initiation(creditor ?? Account("20000012345678"));
        var (status, text, body) = await CreateConsentAsync(controls ?? Controls(), initiation);
        Assert.True(status == HttpStatusCode.Created, text);
        var consentId = body.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        var accountId = (await Payments.AccountAsync(username)).GetProperty("AccountId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await Payments.AuthoriseAsync(consentId, username, accountId));
        return (consentId, PaymentsClient.PaymentToken(consentId: consentId), initiation, accountId);
    }

    public string PaymentBody(string consentId, string initiation, string amount, string? creditor = null, string type = "UK.OBIE.VRPType.Other",
        string? risk = null, string? extra = null)
    {
        var remittance = V4 ? "{\"Unstructured\":[\"Top-up\"]}" : "{\"Reference\":\"TOPUP\"}";
        return "{\"Data\":{\"ConsentId\":\"" + consentId + "\",\"PSUAuthenticationMethod\":\"UK.OBIE.SCANotRequired\"," + extra + "\"VRPType\":\"" + type + "\","
            + "\"Initiation\":" + initiation + ",\"Instruction\":{\"InstructionIdentification\":\"ii-" + Guid.NewGuid().ToString("N")[..20] + "\","
            + "\"EndToEndIdentification\":\"e2e-1\",\"LocalInstrument\":\"UK.OBIE.FPS\",\"RemittanceInformation\":" + remittance + ","
            + $"\"InstructedAmount\":{{\"Amount\":\"{amount}\",\"Currency\":\"GBP\"}},\"CreditorAccount\":{creditor ?? Account("20000012345678")}}}}},"
            + "\"Risk\":" + (risk ?? Risk) + "}";
    }

    public Task<(HttpStatusCode Status, string Text, JsonElement Body)> PayAsync(string token, string consentId, string initiation, string amount,
        string? key = null, string? creditor = null, string type = "UK.OBIE.VRPType.Other", string? risk = null, string? extra = null)
        => Payments.PostAsync(token, $"{Pisp}/domestic-vrps", PaymentBody(consentId, initiation, amount, creditor, type, risk, extra), key ?? Guid.NewGuid().ToString("N"));

    public Task<(HttpStatusCode Status, string Text, JsonElement Body)> FundsAsync(string token, string consentId, string amount)
        => Payments.PostAsync(token, $"{Pisp}/domestic-vrp-consents/{consentId}/funds-confirmation",
            "{\"Data\":{\"ConsentId\":\"" + consentId + "\",\"Reference\":\"check-1\",\"InstructedAmount\":{\"Amount\":\"" + amount + "\",\"Currency\":\"GBP\"}}}");

    public Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path) => Payments.GetAsync(Pisp + path);

    public async Task<HttpStatusCode> DeleteAsync(string consentId)
    {
        using var client = Payments.Sandbox.Client(PaymentsClient.PaymentToken());
        using var response = await client.DeleteAsync($"{Pisp}/domestic-vrp-consents/{consentId}", Ct);
        return response.StatusCode;
    }

    /// <summary>The customer revokes the consent from their dashboard (as Identity asks).</summary>
    public async Task<HttpStatusCode> RevokeAsCustomerAsync(string consentId, string username = "alice")
    {
        var customerId = await Payments.Sandbox.CustomerIdAsync(username);
        using var client = Payments.Sandbox.Client(SandboxFactory.InternalToken());
        using var response = await client.PostAsJsonAsync($"/internal/consents/{consentId}/revoke", new { customerId }, Ct);
        return response.StatusCode;
    }

    public string ErrorCode(JsonElement body) => body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString()!;

    /// <summary>The error code this version writes for a v3.1.11 name.</summary>
    public string Code(string v3Name, string v4Code) => V4 ? v4Code : v3Name;

    public static string PaymentId(JsonElement body) => body.GetProperty("Data").GetProperty("DomesticVRPId").GetString()!;
}
