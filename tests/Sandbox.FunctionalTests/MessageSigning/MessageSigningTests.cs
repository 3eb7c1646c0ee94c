using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jose;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Shared;
using ObSigning = OpenBanking.Shared.MessageSigning;

namespace OpenBanking.Sandbox.FunctionalTests.MessageSigning;

/// <summary>
/// x-jws-signature on the bank API, in both versions: each refusal with its code, Path and message; the bank's
/// signature on every response of the signing endpoints, verified against the published JWKS; a refused request
/// changes nothing; a new key is picked up at once.
/// </summary>
public sealed class MessageSigningTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private const string Organisation = "org-a";
    private const string SignatureHeader = "x-jws-signature";

    private readonly PaymentsClient _payments = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Versions => new() { "v3.1", "v4.0" };

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task SignedConsent_IsCreated_AndTheCallLogHearsTheKid(string version)
    {
        using var signer = NewApp();
        var body = ConsentBody(version);

        using var response = await PostAsync(version, signer, body, signer.Sign(body));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("kid=k1", Single(response, PlatformHeaders.SignatureOutcome));
        Assert.False(response.Headers.Contains(PlatformHeaders.RefusalRule));
        await AssertSignedByTheBankAsync(response);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Unsigned_WhenTheAppRequiresSigning_IsRefusedMissing(string version)
    {
        using var signer = NewApp();

        using var response = await PostAsync(version, signer, ConsentBody(version), signature: null);

        await AssertRefusedAsync(response, version, "UK.OBIE.Signature.Missing", "U019", "x-jws-signature",
            "This app requires signed requests: send x-jws-signature, a detached JWS (PS256) of the body. See docs/message-signing.md.",
            "signature.missing");
    }

    [Fact]
    public async Task Unsigned_WhenTheAppHasNoKeysYet_SaysWhereToRegisterThem()
    {
        using var signer = new TppSigner("sig-" + Guid.NewGuid().ToString("N")[..12], Organisation);
        factory.AppSecurity.Set(new AppSecurityProfile(signer.ClientId, Organisation, true, false, null, null));

        using var response = await PostAsync("v3.1", signer, ConsentBody("v3.1"), signature: null);

        await AssertRefusedAsync(response, "v3.1", "UK.OBIE.Signature.Missing", "U019", "x-jws-signature",
            "This app requires signed requests: send x-jws-signature, a detached JWS (PS256) of the body. The app has no message-signing keys yet: register them in the Portal (App → Security). See docs/message-signing.md.",
            "signature.missing");
    }

    [Fact]
    public async Task Unsigned_WhenTheAppDoesNotRequireSigning_IsAccepted_AsNone()
    {
        using var signer = NewApp(requireSignedRequests: false);

        using var response = await PostAsync("v3.1", signer, ConsentBody("v3.1"), signature: null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("none", Single(response, PlatformHeaders.SignatureOutcome));
        await AssertSignedByTheBankAsync(response);
    }

    public static TheoryData<string, string, string, string, string> Refusals => new()
    {
        // case, v3.1.11 code, Path, rule, message ({client} = the app's client id)
        { "not-detached", "UK.OBIE.Signature.Malformed", "x-jws-signature", "signature.malformed",
            "x-jws-signature must be a detached compact JWS: '<header>..<signature>' (the payload part empty)." },
        { "header-not-json", "UK.OBIE.Signature.Malformed", "x-jws-signature", "signature.malformed",
            "The x-jws-signature header is not base64url-encoded JSON." },
        { "no-alg", "UK.OBIE.Signature.MissingClaim", "alg", "signature.missing-claim:alg", "The JWS header lacks 'alg'." },
        { "no-tan", "UK.OBIE.Signature.MissingClaim", "http://openbanking.org.uk/tan", "signature.missing-claim:http://openbanking.org.uk/tan",
            "The JWS header lacks 'http://openbanking.org.uk/tan'." },
        { "rs256", "UK.OBIE.Signature.InvalidClaim", "alg", "signature.invalid-claim:alg", "'alg' must be PS256; it is 'RS256'." },
        { "crit-short", "UK.OBIE.Signature.InvalidClaim", "crit", "signature.invalid-claim:crit",
            "crit must list exactly http://openbanking.org.uk/iat, http://openbanking.org.uk/iss, http://openbanking.org.uk/tan; it is [\"http://openbanking.org.uk/iat\",\"http://openbanking.org.uk/iss\"]." },
        { "b64", "UK.OBIE.Signature.InvalidClaim", "b64", "signature.invalid-claim:b64",
            "'b64' must be absent (removed in v3.1.4): the body is signed as base64url, and sent as it is." },
        { "extra-member", "UK.OBIE.Signature.InvalidClaim", "x5u", "signature.invalid-claim:x5u",
            "'x5u' is not allowed in the JWS header (allowed: alg, kid, typ, cty, crit and the three http://openbanking.org.uk/ claims)." },
        { "typ-jwt", "UK.OBIE.Signature.InvalidClaim", "typ", "signature.invalid-claim:typ", "'typ' must be JOSE when present; it is 'JWT'." },
        { "iat-string", "UK.OBIE.Signature.InvalidClaim", "http://openbanking.org.uk/iat", "signature.invalid-claim:http://openbanking.org.uk/iat",
            "'http://openbanking.org.uk/iat' must be a JSON number of whole seconds since 1970-01-01T00:00:00Z; it is '1700000000'." },
        { "iss-wrong", "UK.OBIE.Signature.InvalidClaim", "http://openbanking.org.uk/iss", "signature.invalid-claim:http://openbanking.org.uk/iss",
            "'http://openbanking.org.uk/iss' must be 'org-a/{client}' for this app (organisation id / client id); it is '{client}'." },
        { "tan-wrong", "UK.OBIE.Signature.InvalidClaim", "http://openbanking.org.uk/tan", "signature.invalid-claim:http://openbanking.org.uk/tan",
            "'http://openbanking.org.uk/tan' must be 'openbanking.org.uk' (the trust anchor this bank accepts); it is 'example.com'." },
        { "kid-unknown", "UK.OBIE.Signature.InvalidClaim", "kid", "signature.invalid-claim:kid",
            "kid 'nope' is not among this app's message-signing keys (registered: k1)." },
        { "body-changed", "UK.OBIE.Signature.Invalid", "x-jws-signature", "signature.invalid",
            "The signature does not verify over the body with key 'k1' (PS256). Sign base64url(header) + '.' + base64url(body bytes as sent)." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task BadSignature_IsRefusedWithTheRuleItBreaks_InV3(string @case, string code, string path, string rule, string message)
        => await RefusalAsync("v3.1", @case, code, path, rule, message);

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task BadSignature_IsRefusedWithTheRuleItBreaks_InV4(string @case, string code, string path, string rule, string message)
        => await RefusalAsync("v4.0", @case, code, path, rule, message);

    [Fact]
    public async Task IatInTheFuture_IsRefusedAsInvalidClaim()
    {
        using var signer = NewApp();
        var body = ConsentBody("v3.1");
        var iat = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();

        using var response = await PostAsync("v3.1", signer, body, signer.Sign(body, h => h[ObSigning.IatClaim] = iat));

        var error = await AssertRefusedAsync(response, "v3.1", "UK.OBIE.Signature.InvalidClaim", "U016", ObSigning.IatClaim, null,
            "signature.invalid-claim:" + ObSigning.IatClaim);
        Assert.StartsWith($"'{ObSigning.IatClaim}' is {iat}, in the future: the bank's time is ", error);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task SignatureOnARead_IsRefusedAsUnexpected(string version)
    {
        using var signer = NewApp(requireSignedRequests: false);
        var body = ConsentBody(version);
        using var created = await PostAsync(version, signer, body, signature: null);
        var consentId = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("Data").GetProperty("ConsentId").GetString();

        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PaymentsClient.PaymentToken(signer.ClientId, Organisation));
        client.DefaultRequestHeaders.TryAddWithoutValidation(SignatureHeader, signer.Sign(string.Empty));
        using var response = await client.GetAsync($"/open-banking/{version}/pisp/domestic-payment-consents/{consentId}", Ct);

        await AssertRefusedAsync(response, version, "UK.OBIE.Signature.Unexpected", "U020", "x-jws-signature",
            $"x-jws-signature is not expected on GET /open-banking/{version}/pisp/domestic-payment-consents/{{consentId}}: only requests with a body to payment and event-subscription endpoints are signed.",
            "signature.unexpected");
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task SignatureOnAccountInformation_IsRefusedAsUnexpected_AndTheRefusalIsNotSigned(string version)
    {
        using var signer = NewApp();
        const string body = "{\"Data\":{\"Permissions\":[\"ReadAccountsBasic\"]},\"Risk\":{}}";
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SandboxFactory.ClientToken(signer.ClientId, Organisation));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/open-banking/{version}/aisp/account-access-consents") { Content = PaymentsClient.Json(body) };
        request.Headers.TryAddWithoutValidation(SignatureHeader, signer.Sign(body));

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("Errors")[0];
        Assert.Equal(version == "v4.0" ? "U020" : "UK.OBIE.Signature.Unexpected", error.GetProperty("ErrorCode").GetString());
        Assert.Equal("signature.unexpected", Single(response, PlatformHeaders.RefusalRule));
        Assert.False(response.Headers.Contains(SignatureHeader));
        Assert.False(response.Headers.Contains(PlatformHeaders.SignatureOutcome));
    }

    [Fact]
    public async Task RefusedPayment_ChangesNothing_TheSameIdempotencyKeySignedThenMakesExactlyOnePayment()
    {
        using var signer = NewApp(requireSignedRequests: false);
        var (consentId, token, initiation, accountId) = await _payments.AuthorisedAsync(amount: "1.25", clientId: signer.ClientId, organisationId: Organisation);
        var balance = await _payments.BalanceAsync(accountId);
        var body = PaymentsClient.PaymentBody(consentId, initiation);
        var key = "sig-" + Guid.NewGuid().ToString("N")[..20];

        // Signed over another body: the app does not require signing, but a signature that is sent is verified.
        using var refused = await SubmitAsync(token, body, key, signer.Sign(body + " "));
        var balanceAfterRefusal = await _payments.BalanceAsync(accountId);
        using var accepted = await SubmitAsync(token, body, key, signer.Sign(body));

        await AssertRefusedAsync(refused, "v3.1", "UK.OBIE.Signature.Invalid", "U015", "x-jws-signature", null, "signature.invalid");
        Assert.Equal(balance, balanceAfterRefusal);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal("kid=k1", Single(accepted, PlatformHeaders.SignatureOutcome));
        Assert.Equal(1, await _payments.WithDbAsync(db => db.DomesticPayments.CountAsync(p => p.ConsentId == consentId, Ct)));
        Assert.Equal(balance - 125, await _payments.BalanceAsync(accountId));
        await AssertSignedByTheBankAsync(accepted);
    }

    [Fact]
    public async Task ANewKey_IsPickedUpAtOnce_ThroughARefetchOnTheUnknownKid()
    {
        using var first = NewApp();
        using var second = new TppSigner(first.ClientId, Organisation, kid: "k2");
        factory.AppSecurity.SetInIdentityOnly(first.Profile(true, second));
        var body = ConsentBody("v3.1");

        using var response = await PostAsync("v3.1", second, body, second.Sign(body));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("kid=k2", Single(response, PlatformHeaders.SignatureOutcome));
        Assert.Equal(1, factory.AppSecurity.Refreshes[first.ClientId]);
    }

    [Fact]
    public async Task IdentityUnreachable_WithNothingCached_IsA503OfTheBank_NeverA500()
    {
        using var signer = NewApp();
        factory.AppSecurity.Unavailable[signer.ClientId] = true;
        var body = ConsentBody("v3.1");

        using var response = await PostAsync("v3.1", signer, body, signer.Sign(body));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("Errors")[0];
        Assert.Equal("UK.OBIE.UnexpectedError", error.GetProperty("ErrorCode").GetString());
        Assert.Equal("The app's message-signing settings cannot be read now; retry shortly.", error.GetProperty("Message").GetString());
        await AssertSignedByTheBankAsync(response);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Reads_OfTheSigningEndpoints_AreSignedByTheBank_AndAccountInformationIsNot(string version)
    {
        using var signer = NewApp(requireSignedRequests: false);
        using var created = await PostAsync(version, signer, ConsentBody(version), signature: null);
        var consentId = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("Data").GetProperty("ConsentId").GetString();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PaymentsClient.PaymentToken(signer.ClientId, Organisation));

        using var consent = await client.GetAsync($"/open-banking/{version}/pisp/domestic-payment-consents/{consentId}", Ct);
        using var missing = await client.GetAsync($"/open-banking/{version}/pisp/domestic-payment-consents/nope", Ct);
        var aisConsent = await _payments.Sandbox.CreateConsentAsync("ReadAccountsBasic", signer.ClientId, Organisation, aisp: $"/open-banking/{version}/aisp");
        using var ais = factory.CreateClient();
        ais.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SandboxFactory.ClientToken(signer.ClientId, Organisation));
        using var aisRead = await ais.GetAsync($"/open-banking/{version}/aisp/account-access-consents/{aisConsent}", Ct);

        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        await AssertSignedByTheBankAsync(consent);
        Assert.False(consent.Headers.Contains(PlatformHeaders.SignatureOutcome));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        await AssertSignedByTheBankAsync(missing);
        Assert.Equal(HttpStatusCode.OK, aisRead.StatusCode);
        Assert.False(aisRead.Headers.Contains(SignatureHeader));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task EventSubscription_CreatedAndChangedWithSignatures_IsAccepted_AndAnswersSigned(string version)
    {
        using var signer = NewApp();
        var path = $"/open-banking/{version}/event-subscriptions";
        var create = "{\"Data\":{\"Version\":\"" + (version == "v4.0" ? "4.0" : "3.1") + "\"}}";

        using var created = await SendSignedAsync(HttpMethod.Post, path, signer, create);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("Data").GetProperty("EventSubscriptionId").GetString();
        var change = "{\"Data\":{\"EventSubscriptionId\":\"" + id + "\",\"Version\":\"" + (version == "v4.0" ? "4.0" : "3.1") + "\"}}";
        using var changed = await SendSignedAsync(HttpMethod.Put, $"{path}/{id}", signer, change);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("kid=k1", Single(changed, PlatformHeaders.SignatureOutcome));
        await AssertSignedByTheBankAsync(created);
        await AssertSignedByTheBankAsync(changed);
    }

    private async Task<HttpResponseMessage> SendSignedAsync(HttpMethod method, string path, TppSigner signer, string body)
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PaymentsClient.PaymentToken(signer.ClientId, Organisation));
        using var request = new HttpRequestMessage(method, path) { Content = PaymentsClient.Json(body) };
        request.Headers.TryAddWithoutValidation(SignatureHeader, signer.Sign(body));
        return await client.SendAsync(request, Ct);
    }

    private async Task RefusalAsync(string version, string @case, string code, string path, string rule, string message)
    {
        using var signer = NewApp();
        var body = ConsentBody(version);
        var signature = @case switch
        {
            "not-detached" => Attached(signer.Sign(body), body),
            "header-not-json" => Base64Url.Encode("not json"u8.ToArray()) + ".." + signer.Sign(body).Split('.')[2],
            "no-alg" => signer.SignRaw(body, WithoutAlg(signer)),
            "no-tan" => signer.Sign(body, h => h.Remove(ObSigning.TanClaim)),
            "rs256" => signer.Sign(body, algorithm: JwsAlgorithm.RS256),
            "crit-short" => signer.Sign(body, h => h["crit"] = new[] { ObSigning.IatClaim, ObSigning.IssClaim }),
            "b64" => signer.Sign(body, h => h["b64"] = true),
            "extra-member" => signer.Sign(body, h => h["x5u"] = "https://tpp.example/keys"),
            "typ-jwt" => signer.Sign(body, h => h["typ"] = "JWT"),
            "iat-string" => signer.Sign(body, h => h[ObSigning.IatClaim] = "1700000000"),
            "iss-wrong" => signer.Sign(body, h => h[ObSigning.IssClaim] = signer.ClientId),
            "tan-wrong" => signer.Sign(body, h => h[ObSigning.TanClaim] = "example.com"),
            "kid-unknown" => signer.Sign(body, h => h["kid"] = "nope"),
            "body-changed" => signer.Sign(body.Replace("10.00", "99.00", StringComparison.Ordinal)),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        using var response = await PostAsync(version, signer, body, signature);

        await AssertRefusedAsync(response, version, code, V4Code(code), path, message.Replace("{client}", signer.ClientId, StringComparison.Ordinal), rule);
    }

    // The same signature with the payload part filled in: a valid JWS, but not the detached form the profile requires.
    private static string Attached(string detached, string body)
    {
        var parts = detached.Split('.');
        return $"{parts[0]}.{Base64Url.Encode(Encoding.UTF8.GetBytes(body))}.{parts[2]}";
    }

    private static JsonObject WithoutAlg(TppSigner signer)
    {
        var header = new JsonObject();
        foreach (var (name, value) in signer.Header())
        {
            header[name] = JsonSerializer.SerializeToNode(value);
        }

        return header;
    }

    private static string V4Code(string code) => code switch
    {
        "UK.OBIE.Signature.Invalid" => "U015",
        "UK.OBIE.Signature.InvalidClaim" => "U016",
        "UK.OBIE.Signature.MissingClaim" => "U017",
        "UK.OBIE.Signature.Malformed" => "U018",
        "UK.OBIE.Signature.Missing" => "U019",
        "UK.OBIE.Signature.Unexpected" => "U020",
        _ => code,
    };

    /// <summary>Asserts the one OBIE error, the rule for the call log, and the bank's signature on the refusal; returns the message.</summary>
    private async Task<string> AssertRefusedAsync(HttpResponseMessage response, string version, string v3Code, string v4Code, string path, string? message, string rule)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        var root = JsonDocument.Parse(text).RootElement;
        var error = Assert.Single(root.GetProperty("Errors").EnumerateArray());
        Assert.Equal(version == "v4.0" ? v4Code : v3Code, error.GetProperty("ErrorCode").GetString());
        Assert.Equal(path, error.GetProperty("Path").GetString());
        if (message is not null)
        {
            Assert.Equal(message, error.GetProperty("Message").GetString());
        }

        if (version == "v3.1")
        {
            Assert.Equal("400 BadRequest", root.GetProperty("Code").GetString());
        }
        else
        {
            Assert.False(root.TryGetProperty("Code", out _));
        }

        Assert.Equal(rule, Single(response, PlatformHeaders.RefusalRule));
        if (rule != RefusalRules.SignatureUnexpected)
        {
            Assert.Equal("none", Single(response, PlatformHeaders.SignatureOutcome));
        }

        await AssertSignedByTheBankAsync(response);
        return error.GetProperty("Message").GetString()!;
    }

    /// <summary>
    /// Verifies the response's x-jws-signature as a partner would: the bank's key from /.well-known/jwks.json by kid,
    /// RSASSA-PSS over base64url(header) + '.' + base64url(body bytes), and the Open Banking header members.
    /// </summary>
    private async Task AssertSignedByTheBankAsync(HttpResponseMessage response)
    {
        var jws = Single(response, SignatureHeader);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        var parts = jws.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.Empty(parts[1]);
        var header = JsonDocument.Parse(Base64Url.Decode(parts[0])).RootElement;
        Assert.Equal("PS256", header.GetProperty("alg").GetString());
        Assert.Equal("JOSE", header.GetProperty("typ").GetString());
        Assert.Equal("application/json", header.GetProperty("cty").GetString());
        Assert.Equal("sandbox-bank", header.GetProperty(ObSigning.IssClaim).GetString());
        Assert.Equal("openbanking.org.uk", header.GetProperty(ObSigning.TanClaim).GetString());
        var bankNow = factory.Clock.GetUtcNow();
        Assert.InRange(header.GetProperty(ObSigning.IatClaim).GetInt64(), bankNow.AddMinutes(-5).ToUnixTimeSeconds(), bankNow.AddMinutes(5).ToUnixTimeSeconds());
        Assert.Equal(ObSigning.CriticalClaims, header.GetProperty("crit").EnumerateArray().Select(c => c.GetString()!));
        Assert.False(header.TryGetProperty("b64", out _));

        using var client = factory.CreateClient();
        var jwks = JsonDocument.Parse(await client.GetStringAsync("/.well-known/jwks.json", Ct)).RootElement;
        var kid = header.GetProperty("kid").GetString();
        var jwk = jwks.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == kid);
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Base64Url.Decode(jwk.GetProperty("n").GetString()),
            Exponent = Base64Url.Decode(jwk.GetProperty("e").GetString()),
        });
        var input = Encoding.ASCII.GetBytes(parts[0] + "." + Base64Url.Encode(body));
        Assert.True(rsa.VerifyData(input, Base64Url.Decode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pss), "The bank's signature does not verify.");
    }

    private TppSigner NewApp(bool requireSignedRequests = true)
    {
        var signer = new TppSigner("sig-" + Guid.NewGuid().ToString("N")[..12], Organisation);
        factory.AppSecurity.Set(signer.Profile(requireSignedRequests));
        return signer;
    }

    private static string ConsentBody(string version)
    {
        var initiation = version == "v4.0" ? V4PaymentsClient.Initiation() : PaymentsClient.Initiation();
        return "{\"Data\":{\"Initiation\":" + initiation + "},\"Risk\":" + PaymentsClient.Risk + "}";
    }

    private async Task<HttpResponseMessage> PostAsync(string version, TppSigner signer, string body, string? signature)
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PaymentsClient.PaymentToken(signer.ClientId, Organisation));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/open-banking/{version}/pisp/domestic-payment-consents") { Content = PaymentsClient.Json(body) };
        request.Headers.TryAddWithoutValidation(Idempotency.Header, Guid.NewGuid().ToString("N"));
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(SignatureHeader, signature);
        }

        return await client.SendAsync(request, Ct);
    }

    private async Task<HttpResponseMessage> SubmitAsync(string token, string body, string key, string signature)
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{PaymentsClient.Pisp}/domestic-payments") { Content = PaymentsClient.Json(body) };
        request.Headers.TryAddWithoutValidation(Idempotency.Header, key);
        request.Headers.TryAddWithoutValidation(SignatureHeader, signature);
        return await client.SendAsync(request, Ct);
    }

    private static string Single(HttpResponseMessage response, string header)
        => Assert.Single(response.Headers.TryGetValues(header, out var values) ? values : []);
}
