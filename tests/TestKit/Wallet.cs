using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace OpenBanking.TestKit;

/// <summary>
/// A wallet app as a partner writes it: client credentials, a consent at the bank, a pushed authorization request
/// with PKCE, the customer's authorisation (headless), the code exchange, and bank API calls. <paramref name="identity"/>
/// gives clients of the authorization server (not following redirects), <paramref name="bank"/> clients of the bank
/// APIs (the Sandbox, or the gateway in front of it).
/// </summary>
public sealed partial class Wallet(Func<HttpClient> identity, Func<HttpClient> bank, string clientId = "demo-wallet", string secret = "demo-wallet-secret")
{
    public const string RedirectUri = "http://localhost:5005/callback";
    public const string Permissions = "ReadAccountsDetail ReadBalances ReadTransactionsDetail ReadTransactionsCredits ReadTransactionsDebits";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public string ClientId => clientId;

    public HttpClient Identity(bool authenticate = true)
    {
        var client = identity();
        if (authenticate)
        {
            client.DefaultRequestHeaders.Authorization = Basic(clientId, secret);
        }

        return client;
    }

    public static AuthenticationHeaderValue Basic(string id, string password)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(id)}:{Uri.EscapeDataString(password)}")));

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string path, IDictionary<string, string> form)
    {
        using var response = await client.PostAsync(path, new FormUrlEncodedContent(form), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    public async Task<string> ClientTokenAsync(string scope = "accounts")
    {
        using var client = Identity();
        var (status, body) = await PostAsync(client, "/connect/token", new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = scope });
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("access_token").GetString()!;
    }

    public async Task<string> CreateConsentAsync(string permissions = Permissions)
    {
        using var client = bank();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await ClientTokenAsync());
        var list = string.Join(",", permissions.Split(' ').Select(p => $"\"{p}\""));
        using var response = await client.PostAsync("/open-banking/v3.1/aisp/account-access-consents",
            new StringContent("{\"Data\":{\"Permissions\":[" + list + "]},\"Risk\":{}}", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("Data").GetProperty("ConsentId").GetString()!;
    }

    public async Task<JsonElement> GetConsentAsync(string consentId)
    {
        using var client = bank();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await ClientTokenAsync());
        return (await client.GetFromJsonAsync<JsonElement>($"/open-banking/v3.1/aisp/account-access-consents/{consentId}", Ct)).GetProperty("Data");
    }

    public sealed record Pkce(string Verifier, string Challenge)
    {
        public static Pkce Create()
        {
            var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
            return new Pkce(verifier, WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
        }
    }

    public Dictionary<string, string> ParForm(string consentId, Pkce pkce, string state = "state-1", string scope = "openid accounts offline_access") => new()
    {
        ["response_type"] = "code",
        ["client_id"] = clientId,
        ["redirect_uri"] = RedirectUri,
        ["scope"] = scope,
        ["state"] = state,
        ["nonce"] = "nonce-1",
        ["code_challenge"] = pkce.Challenge,
        ["code_challenge_method"] = "S256",
        ["consent_id"] = consentId,
    };

    public async Task<(HttpStatusCode Status, JsonElement Body)> PushAsync(Dictionary<string, string> form)
    {
        using var client = Identity();
        return await PostAsync(client, "/connect/par", form);
    }

    public async Task<string> PushedRequestUriAsync(string consentId, Pkce pkce, string scope = "openid accounts offline_access")
    {
        var (status, body) = await PushAsync(ParForm(consentId, pkce, scope: scope));
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("request_uri").GetString()!;
    }

    /// <summary>The non-browser sandbox authorisation; returns the redirect URL's query.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> AuthoriseHeadlessAsync(
        string requestUri, string decision = "approve", string username = "alice", string password = "sandbox", string otp = "123456", string? accounts = null)
    {
        using var client = Identity();
        var form = new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["request_uri"] = requestUri,
            ["username"] = username,
            ["password"] = password,
            ["otp"] = otp,
            ["decision"] = decision,
        };
        if (accounts is not null)
        {
            form["accounts"] = accounts;
        }

        return await PostAsync(client, "/sandbox/authorize", form);
    }

    public static Dictionary<string, string> QueryOf(string redirect)
    {
        var uri = new Uri(redirect);
        Assert.Equal(RedirectUri, uri.GetLeftPart(UriPartial.Path));
        return QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> RedeemAsync(string code, string verifier, string redirectUri = RedirectUri)
    {
        using var client = Identity();
        return await PostAsync(client, "/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
        });
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> RefreshAsync(string refreshToken)
    {
        using var client = Identity();
        return await PostAsync(client, "/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
        });
    }

    /// <summary>Consent → PAR → headless approval → code exchange: the tokens and the consent id.</summary>
    public async Task<(string ConsentId, JsonElement Tokens)> AuthorisedTokensAsync()
    {
        var consentId = await CreateConsentAsync();
        var pkce = Pkce.Create();
        var requestUri = await PushedRequestUriAsync(consentId, pkce);
        var (status, body) = await AuthoriseHeadlessAsync(requestUri);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var query = QueryOf(body.GetProperty("redirect_uri").GetString()!);
        var (tokenStatus, tokens) = await RedeemAsync(query["code"], pkce.Verifier);
        Assert.True(tokenStatus == HttpStatusCode.OK, tokens.ToString());
        return (consentId, tokens);
    }

    /// <summary>A domestic payment consent (client credentials, scope payments); the raw 201 body.</summary>
    public async Task<JsonElement> CreatePaymentConsentAsync(string initiation, string risk = "{}")
    {
        var (status, body) = await PostBankAsync(await ClientTokenAsync("payments"), "/open-banking/v3.1/pisp/domestic-payment-consents",
            "{\"Data\":{\"Initiation\":" + initiation + "},\"Risk\":" + risk + "}", Guid.NewGuid().ToString("N"));
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return body;
    }

    /// <summary>A JSON POST to the bank, with an idempotency key when given.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PostBankAsync(string accessToken, string path, string json, string? idempotencyKey = null)
    {
        using var client = bank();
        client.DefaultRequestHeaders.Authorization = new("Bearer", accessToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("x-idempotency-key", idempotencyKey);
        }

        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    /// <summary>Consent → PAR (scope) → headless approval → code exchange, for any consent already created.</summary>
    public async Task<JsonElement> AuthoriseConsentAsync(string consentId, string scope, string username = "alice", string? accounts = null)
    {
        var pkce = Pkce.Create();
        var requestUri = await PushedRequestUriAsync(consentId, pkce, scope);
        var (status, body) = await AuthoriseHeadlessAsync(requestUri, username: username, accounts: accounts);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var query = QueryOf(body.GetProperty("redirect_uri").GetString()!);
        Assert.True(query.ContainsKey("code"), body.ToString());
        var (tokenStatus, tokens) = await RedeemAsync(query["code"], pkce.Verifier);
        Assert.True(tokenStatus == HttpStatusCode.OK, tokens.ToString());
        return tokens;
    }

    public async Task<HttpStatusCode> CallAccountsAsync(string accessToken)
    {
        using var client = bank();
        client.DefaultRequestHeaders.Authorization = new("Bearer", accessToken);
        using var response = await client.GetAsync("/open-banking/v3.1/aisp/accounts", Ct);
        return response.StatusCode;
    }

    /// <summary>The token endpoint's URI as a client of <see cref="Identity"/> reaches it: a DPoP proof's <c>htu</c>.</summary>
    public string TokenEndpoint()
    {
        using var client = identity();
        return new Uri(client.BaseAddress!, "/connect/token").AbsoluteUri;
    }

    /// <summary>A token request with a DPoP proof of <paramref name="dpop"/> (none when null); the answer and its <c>DPoP-Nonce</c> header.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body, string? Nonce)> TokenAsync(IDictionary<string, string> form, DpopKey? dpop, string? nonce = null, string? proof = null)
    {
        using var client = Identity();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(form) };
        if ((proof ?? dpop?.Proof("POST", new Uri(client.BaseAddress!, "/connect/token").AbsoluteUri, nonce: nonce)) is { } header)
        {
            request.Headers.Add("DPoP", header);
        }

        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default,
            response.Headers.TryGetValues("DPoP-Nonce", out var values) ? values.Single() : null);
    }

    /// <summary>Client credentials with a DPoP proof: the token response (asserted 200).</summary>
    public async Task<JsonElement> ClientTokenAsync(DpopKey dpop, string scope = "accounts")
    {
        var (status, body, _) = await TokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = scope }, dpop);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return body;
    }

    /// <summary>The code exchange with a DPoP proof.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> RedeemAsync(string code, string verifier, DpopKey? dpop)
    {
        var (status, body, _) = await TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
        }, dpop);
        return (status, body);
    }

    /// <summary>A refresh with a DPoP proof (none when <paramref name="dpop"/> is null).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> RefreshAsync(string refreshToken, DpopKey? dpop)
    {
        var (status, body, _) = await TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
        }, dpop);
        return (status, body);
    }

    /// <summary>Consent → PAR → headless approval → code exchange with a DPoP proof: the tokens and the consent id.</summary>
    public async Task<(string ConsentId, JsonElement Tokens)> AuthorisedTokensAsync(DpopKey dpop)
    {
        var consentId = await CreateConsentAsync();
        var pkce = Pkce.Create();
        var requestUri = await PushedRequestUriAsync(consentId, pkce);
        var (status, body) = await AuthoriseHeadlessAsync(requestUri);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var query = QueryOf(body.GetProperty("redirect_uri").GetString()!);
        var (tokenStatus, tokens) = await RedeemAsync(query["code"], pkce.Verifier, dpop);
        Assert.True(tokenStatus == HttpStatusCode.OK, tokens.ToString());
        return (consentId, tokens);
    }

    /// <summary>
    /// A bank call with <c>Authorization: {scheme} {token}</c> and, when <paramref name="proof"/> is given, a <c>DPoP</c>
    /// header; the response (the caller disposes it).
    /// </summary>
    public async Task<HttpResponseMessage> SendBankAsync(HttpMethod method, string path, string accessToken, string scheme, string? proof, string? json = null)
    {
        // The response is buffered (the default completion option): it outlives the client.
        using var client = bank();
        client.DefaultRequestHeaders.Authorization = new(scheme, accessToken);
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            request.Headers.Add("x-idempotency-key", Guid.NewGuid().ToString("N"));
        }

        if (proof is not null)
        {
            request.Headers.Add("DPoP", proof);
        }

        return await client.SendAsync(request, Ct);
    }

    /// <summary>The absolute URI of <paramref name="path"/> at the bank, as a proof's <c>htu</c> names it.</summary>
    public string BankUri(string path)
    {
        using var client = bank();
        return new Uri(client.BaseAddress!, path).AbsoluteUri;
    }

    /// <summary>The antiforgery token of the first form on a page.</summary>
    public static string AntiforgeryToken(string html)
        => AntiforgeryPattern().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("No antiforgery token on the page.");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryPattern();
}
