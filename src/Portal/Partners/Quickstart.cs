using OpenBanking.Portal.Reference;

namespace OpenBanking.Portal.Partners;

/// <summary>Copy-ready snippets of the consent flow, filled with one app's client id and the platform's addresses.</summary>
public sealed record Quickstart(string ClientId, Uri Issuer, Uri Gateway, string RedirectUri, string Customer = "alice")
{
    /// <summary>The app's organisation id at Identity: with the client id, the signer (<c>iss</c>) of its message signatures.</summary>
    public string OrganisationId { get; init; } = "<your organisation id>";

    /// <summary>Whether the app requires signed requests / DPoP now (the signing sample says so; it works either way).</summary>
    public bool RequireSignedRequests { get; init; }

    public bool RequireDpop { get; init; }

    /// <summary>The API version the snippets call: its base path and the status the new consent starts in.</summary>
    public ObieVersion Version { get; init; } = ObieVersion.Default;

    private const string ConsentBody =
        """{"Data":{"Permissions":["ReadAccountsDetail","ReadBalances","ReadTransactionsDetail","ReadTransactionsCredits","ReadTransactionsDebits"]},"Risk":{}}""";

    private string Token => new Uri(Issuer, "connect/token").ToString();

    private string Par => new Uri(Issuer, "connect/par").ToString();

    private string SandboxAuthorize => new Uri(Issuer, "sandbox/authorize").ToString();

    private string Accounts => new Uri(Gateway, Version.GatewayPrefix.TrimStart('/') + "aisp/").ToString();

    public IReadOnlyList<(string Title, string Explanation, string Curl)> CurlSteps =>
    [
        ("1. Get a client-credentials token",
            "Your app's own token, to create the consent (keep the secret on your server).",
            $"""
            export CLIENT_ID={ClientId} CLIENT_SECRET='<your client secret>'
            TOKEN=$(curl -s -u "$CLIENT_ID:$CLIENT_SECRET" \
              -d grant_type=client_credentials -d scope=accounts \
              {Token} | jq -r .access_token)
            """),
        ("2. Create an account-access consent",
            $"It starts {Version.ConsentAwaiting} and becomes {Version.ConsentAuthorised} once the customer approves. Every response carries an x-fapi-interaction-id to quote to support.",
            $"""
            CONSENT_ID=$(curl -s {Accounts}account-access-consents \
              -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
              -H "x-fapi-interaction-id: $(uuidgen)" \
              -d '{ConsentBody}' \
              | jq -r .Data.ConsentId)
            """),
        ("3. Push the authorization request (PAR, PKCE S256)",
            "The request goes to the authorization server first; the browser only carries the request_uri.",
            $"""
            VERIFIER=$(openssl rand -base64 48 | tr -d '=+/' | cut -c1-64)
            CHALLENGE=$(printf %s "$VERIFIER" | openssl dgst -binary -sha256 | openssl base64 | tr '+/' '-_' | tr -d '=')
            REQUEST_URI=$(curl -s -u "$CLIENT_ID:$CLIENT_SECRET" {Par} \
              -d response_type=code -d client_id=$CLIENT_ID -d redirect_uri={RedirectUri} \
              -d scope='openid accounts' -d state=$(uuidgen) -d nonce=$(uuidgen) \
              -d code_challenge=$CHALLENGE -d code_challenge_method=S256 -d consent_id=$CONSENT_ID | jq -r .request_uri)
            # In production: send the customer's browser to
            # {new Uri(Issuer, "connect/authorize")}?client_id=$CLIENT_ID&request_uri=$REQUEST_URI
            """),
        ("4. Let the sandbox customer approve (no browser)",
            $"The sandbox's test customer '{Customer}' signs in (password sandbox, code 123456) and approves; the answer is the redirect with the code.",
            $"""
            CODE=$(curl -s -u "$CLIENT_ID:$CLIENT_SECRET" {SandboxAuthorize} \
              -d client_id=$CLIENT_ID -d request_uri=$REQUEST_URI -d username={Customer} -d password=sandbox -d otp=123456 -d decision=approve \
              | jq -r .redirect_uri | sed -E 's/.*[?&]code=([^&]+).*/\1/')
            """),
        ("5. Exchange the code for the customer's token",
            "Bound to the consent; a refresh token comes with offline_access.",
            $"""
            ACCESS_TOKEN=$(curl -s -u "$CLIENT_ID:$CLIENT_SECRET" {Token} \
              -d grant_type=authorization_code -d code=$CODE -d redirect_uri={RedirectUri} -d code_verifier=$VERIFIER | jq -r .access_token)
            """),
        ("6. Call the API",
            "Only the accounts the customer chose, only the data the consent permits.",
            $"""
            curl -s {Accounts}accounts -H "Authorization: Bearer $ACCESS_TOKEN" -H "x-fapi-interaction-id: $(uuidgen)" | jq
            """),
    ];

    public string CSharp => $$"""
        // dotnet add package IdentityModel is not needed: plain HttpClient is enough.
        using System.Net.Http.Headers;
        using System.Net.Http.Json;
        using System.Security.Cryptography;
        using System.Text;

        var clientId = "{{ClientId}}";
        var clientSecret = Environment.GetEnvironmentVariable("CLIENT_SECRET")!; // never in source control
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.ASCII.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}")));

        // 1. Client-credentials token
        var token = await PostFormAsync("{{Token}}", new() { ["grant_type"] = "client_credentials", ["scope"] = "accounts" });

        // 2. Consent
        using var gateway = new HttpClient { BaseAddress = new Uri("{{Accounts}}") };
        gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString());
        var consentResponse = await gateway.PostAsJsonAsync("account-access-consents", new
        {
            Data = new { Permissions = new[] { "ReadAccountsDetail", "ReadBalances", "ReadTransactionsDetail", "ReadTransactionsCredits", "ReadTransactionsDebits" } },
            Risk = new { },
        });
        var consent = await consentResponse.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;

        // 3. PAR with PKCE S256
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var par = await PostFormAsync("{{Par}}", new()
        {
            ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = "{{RedirectUri}}", ["scope"] = "openid accounts",
            ["state"] = Guid.NewGuid().ToString(), ["nonce"] = Guid.NewGuid().ToString(),
            ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["consent_id"] = consentId,
        });

        // 4. Sandbox only: the test customer approves without a browser
        var decision = await PostFormAsync("{{SandboxAuthorize}}", new()
        {
            ["client_id"] = clientId, ["request_uri"] = par.GetProperty("request_uri").GetString()!,
            ["username"] = "{{Customer}}", ["password"] = "sandbox", ["otp"] = "123456", ["decision"] = "approve",
        });
        var code = System.Web.HttpUtility.ParseQueryString(new Uri(decision.GetProperty("redirect_uri").GetString()!).Query)["code"]!;

        // 5. Code → customer token
        var customer = await PostFormAsync("{{Token}}", new()
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = "{{RedirectUri}}", ["code_verifier"] = verifier,
        });

        // 6. Call the API with the customer's token
        gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", customer.GetProperty("access_token").GetString());
        var accounts = await gateway.GetAsync("accounts");
        Console.WriteLine($"{(int)accounts.StatusCode} {accounts.Headers.GetValues("x-fapi-interaction-id").First()}");
        Console.WriteLine(await accounts.Content.ReadAsStringAsync());

        async Task<System.Text.Json.JsonElement> PostFormAsync(string url, Dictionary<string, string> form)
        {
            using var response = await http.PostAsync(url, new FormUrlEncodedContent(form));
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        }

        static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        """;

    public string JavaScript => $$"""
        // Node 18+ (global fetch, WebCrypto). Run on your server: the secret must never reach a browser.
        import { createHash, randomBytes, randomUUID } from "node:crypto";

        const clientId = "{{ClientId}}";
        const clientSecret = process.env.CLIENT_SECRET;
        const basic = "Basic " + Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64");
        const form = async (url, body) => {
          const response = await fetch(url, { method: "POST", headers: { Authorization: basic }, body: new URLSearchParams(body) });
          if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
          return response.json();
        };

        // 1. Client-credentials token
        const { access_token: appToken } = await form("{{Token}}", { grant_type: "client_credentials", scope: "accounts" });

        // 2. Consent
        const consent = await (await fetch("{{Accounts}}account-access-consents", {
          method: "POST",
          headers: { Authorization: `Bearer ${appToken}`, "Content-Type": "application/json", "x-fapi-interaction-id": randomUUID() },
          body: JSON.stringify({ Data: { Permissions: ["ReadAccountsDetail", "ReadBalances", "ReadTransactionsDetail", "ReadTransactionsCredits", "ReadTransactionsDebits"] }, Risk: {} }),
        })).json();

        // 3. PAR with PKCE S256
        const verifier = randomBytes(32).toString("base64url");
        const challenge = createHash("sha256").update(verifier).digest("base64url");
        const { request_uri } = await form("{{Par}}", {
          response_type: "code", client_id: clientId, redirect_uri: "{{RedirectUri}}", scope: "openid accounts",
          state: randomUUID(), nonce: randomUUID(), code_challenge: challenge, code_challenge_method: "S256",
          consent_id: consent.Data.ConsentId,
        });

        // 4. Sandbox only: the test customer approves without a browser
        const decision = await form("{{SandboxAuthorize}}", {
          client_id: clientId, request_uri, username: "{{Customer}}", password: "sandbox", otp: "123456", decision: "approve",
        });
        const code = new URL(decision.redirect_uri).searchParams.get("code");

        // 5. Code → customer token
        const { access_token } = await form("{{Token}}", {
          grant_type: "authorization_code", code, redirect_uri: "{{RedirectUri}}", code_verifier: verifier,
        });

        // 6. Call the API
        const accounts = await fetch("{{Accounts}}accounts", { headers: { Authorization: `Bearer ${access_token}` } });
        console.log(accounts.status, accounts.headers.get("x-fapi-interaction-id"), await accounts.json());
        """;

    private const string PaymentConsentBody =
        """{"Data":{"Initiation":{"InstructionIdentification":"ACME412","EndToEndIdentification":"FRESCO.21302.GFX.20","InstructedAmount":{"Amount":"10.00","Currency":"GBP"},"CreditorAccount":{"SchemeName":"UK.OBIE.SortCodeAccountNumber","Identification":"08080021325698","Name":"ACME Inc"}}},"Risk":{}}""";

    private string Payments => new Uri(Gateway, Version.GatewayPrefix.TrimStart('/') + "pisp/").ToString();

    /// <summary>
    /// Message signing and DPoP in C#: System.Security.Cryptography and System.Text.Json only, so it runs as a
    /// file-based app (<c>dotnet run signing.cs</c>). The helper class is <see cref="ObSigning"/>'s own source.
    /// </summary>
    public string CSharpSigning => $$"""
        // dotnet run signing.cs — .NET 10, no packages. CLIENT_SECRET from the environment, never in source control.
        // This app: signed requests {{(RequireSignedRequests ? "REQUIRED" : "not required (a signature that is sent is still checked)")}}, DPoP {{(RequireDpop ? "REQUIRED" : "not required (optional)")}}.
        using System.Net;
        using System.Net.Http.Headers;
        using System.Security.Cryptography;
        using System.Text;
        using System.Text.Encodings.Web;
        using System.Text.Json;
        using System.Text.Json.Nodes;

        var clientId = "{{ClientId}}";
        var organisationId = "{{OrganisationId}}";
        var clientSecret = Environment.GetEnvironmentVariable("CLIENT_SECRET")!;

        // 1. Your message-signing key (RSA 2048, PS256). Keep the private key safe (e.g. PEM in a vault); add the
        //    public JWK set printed here to the app in the Portal (App → Security → Add keys).
        using var signingKey = RSA.Create(2048);
        var kid = "key-" + DateTime.UtcNow.ToString("yyyyMMdd");
        Console.WriteLine(ObSigning.PublicJwks(signingKey, kid));

        // 2. Your DPoP key (ES256): one per app instance; tokens are bound to it.
        using var dpopKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var http = new HttpClient();

        // 3. A DPoP-bound client-credentials token (the proof names POST and the token endpoint).
        var tokenUrl = new Uri("{{Token}}");
        var token = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "payments" }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.ASCII.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}")));
            return request;
        }, accessToken: null);
        var accessToken = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;

        // 4. A signed payment consent, sent with the token as "DPoP <token>" and a proof carrying ath.
        var body = Encoding.UTF8.GetBytes({{CSharpString(PaymentConsentBody)}});
        var consentUrl = new Uri("{{Payments}}domestic-payment-consents");
        using var consent = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, consentUrl) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("x-idempotency-key", Guid.NewGuid().ToString());
            request.Headers.Add("x-fapi-interaction-id", Guid.NewGuid().ToString());
            // Sign the bytes exactly as sent: re-serialising the JSON would change them.
            request.Headers.Add("x-jws-signature", ObSigning.SignBody(body, signingKey, kid, organisationId, clientId));
            return request;
        }, accessToken);
        Console.WriteLine($"{(int)consent.StatusCode} {await consent.Content.ReadAsStringAsync()}");
        // The bank signs its answer too: x-jws-signature, verifiable with {{new Uri(Gateway, ".well-known/jwks.json")}}.
        Console.WriteLine(consent.Headers.TryGetValues("x-jws-signature", out var bankSignature) ? bankSignature.First() : "(no response signature)");

        // Sends with a fresh DPoP proof; a server that asks for a nonce (use_dpop_nonce) gets one retry carrying it.
        async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, string? accessToken)
        {
            string? nonce = null;
            for (var attempt = 0; ; attempt++)
            {
                using var request = build();
                request.Headers.Add("DPoP", ObSigning.DpopProof(dpopKey, request.Method.Method, request.RequestUri!, accessToken, nonce));
                if (accessToken is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("DPoP", accessToken);
                }

                var response = await http.SendAsync(request);
                var askedForNonce = response.Headers.TryGetValues("DPoP-Nonce", out var nonces)
                    && (response.StatusCode == HttpStatusCode.Unauthorized || (await response.Content.ReadAsStringAsync()).Contains("use_dpop_nonce"));
                if (!askedForNonce || attempt > 0)
                {
                    return response;
                }

                nonce = nonces!.First();
                response.Dispose();
            }
        }

        {{SigningHelperSource.Value}}
        """;

    private static string CSharpString(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>The <see cref="ObSigning"/> class exactly as compiled into the Portal (between its snippet markers).</summary>
    private static readonly Lazy<string> SigningHelperSource = new(() =>
    {
        using var stream = typeof(ObSigning).Assembly.GetManifestResourceStream("OpenBanking.Portal.ObSigning.cs")
            ?? throw new InvalidOperationException("The ObSigning.cs resource is missing from the Portal assembly.");
        var source = new StreamReader(stream).ReadToEnd().ReplaceLineEndings("\n");
        const string Start = "// <snippet>\n", End = "// </snippet>";
        var from = source.IndexOf(Start, StringComparison.Ordinal) + Start.Length;
        return source[from..source.IndexOf(End, from, StringComparison.Ordinal)].TrimEnd();
    });
}
