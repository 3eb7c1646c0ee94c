using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jose;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Gateway.CallLog;
using OpenBanking.Shared;
using OpenBanking.TestKit;
using ObSigning = OpenBanking.Shared.MessageSigning;

namespace OpenBanking.Gateway.FunctionalTests.MessageSigning;

/// <summary>
/// Message signing through the whole platform: an app registered with the defaults at Identity must sign, the
/// Sandbox reads its keys from Identity's security endpoint, the call log shows the signing outcome and the broken
/// rule, and the Sandbox's internal outcome headers never reach the client.
/// </summary>
public sealed class MessageSigningThroughGatewayTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private const string Consents = "/open-banking/v3.1/pisp/domestic-payment-consents";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task NewApp_Unsigned_IsRefusedU019_Signed_IsCreated_AndTheCallLogSaysWhich()
    {
        using var key = RSA.Create(2048);
        var organisationId = "org-sig-" + Guid.NewGuid().ToString("N")[..8];
        var (clientId, wallet) = await RegisterAppAsync(organisationId, key);
        var token = await wallet.ClientTokenAsync("payments");
        var body = ConsentBody();
        var unsignedId = Guid.NewGuid().ToString();
        var signedId = Guid.NewGuid().ToString();

        using var unsigned = await SendAsync(token, body, signature: null, unsignedId);
        using var signed = await SendAsync(token, body, Sign(key, body, organisationId, clientId), signedId);

        Assert.Equal(HttpStatusCode.BadRequest, unsigned.StatusCode);
        var error = (await unsigned.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Errors")[0];
        Assert.Equal("UK.OBIE.Signature.Missing", error.GetProperty("ErrorCode").GetString());
        Assert.Equal("x-jws-signature", error.GetProperty("Path").GetString());
        Assert.Equal(HttpStatusCode.Created, signed.StatusCode);
        foreach (var response in new[] { unsigned, signed })
        {
            Assert.True(response.Headers.Contains(PlatformHeaders.JwsSignature), "The bank signs its responses, refusals included.");
            Assert.False(response.Headers.Contains(PlatformHeaders.SignatureOutcome));
            Assert.False(response.Headers.Contains(PlatformHeaders.RefusalRule));
            Assert.False(response.Headers.Contains(PlatformHeaders.ObieErrorCode));
        }

        await platform.Gateway.Services.GetRequiredService<CallLogWriter>().FlushAsync(_ct);
        using var portal = await PortalAsync();
        var refusedCall = await CallAsync(portal, organisationId, unsignedId);
        Assert.Equal(clientId, refusedCall.GetProperty("clientId").GetString());
        Assert.False(refusedCall.GetProperty("signed").GetBoolean());
        Assert.Equal(RefusalRules.SignatureMissing, refusedCall.GetProperty("refusalRule").GetString());
        var signedCall = await CallAsync(portal, organisationId, signedId);
        Assert.True(signedCall.GetProperty("signed").GetBoolean());
        Assert.Equal("k1", signedCall.GetProperty("signatureKid").GetString());
        Assert.Null(Text(signedCall, "refusalRule"));
    }

    [Fact]
    public async Task DemoApp_Unsigned_StillWorks_AndIsLoggedAsNotSigned()
    {
        var token = await platform.Wallet().ClientTokenAsync("payments");
        var interactionId = Guid.NewGuid().ToString();

        using var response = await SendAsync(token, ConsentBody(), signature: null, interactionId);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains(PlatformHeaders.SignatureOutcome));
        await platform.Gateway.Services.GetRequiredService<CallLogWriter>().FlushAsync(_ct);
        using var portal = await PortalAsync();
        var call = await CallAsync(portal, DevelopmentSeed.DemoOrganisationId, interactionId);
        Assert.False(call.GetProperty("signed").GetBoolean());
        Assert.Null(Text(call, "refusalRule"));
    }

    private static string? Text(JsonElement call, string name)
        => call.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string ConsentBody()
        => "{\"Data\":{\"Initiation\":{\"InstructionIdentification\":\"ii-" + Guid.NewGuid().ToString("N")[..20] + "\",\"EndToEndIdentification\":\"e2e-1\","
            + "\"LocalInstrument\":\"UK.OBIE.FPS\",\"InstructedAmount\":{\"Amount\":\"5.00\",\"Currency\":\"GBP\"},"
            + "\"CreditorAccount\":{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":\"20000012345678\",\"Name\":\"Jane Smith\"},"
            + "\"RemittanceInformation\":{\"Reference\":\"INV-0001\",\"Unstructured\":\"Invoice 1\"}}},"
            + "\"Risk\":{\"PaymentContextCode\":\"TransferToThirdParty\"}}";

    // jose-jwt's detached PS256 JWS with the Open Banking header: the app signs as an independent client would.
    private static string Sign(RSA key, string body, string organisationId, string clientId)
        => JWT.EncodeBytes(Encoding.UTF8.GetBytes(body), key, JwsAlgorithm.PS256, extraHeaders: new Dictionary<string, object>
        {
            ["kid"] = "k1",
            ["typ"] = "JOSE",
            ["cty"] = "application/json",
            [ObSigning.IatClaim] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            [ObSigning.IssClaim] = $"{organisationId}/{clientId}",
            [ObSigning.TanClaim] = ObSigning.DefaultTrustAnchor,
            ["crit"] = ObSigning.CriticalClaims.ToArray(),
        }, options: new JwtOptions { DetachPayload = true });

    private async Task<HttpResponseMessage> SendAsync(string token, string body, string? signature, string interactionId)
    {
        using var client = platform.Gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Consents) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("x-fapi-interaction-id", interactionId);
        request.Headers.Add("x-idempotency-key", Guid.NewGuid().ToString("N"));
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(PlatformHeaders.JwsSignature, signature);
        }

        return await client.SendAsync(request, _ct);
    }

    private async Task<JsonElement> CallAsync(HttpClient portal, string organisationId, string interactionId)
    {
        var page = await portal.GetFromJsonAsync<JsonElement>($"/internal/calls?organisationId={organisationId}&interactionId={interactionId}", _ct);
        return Assert.Single(page.GetProperty("items").EnumerateArray());
    }

    private async Task<HttpClient> PortalAsync()
    {
        var client = platform.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", await platform.Wallet("portal-service", "portal-service-dev-secret").ClientTokenAsync(PlatformScopes.GatewayCalls));
        return client;
    }

    /// <summary>Registers an app as the Portal does, with Identity's defaults (signing required) and one message-signing key.</summary>
    private async Task<(string ClientId, Wallet Wallet)> RegisterAppAsync(string organisationId, RSA key)
    {
        var parameters = key.ExportParameters(false);
        using var identity = platform.Identity.CreateClient();
        identity.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", await platform.Wallet("portal-service", "portal-service-dev-secret").ClientTokenAsync(PlatformScopes.IdentityClients));
        using var created = await identity.PostAsJsonAsync("/internal/clients", new
        {
            name = "Signing Wallet",
            organisationId,
            organisationName = "Signing Wallet Ltd",
            redirectUris = new[] { "https://signing.example/callback" },
            scopes = new[] { "payments" },
            authMethod = "client_secret_basic",
            messageSigningJwks = new JsonObject
            {
                ["keys"] = new JsonArray(new JsonObject
                {
                    ["kty"] = "RSA",
                    ["kid"] = "k1",
                    ["n"] = Base64Url.Encode(parameters.Modulus),
                    ["e"] = Base64Url.Encode(parameters.Exponent),
                }),
            },
        }, _ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var app = await created.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.True(app.GetProperty("client").GetProperty("requireSignedRequests").GetBoolean());
        var clientId = app.GetProperty("clientId").GetString()!;
        return (clientId, platform.Wallet(clientId, app.GetProperty("clientSecret").GetString()!));
    }
}
