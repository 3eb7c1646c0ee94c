using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Identity.Clients;

namespace OpenBanking.Identity.UnitTests;

public sealed class ClientValidationTests
{
    private readonly ClientValidation _production = new(allowLoopbackHttp: false);
    private readonly ClientValidation _development = new(allowLoopbackHttp: true);

    // ---- Name ----

    [Fact]
    public void Name_Missing_IsRefusedOnlyWhenRequired()
    {
        Assert.Null(_production.Name(null, required: true));
        Assert.Equal(["The name is required."], _production.Errors["name"]);

        var update = new ClientValidation(allowLoopbackHttp: false);
        Assert.Null(update.Name(null, required: false));
        Assert.True(update.IsValid);
    }

    [Fact]
    public void Name_IsTrimmed_AndAcceptedUpTo100Characters()
    {
        Assert.Equal("Budget app", _production.Name("  Budget app ", required: true));
        Assert.Equal(new string('a', ClientValidation.MaxNameLength), _production.Name(new string('a', 100), required: true));
        Assert.True(_production.IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Name_EmptyOrLongerThan100Characters_IsRefused(string name)
    {
        _production.Name(name, required: false);

        Assert.Equal(["The name must have 1 to 100 characters."], _production.Errors["name"]);
    }

    [Theory]
    [InlineData("Budget\napp")]
    [InlineData("Budget\u0000app")]
    [InlineData("Budget\u007fapp")]
    public void Name_WithControlCharacters_IsRefused(string name)
    {
        _production.Name(name, required: true);

        Assert.Equal(["The name cannot contain control characters."], _production.Errors["name"]);
    }

    // ---- Organisation ----

    [Theory]
    [InlineData("7d0c5b6a-3e1f-4a52-9c8d-2b4e6f8a0c1d")]
    [InlineData("org.A_1:b-2")]
    public void OrganisationId_OfLettersDigitsAndDotUnderscoreColonHyphen_IsAccepted(string id)
    {
        Assert.Equal(id, _production.OrganisationId(id));
        Assert.True(_production.IsValid);
    }

    [Fact]
    public void OrganisationId_Of100Characters_IsAccepted_Of101Refused()
    {
        _production.OrganisationId(new string('a', 100));
        Assert.True(_production.IsValid);

        _production.OrganisationId(new string('a', 101));
        Assert.Single(_production.Errors["organisationId"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void OrganisationId_Missing_IsRequired(string? id)
    {
        Assert.Null(_production.OrganisationId(id));
        Assert.Equal(["The organisation id is required."], _production.Errors["organisationId"]);
    }

    [Theory]
    [InlineData("org a")]
    [InlineData("org/a")]
    [InlineData("org\"a")]
    [InlineData("org%a")]
    [InlineData("orgé")]
    [InlineData(" org")]
    public void OrganisationId_WithOtherCharacters_IsRefused(string id)
    {
        _production.OrganisationId(id);

        Assert.Equal(["The organisation id must have 1 to 100 letters, digits, '.', '_', ':' or '-'."], _production.Errors["organisationId"]);
    }

    [Fact]
    public void OrganisationName_IsTrimmed_AndAcceptedUpTo200Characters()
    {
        Assert.Equal("Acme Ltd", _production.OrganisationName(" Acme Ltd  "));
        _production.OrganisationName(new string('a', ClientValidation.MaxOrganisationNameLength));
        Assert.True(_production.IsValid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Acme\tLtd")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void OrganisationName_MissingTooLongOrWithControlCharacters_IsRefused(string? name)
    {
        _production.OrganisationName(name);

        Assert.Equal(["The organisation name is required: 1 to 200 characters, no control characters."], _production.Errors["organisationName"]);
    }

    // ---- Redirect URIs ----

    [Fact]
    public void RedirectUris_Missing_AreRefusedOnlyWhenRequired()
    {
        Assert.Null(_production.RedirectUris(null, required: true));
        Assert.Equal(["At least one redirect URI is required."], _production.Errors["redirectUris"]);

        var update = new ClientValidation(allowLoopbackHttp: false);
        Assert.Null(update.RedirectUris(null, required: false));
        Assert.True(update.IsValid);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void RedirectUris_NoneOrMoreThanTen_AreRefused(int count)
    {
        var uris = Enumerable.Range(1, count).Select(i => (string?)$"https://app.example/cb{i}").ToList();

        Assert.Null(_production.RedirectUris(uris, required: false));
        Assert.Equal(["Give 1 to 10 redirect URIs."], _production.Errors["redirectUris"]);
    }

    [Fact]
    public void RedirectUris_TenHttpsUris_AreAccepted_AndDuplicatesKeptOnce()
    {
        var uris = Enumerable.Range(1, 9).Select(i => (string?)$"https://app.example/cb{i}").Append("https://app.example/cb1").ToList();

        var accepted = _production.RedirectUris(uris, required: true);

        Assert.True(_production.IsValid);
        Assert.Equal(9, accepted!.Count);
        Assert.Equal(new Uri("https://app.example/cb1"), accepted[0]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/callback")]
    [InlineData("app.example/callback")]
    [InlineData("file:///etc/passwd")]
    [InlineData(@"\\server\share\callback")]
    public void RedirectUri_NotAnAbsoluteNetworkUri_IsRefused_AndNamedByItsIndex(string? uri)
    {
        var accepted = _production.RedirectUris(["https://app.example/cb", uri], required: true);

        Assert.Equal(["A redirect URI must be an absolute URI."], _production.Errors["redirectUris[1]"]);
        Assert.False(_production.Errors.ContainsKey("redirectUris[0]"));
        Assert.Equal([new Uri("https://app.example/cb")], accepted);
    }

    [Fact]
    public void RedirectUri_LongerThan2000Characters_IsRefused()
    {
        var longUri = "https://app.example/" + new string('a', ClientValidation.MaxRedirectUriLength);

        _production.RedirectUris([longUri], required: true);

        Assert.Equal(["A redirect URI must be an absolute URI."], _production.Errors["redirectUris[0]"]);
    }

    [Theory]
    [InlineData("http://app.example/cb")]
    [InlineData("http://localhost:5050/cb")]
    [InlineData("http://127.0.0.1/cb")]
    [InlineData("ftp://app.example/cb")]
    [InlineData("com.example.app:/cb")]
    public void RedirectUri_NotHttps_IsRefusedOutsideDevelopment_LoopbackIncluded(string uri)
    {
        _production.RedirectUris([uri], required: true);

        Assert.Equal(["A redirect URI must use https."], _production.Errors["redirectUris[0]"]);
    }

    [Theory]
    [InlineData("http://localhost/cb")]
    [InlineData("http://localhost:5050/signin-oidc")]
    [InlineData("http://127.0.0.1:8080/cb")]
    public void RedirectUri_LoopbackHttp_IsAllowedInDevelopment(string uri)
    {
        var accepted = _development.RedirectUris([uri], required: true);

        Assert.True(_development.IsValid);
        Assert.Equal([new Uri(uri)], accepted);
    }

    [Theory]
    [InlineData("http://app.example/cb")]
    [InlineData("http://[::1]/cb")]
    [InlineData("http://127.0.0.2/cb")]
    [InlineData("http://localhost.app.example/cb")]
    [InlineData("ftp://localhost/cb")]
    public void RedirectUri_OtherHttpOrSchemes_IsRefusedInDevelopmentToo_WithTheLoopbackHint(string uri)
    {
        _development.RedirectUris([uri], required: true);

        Assert.Equal(["A redirect URI must use https (http only for localhost or 127.0.0.1 in Development)."], _development.Errors["redirectUris[0]"]);
    }

    [Fact]
    public void RedirectUri_HttpsLocalhost_IsAcceptedEverywhere()
    {
        _production.RedirectUris(["https://localhost:7001/cb"], required: true);

        Assert.True(_production.IsValid);
    }

    [Theory]
    [InlineData("https://app.example/cb#section", "A redirect URI cannot have a fragment.")]
    [InlineData("https://app.example/cb#", "A redirect URI cannot have a fragment.")]
    [InlineData("https://user:pass@app.example/cb", "A redirect URI cannot carry user information.")]
    [InlineData("https://user@app.example/cb", "A redirect URI cannot carry user information.")]
    [InlineData("https://app.example/cb?iss=https://evil.example", "A redirect URI cannot have an 'iss' query parameter.")]
    [InlineData("https://app.example/cb?a=1&iss", "A redirect URI cannot have an 'iss' query parameter.")]
    public void RedirectUri_WithFragmentUserInformationOrIss_IsRefused(string uri, string message)
    {
        _production.RedirectUris([uri], required: true);

        Assert.Equal([message], _production.Errors["redirectUris[0]"]);
    }

    [Theory]
    [InlineData("https://app.example/cb?issuer=x")]
    [InlineData("https://app.example/cb?tenant=1&missing=2")]
    [InlineData("https://app.example/iss?state=1")]
    public void RedirectUri_WithOtherQueryParameters_IsAccepted(string uri)
    {
        _production.RedirectUris([uri], required: true);

        Assert.True(_production.IsValid);
    }

    [Fact]
    public void RedirectUri_BreakingSeveralRules_GetsEveryMessage()
    {
        _production.RedirectUris(["http://user@app.example/cb?iss=x#f"], required: true);

        Assert.Equal(
        [
            "A redirect URI must use https.", "A redirect URI cannot have a fragment.",
            "A redirect URI cannot carry user information.", "A redirect URI cannot have an 'iss' query parameter.",
        ], _production.Errors["redirectUris[0]"]);
    }

    // ---- Scopes ----

    [Fact]
    public void Scopes_Missing_AreRefusedOnlyWhenRequired()
    {
        Assert.Null(_production.Scopes(null, required: true));
        Assert.Equal(["At least one Open Banking scope is required."], _production.Errors["scopes"]);

        var update = new ClientValidation(allowLoopbackHttp: false);
        Assert.Null(update.Scopes(null, required: false));
        Assert.True(update.IsValid);
    }

    [Fact]
    public void Scopes_Known_AreAccepted_InOrder_AndDuplicatesKeptOnce()
    {
        var scopes = _production.Scopes(["openid", "accounts", "offline_access", "payments", "accounts", "fundsconfirmations"], required: true);

        Assert.True(_production.IsValid);
        Assert.Equal(["openid", "accounts", "offline_access", "payments", "fundsconfirmations"], scopes);
    }

    [Theory]
    [InlineData("sandbox.internal")]
    [InlineData("identity.clients")]
    [InlineData("gateway.calls")]
    [InlineData("Accounts")]
    [InlineData("profile")]
    [InlineData("")]
    public void Scope_InternalOrUnknown_IsRefused_AndNamedByItsIndex(string scope)
    {
        var scopes = _production.Scopes(["accounts", scope], required: true);

        Assert.Equal(["Unknown scope; allowed: accounts, fundsconfirmations, offline_access, openid, payments."], _production.Errors["scopes[1]"]);
        Assert.Equal(["accounts"], scopes);
    }

    [Fact]
    public void Scope_Null_IsRefused()
    {
        _production.Scopes(["payments", null], required: true);

        Assert.True(_production.Errors.ContainsKey("scopes[1]"));
    }

    [Theory]
    [InlineData]
    [InlineData("openid")]
    [InlineData("openid", "offline_access")]
    public void Scopes_WithoutAnOpenBankingScope_AreRefused(params string[] scopes)
    {
        _production.Scopes(scopes, required: false);

        Assert.Equal(["At least one Open Banking scope is required (accounts, payments, fundsconfirmations)."], _production.Errors["scopes"]);
    }

    // ---- Authentication method ----

    [Fact]
    public void AuthMethod_Missing_IsClientSecretBasic()
    {
        Assert.Equal(ClientAuthMethods.ClientSecretBasic, _production.AuthMethod(null));
        Assert.True(_production.IsValid);
    }

    [Theory]
    [InlineData("client_secret_basic")]
    [InlineData("private_key_jwt")]
    public void AuthMethod_Offered_IsAccepted(string method)
    {
        Assert.Equal(method, _production.AuthMethod(method));
        Assert.True(_production.IsValid);
    }

    [Theory]
    [InlineData("client_secret_post")]
    [InlineData("client_secret_jwt")]
    [InlineData("none")]
    [InlineData("tls_client_auth")]
    [InlineData("Private_Key_Jwt")]
    [InlineData("")]
    public void AuthMethod_Other_IsRefused(string method)
    {
        Assert.Null(_production.AuthMethod(method));
        Assert.Equal(["The authentication method must be client_secret_basic or private_key_jwt."], _production.Errors["authMethod"]);
    }

    // ---- JSON Web Key Set ----

    [Fact]
    public void Jwks_PublicRsaAndEcSigningKeys_AreAccepted()
    {
        var set = _production.Jwks(Json($$"""{ "keys": [ {{RsaKey("sig")}}, {{EcKey(null)}} ] }"""), ClientAuthMethods.PrivateKeyJwt, required: true);

        Assert.True(_production.IsValid);
        Assert.Equal(2, set!.Keys.Count);
    }

    [Fact]
    public void Jwks_OnAnUpdateThatKeepsTheMethod_IsParsed()
    {
        var set = _production.Jwks(Json($$"""{ "keys": [ {{RsaKey(null)}} ] }"""), authMethod: null, required: false);

        Assert.True(_production.IsValid);
        Assert.Single(set!.Keys);
    }

    [Fact]
    public void Jwks_Missing_IsRequiredOnlyForPrivateKeyJwt_WhenRequired()
    {
        Assert.Null(_production.Jwks(null, ClientAuthMethods.PrivateKeyJwt, required: true));
        Assert.Equal(["A JSON Web Key Set is required for private_key_jwt."], _production.Errors["jwks"]);

        var others = new ClientValidation(allowLoopbackHttp: false);
        Assert.Null(others.Jwks(null, ClientAuthMethods.ClientSecretBasic, required: true));
        Assert.Null(others.Jwks(null, ClientAuthMethods.PrivateKeyJwt, required: false));
        Assert.Null(others.Jwks(Json("null"), ClientAuthMethods.ClientSecretBasic, required: true));
        Assert.True(others.IsValid);
    }

    [Fact]
    public void Jwks_JsonNull_CountsAsMissing()
    {
        Assert.Null(_production.Jwks(Json("null"), ClientAuthMethods.PrivateKeyJwt, required: true));
        Assert.Equal(["A JSON Web Key Set is required for private_key_jwt."], _production.Errors["jwks"]);
    }

    [Fact]
    public void Jwks_ForAClientSecretClient_IsRefused()
    {
        Assert.Null(_production.Jwks(Json($$"""{ "keys": [ {{RsaKey("sig")}} ] }"""), ClientAuthMethods.ClientSecretBasic, required: true));
        Assert.Equal(["Only a private_key_jwt client has a JSON Web Key Set."], _production.Errors["jwks"]);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"keys\"")]
    [InlineData("{}")]
    [InlineData("{ \"keys\": {} }")]
    [InlineData("{ \"keys\": null }")]
    public void Jwks_NotAnObjectWithAKeysArray_IsRefused(string json)
    {
        Assert.Null(_production.Jwks(Json(json), ClientAuthMethods.PrivateKeyJwt, required: true));
        Assert.Equal(["The JSON Web Key Set must be an object with a 'keys' array."], _production.Errors["jwks"]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    public void Jwks_WithNoKeysOrMoreThanTwenty_IsRefused(int count)
    {
        var keys = string.Join(", ", Enumerable.Range(0, count).Select(_ => RsaKey("sig")));

        Assert.Null(_production.Jwks(Json($$"""{ "keys": [ {{keys}} ] }"""), ClientAuthMethods.PrivateKeyJwt, required: true));
        Assert.Equal(["The JSON Web Key Set must have 1 to 20 keys."], _production.Errors["jwks"]);
    }

    [Fact]
    public void Jwks_OfTwentyKeys_IsAccepted()
    {
        var keys = string.Join(", ", Enumerable.Range(0, ClientValidation.MaxJwksKeys).Select(_ => RsaKey("sig")));

        Assert.Equal(20, _production.Jwks(Json($$"""{ "keys": [ {{keys}} ] }"""), ClientAuthMethods.PrivateKeyJwt, required: true)!.Keys.Count);
        Assert.True(_production.IsValid);
    }

    [Theory]
    [InlineData("\"key\"")]
    [InlineData("[]")]
    [InlineData("1")]
    public void Jwks_WithAKeyThatIsNotAnObject_IsRefused(string key)
    {
        Assert.Null(_production.Jwks(Json($$"""{ "keys": [ {{RsaKey("sig")}}, {{key}} ] }"""), ClientAuthMethods.PrivateKeyJwt, required: true));
        Assert.Equal(["Every key must be a JSON object."], _production.Errors["jwks"]);
    }

    [Theory]
    [InlineData("d")]
    [InlineData("p")]
    [InlineData("q")]
    [InlineData("dp")]
    [InlineData("dq")]
    [InlineData("qi")]
    [InlineData("oth")]
    [InlineData("k")]
    public void Jwks_WithPrivateOrSymmetricKeyMaterial_IsRefused(string member)
    {
        var key = RsaKey("sig").TrimEnd('}') + $$""", "{{member}}": "AQAB" }""";

        Assert.Null(_production.Jwks(Json($$"""{ "keys": [ {{key}} ] }"""), ClientAuthMethods.PrivateKeyJwt, required: true));
        Assert.Equal(["The JSON Web Key Set must hold public keys only."], _production.Errors["jwks"]);
    }

    [Fact]
    public void Jwks_WithARealPrivateRsaKey_IsRefused()
    {
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(includePrivateParameters: true);
        var key = $$"""{ "kty": "RSA", "n": "{{B64(p.Modulus)}}", "e": "{{B64(p.Exponent)}}", "d": "{{B64(p.D)}}", "p": "{{B64(p.P)}}", "q": "{{B64(p.Q)}}" }""";

        Assert.Null(_production.Jwks(Json($$"""{ "keys": [ {{key}} ] }"""), ClientAuthMethods.PrivateKeyJwt, required: true));
        Assert.Equal(["The JSON Web Key Set must hold public keys only."], _production.Errors["jwks"]);

        static string B64(byte[]? bytes) => Base64UrlEncoder.Encode(bytes);
    }

    [Theory]
    [InlineData("""{ "kty": "RSA", "use": "enc", "n": "AQAB", "e": "AQAB" }""")]
    [InlineData("""{ "kty": "EC", "use": "enc", "crv": "P-256", "x": "AQAB", "y": "AQAB" }""")]
    [InlineData("""{ "kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" }""")]
    [InlineData("""{ "use": "sig" }""")]
    public void Jwks_WithoutAnRsaOrEcSigningKey_IsRefused(string key)
    {
        Assert.Null(_production.Jwks(Json($$"""{ "keys": [ {{key}} ] }"""), ClientAuthMethods.PrivateKeyJwt, required: true));
        Assert.Equal(["The JSON Web Key Set needs at least one RSA or EC signing key."], _production.Errors["jwks"]);
    }

    [Theory]
    [InlineData("""{ "kty": 1 }""")]
    [InlineData("""{ "kty": "RSA", "n": 5, "e": "AQAB" }""")]
    [InlineData("""{ "kty": "RSA", "key_ops": "sign", "n": "AQAB", "e": "AQAB" }""")]
    [InlineData("""{ "kty": "RSA", "x5c": "MIIB", "n": "AQAB", "e": "AQAB" }""")]
    public void Jwks_ThatCannotBeRead_IsRefused(string key)
    {
        Assert.Null(_production.Jwks(Json($$"""{ "keys": [ {{key}} ] }"""), ClientAuthMethods.PrivateKeyJwt, required: true));
        Assert.Equal(["The JSON Web Key Set cannot be read."], _production.Errors["jwks"]);
    }

    // ---- Errors ----

    [Fact]
    public void Errors_CollectEveryFieldAndMessage_AndAreACopy()
    {
        _production.Name(null, required: true);
        _production.Add("name", "Another.");
        _production.AuthMethod("none");

        var errors = _production.Errors;
        errors["name"] = [];

        Assert.False(_production.IsValid);
        Assert.Equal(["The name is required.", "Another."], _production.Errors["name"]);
        Assert.Equal(["name", "authMethod"], _production.Errors.Keys);
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static string RsaKey(string? use)
    {
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var usePart = use is null ? "" : $"\"use\": \"{use}\", ";
        return $$"""{ "kty": "RSA", {{usePart}}"n": "{{Base64UrlEncoder.Encode(parameters.Modulus)}}", "e": "{{Base64UrlEncoder.Encode(parameters.Exponent)}}" }""";
    }

    private static string EcKey(string? use)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = ec.ExportParameters(includePrivateParameters: false);
        var usePart = use is null ? "" : $"\"use\": \"{use}\", ";
        return $$"""{ "kty": "EC", {{usePart}}"crv": "P-256", "x": "{{Base64UrlEncoder.Encode(parameters.Q.X)}}", "y": "{{Base64UrlEncoder.Encode(parameters.Q.Y)}}" }""";
    }
}
