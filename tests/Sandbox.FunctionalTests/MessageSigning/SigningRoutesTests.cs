using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.FunctionalTests.MessageSigning;

/// <summary>
/// Which operations take a signature: every body-bearing operation of the payment, VRP, international and
/// event-subscription APIs verifies one (an app that requires signing is refused U019 before anything else is
/// looked at), and the APIs that never take one refuse it (U020).
/// </summary>
public sealed class SigningRoutesTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> SignedOperations()
    {
        var data = new TheoryData<string, string>();
        foreach (var version in new[] { "v3.1", "v4.0" })
        {
            foreach (var path in new[]
            {
                "pisp/domestic-payment-consents", "pisp/domestic-payments",
                "pisp/domestic-scheduled-payment-consents", "pisp/domestic-scheduled-payments",
                "pisp/domestic-standing-order-consents", "pisp/domestic-standing-orders",
                "pisp/domestic-vrp-consents", "pisp/domestic-vrp-consents/any/funds-confirmation", "pisp/domestic-vrps",
                "pisp/international-payment-consents", "pisp/international-payments",
                "event-subscriptions",
            })
            {
                data.Add("POST", $"/open-banking/{version}/{path}");
            }

            data.Add("PUT", $"/open-banking/{version}/event-subscriptions/any");
        }

        return data;
    }

    public static TheoryData<string, string, string> RefusingOperations()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var version in new[] { "v3.1", "v4.0" })
        {
            data.Add("POST", $"/open-banking/{version}/aisp/account-access-consents", PlatformScopes.Accounts);
            data.Add("GET", $"/open-banking/{version}/aisp/accounts", PlatformScopes.Accounts);
            data.Add("POST", $"/open-banking/{version}/cbpii/funds-confirmation-consents", PlatformScopes.FundsConfirmations);
            data.Add("POST", $"/open-banking/{version}/events", PlatformScopes.Payments);
            data.Add("GET", $"/open-banking/{version}/pisp/domestic-payments/any", PlatformScopes.Payments);
            data.Add("DELETE", $"/open-banking/{version}/pisp/domestic-vrp-consents/any", PlatformScopes.Payments);
            data.Add("GET", $"/open-banking/{version}/event-subscriptions", PlatformScopes.Payments);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SignedOperations))]
    public async Task Unsigned_ByAnAppThatRequiresSigning_IsRefusedMissing(string method, string path)
    {
        var clientId = "sig-" + Guid.NewGuid().ToString("N")[..12];
        factory.AppSecurity.Set(new AppSecurityProfile(clientId, "org-a", true, false, null, null));

        using var response = await SendAsync(method, path, clientId, PlatformScopes.Payments, signature: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var code = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString();
        Assert.Equal(path.Contains("/v4.0/", StringComparison.Ordinal) ? "U019" : "UK.OBIE.Signature.Missing", code);
        Assert.True(response.Headers.Contains(PlatformHeaders.JwsSignature));
    }

    [Theory]
    [MemberData(nameof(RefusingOperations))]
    public async Task Signature_WhereNoneIsTaken_IsRefusedUnexpected(string method, string path, string scope)
    {
        var clientId = "sig-" + Guid.NewGuid().ToString("N")[..12];

        using var response = await SendAsync(method, path, clientId, scope, signature: "e30..c2ln");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var code = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString();
        Assert.Equal(path.Contains("/v4.0/", StringComparison.Ordinal) ? "U020" : "UK.OBIE.Signature.Unexpected", code);
        Assert.Equal(RefusalRules.SignatureUnexpected, Assert.Single(response.Headers.GetValues(PlatformHeaders.RefusalRule)));
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string clientId, string scope, string? signature)
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SandboxFactory.ClientToken(clientId, "org-a", scope: scope));
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = PaymentsClient.Json("{}");
        }

        request.Headers.TryAddWithoutValidation("x-idempotency-key", Guid.NewGuid().ToString("N"));
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(PlatformHeaders.JwsSignature, signature);
        }

        return await client.SendAsync(request, Ct);
    }
}
