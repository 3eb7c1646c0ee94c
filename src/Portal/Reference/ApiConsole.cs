using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using OpenBanking.Portal.Extensions;
using OpenBanking.Shared;

namespace OpenBanking.Portal.Reference;

/// <summary>An app's sandbox credentials, as the developer pasted them. Held in memory only, for one circuit.</summary>
public sealed record ApiCredentials(string ClientId, string ClientSecret);

/// <summary>One HTTP call the console made, as the page shows it: secrets masked, the response body as received.</summary>
public sealed record HttpExchange(
    string Method,
    string Url,
    IReadOnlyList<KeyValuePair<string, string>> RequestHeaders,
    string? RequestBody,
    int? Status,
    string? Reason,
    IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders,
    string? ResponseBody,
    string? InteractionId,
    TimeSpan Duration,
    string? Error)
{
    /// <summary>The response body as JSON, when it is JSON.</summary>
    public JsonNode? Json { get; init; }

    /// <summary>The response's HTTP version, for the status line (<c>HTTP/1.1 200 OK</c>).</summary>
    public Version? HttpVersion { get; init; }

    /// <summary>Whether the body was cut at the size the page shows.</summary>
    public bool Truncated { get; init; }

    /// <summary>What the console did besides the call itself (e.g. retried once with the server's DPoP nonce).</summary>
    public string? Note { get; init; }

    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>An OAuth error (<c>error</c>, <c>error_description</c>) or an OBIE error body, in one line.</summary>
    public string? ErrorSummary
    {
        get
        {
            if (Error is not null)
            {
                return Error;
            }

            if (IsSuccess || Json is not JsonObject body)
            {
                return IsSuccess ? null : Status is null ? null : $"{Status} {Reason}";
            }

            if (body["error"] is JsonValue oauthError)
            {
                return body["error_description"] is JsonValue description ? $"{oauthError}: {description}" : oauthError.ToString();
            }

            if (body["Errors"] is JsonArray errors && errors.Count > 0)
            {
                return string.Join("; ", errors.OfType<JsonObject>().Select(e =>
                    $"{e["ErrorCode"]}{(e["Path"] is { } path ? $" ({path})" : string.Empty)}: {e["Message"]}"));
            }

            return $"{Status} {Reason}";
        }
    }

    public string? Value(params string[] path)
    {
        JsonNode? node = Json;
        foreach (var segment in path)
        {
            node = node is JsonObject obj ? obj[segment] : null;
        }

        return node is JsonValue value ? value.ToString() : null;
    }
}

/// <summary>A proof key (RFC 7636) with its S256 challenge.</summary>
public sealed record PkcePair(string Verifier, string Challenge)
{
    public static PkcePair Create()
    {
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return new PkcePair(verifier, WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }
}

/// <summary>
/// Makes real calls from the Portal's server to Identity and the Gateway with an app's sandbox credentials, for the
/// API reference's try-it console. It never throws for what the platform answers or for an unreachable service: every
/// call comes back as an <see cref="HttpExchange"/>. Requests go only to the two platform services found through service
/// discovery; from the gateway only paths under a version's API prefix (<see cref="ObieVersion.GatewayPrefix"/>) — the
/// user cannot aim it anywhere else.
/// </summary>
public sealed class ApiConsole(IHttpClientFactory httpClientFactory, IOptions<PlatformOptions> platform, ConsoleAccess access, ConsoleSession session)
{
    public const string IdentityClientName = "api-console-identity";
    public const string GatewayClientName = "api-console-gateway";
    /// <summary>The gateway paths the console may call: the Open Banking APIs of every version the bank serves.</summary>
    public static readonly IReadOnlyList<string> GatewayPrefixes = [.. ObieVersion.All.Select(v => v.GatewayPrefix)];

    private static readonly string OnlyUnderPrefixes =
        "Only paths under " + string.Join(" or ", GatewayPrefixes) + " of the gateway can be called from here.";
    public const string Masked = "••••••••";

    private const int MaxBodyChars = 200_000;
    private static readonly string[] SecretFormFields = ["password", "client_secret", "client_assertion"];

    /// <summary>POST {identity}/connect/token, client credentials grant.</summary>
    public Task<HttpExchange> ClientCredentialsTokenAsync(ApiCredentials credentials, string scope, CancellationToken ct)
        => PostFormAsync(credentials, "/connect/token", new()
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = scope,
        }, ct);

    /// <summary>POST {identity}/connect/par: the pushed authorization request naming the consent.</summary>
    public Task<HttpExchange> PushAuthorizationRequestAsync(
        ApiCredentials credentials, string redirectUri, string scope, string consentId, string state, string nonce, PkcePair pkce, CancellationToken ct)
        => PostFormAsync(credentials, "/connect/par", new()
        {
            ["response_type"] = "code",
            ["client_id"] = credentials.ClientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = scope,
            ["state"] = state,
            ["nonce"] = nonce,
            ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = "S256",
            ["consent_id"] = consentId,
        }, ct);

    /// <summary>POST {identity}/sandbox/authorize: the test customer signs in and decides, without a browser.</summary>
    public Task<HttpExchange> SandboxAuthorizeAsync(
        ApiCredentials credentials, string requestUri, string username, string password, string otp, bool approve, CancellationToken ct)
        => PostFormAsync(credentials, "/sandbox/authorize", new()
        {
            ["client_id"] = credentials.ClientId,
            ["request_uri"] = requestUri,
            ["username"] = username,
            ["password"] = password,
            ["otp"] = otp,
            ["decision"] = approve ? "approve" : "deny",
        }, ct);

    /// <summary>POST {identity}/connect/token, authorization code grant with the PKCE verifier.</summary>
    public Task<HttpExchange> ExchangeCodeAsync(ApiCredentials credentials, string code, string redirectUri, string codeVerifier, CancellationToken ct)
        => PostFormAsync(credentials, "/connect/token", new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = codeVerifier,
        }, ct);

    /// <summary>The <c>code</c> (or <c>error</c>) in the redirect URI the sandbox authorisation answered with.</summary>
    public static IReadOnlyDictionary<string, string> RedirectParameters(string? redirectUri)
    {
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri))
        {
            return new Dictionary<string, string>();
        }

        return QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
    }

    /// <summary>Why a path may not be sent to the gateway, or null when it may.</summary>
    public static string? ValidateGatewayPath(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return "Enter the path of an Open Banking API operation.";
        }

        var pathOnly = path.Split('?', 2)[0];
        if (!UnderPrefix(path)
            || path.Contains("//", StringComparison.Ordinal)
            || path.Contains('\\', StringComparison.Ordinal)
            || path.Contains('#', StringComparison.Ordinal)
            || path.Contains('@', StringComparison.Ordinal)
            || pathOnly.Split('/').Any(segment => segment is "." or ".." || Uri.UnescapeDataString(segment) is "." or ".." || Uri.UnescapeDataString(segment).Contains('/', StringComparison.Ordinal))
            || path.Any(char.IsControl)
            || path.Any(char.IsWhiteSpace))
        {
            return OnlyUnderPrefixes;
        }

        return null;
    }

    /// <summary>
    /// Calls the gateway with the token: as <c>Bearer</c>, or as <c>DPoP</c> with a proof when the token is bound to the
    /// console's DPoP key (one retry with the server's nonce if it asks for one). Signs the body (<c>x-jws-signature</c>)
    /// of a POST/PUT/PATCH to a payment, VRP or event-subscription endpoint when the session signs. Adds an
    /// <c>x-fapi-interaction-id</c> unless one is given.
    /// </summary>
    public async Task<HttpExchange> CallGatewayAsync(
        string method, string path, string accessToken, string? jsonBody, IReadOnlyDictionary<string, string>? headers, CancellationToken ct)
    {
        var client = httpClientFactory.CreateClient(GatewayClientName);
        var invalid = ValidateGatewayPath(path);
        if (invalid is not null || !TryGatewayUri(client, path, out var uri))
        {
            return Refused(method, path, invalid ?? OnlyUnderPrefixes);
        }

        var httpMethod = new HttpMethod(method.ToUpperInvariant());
        var body = jsonBody is not null && httpMethod != HttpMethod.Get && httpMethod != HttpMethod.Delete ? Encoding.UTF8.GetBytes(jsonBody) : null;
        // The signature covers the bytes exactly as sent, so the body goes as these bytes.
        var signature = body is not null && session.Signs && TakesSignature(httpMethod.Method, path)
            ? ObSigning.SignBody(body, session.SigningKey, session.SigningKid, session.OrganisationId!, session.ClientId.Trim())
            : null;
        var dpop = session.IsDpopBound(accessToken);
        var shownUrl = new Uri(platform.Value.GatewayUrl, path.TrimStart('/'));
        var interactionId = Guid.NewGuid().ToString();

        HttpRequestMessage Build(string? nonce)
        {
            var request = new HttpRequestMessage(httpMethod, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue(dpop ? "DPoP" : "Bearer", accessToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                // Authorization, DPoP, the signature, Host and framing headers are the console's to set, never the user's.
                if (!string.IsNullOrWhiteSpace(value) && !IsReservedHeader(name))
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }

            if (!request.Headers.Contains(PlatformHeaders.InteractionId))
            {
                request.Headers.Add(PlatformHeaders.InteractionId, interactionId);
            }

            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            }

            if (signature is not null)
            {
                request.Headers.Add(PlatformHeaders.JwsSignature, signature);
            }

            if (dpop)
            {
                // htu names the gateway's public address (without query), as a partner's own code would.
                request.Headers.Add(PlatformHeaders.Dpop, ObSigning.DpopProof(session.DpopKey, httpMethod.Method, shownUrl, accessToken, nonce));
            }

            return request;
        }

        return await SendWithNonceAsync(client, Build, retry: dpop, body is null ? null : jsonBody, shownUrl.ToString(), ct);
    }

    /// <summary>
    /// Whether Open Banking wants a signature on this request: a body sent to a payment (domestic, scheduled, standing
    /// order, international, VRP — all under <c>/pisp/</c>) or event-subscription endpoint. AIS, CBPII and event polling never.
    /// </summary>
    public static bool TakesSignature(string method, string path)
    {
        if (method.ToUpperInvariant() is not ("POST" or "PUT" or "PATCH"))
        {
            return false;
        }

        var pathOnly = path.Split('?', 2)[0];
        return pathOnly.Contains("/pisp/", StringComparison.Ordinal) || pathOnly.Contains("/event-subscriptions", StringComparison.Ordinal);
    }

    /// <summary>Sends; when the server asks for a DPoP nonce (RFC 9449 §8, §9) sends once more with it.</summary>
    private async Task<HttpExchange> SendWithNonceAsync(
        HttpClient client, Func<string?, HttpRequestMessage> build, bool retry, string? shownBody, string shownUrl, CancellationToken ct)
    {
        HttpExchange exchange;
        using (var request = build(null))
        {
            exchange = await SendAsync(client, request, shownBody, shownUrl, ct);
        }

        if (!retry || NonceAskedFor(exchange) is not { } nonce)
        {
            return exchange;
        }

        using var again = build(nonce);
        return await SendAsync(client, again, shownBody, shownUrl, ct) with
        {
            Note = $"The first try was answered {exchange.Status} use_dpop_nonce; this retry's proof carries the server's nonce.",
        };
    }

    /// <summary>The server's nonce when the answer is <c>use_dpop_nonce</c> (a 400 body at the token endpoint, a 401 challenge at the gateway).</summary>
    private static string? NonceAskedFor(HttpExchange exchange)
    {
        var nonce = exchange.ResponseHeaders.FirstOrDefault(h => h.Key.Equals(PlatformHeaders.DpopNonce, StringComparison.OrdinalIgnoreCase)).Value;
        if (string.IsNullOrEmpty(nonce) || exchange.Status is not (400 or 401))
        {
            return null;
        }

        var asked = exchange.Value("error") == "use_dpop_nonce"
            || exchange.ResponseHeaders.Any(h => h.Key.Equals("WWW-Authenticate", StringComparison.OrdinalIgnoreCase)
                                                 && h.Value.Contains("use_dpop_nonce", StringComparison.Ordinal));
        return asked ? nonce : null;
    }

    private static bool IsReservedHeader(string name)
        => name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
           || name.Equals(PlatformHeaders.Dpop, StringComparison.OrdinalIgnoreCase)
           || name.Equals(PlatformHeaders.JwsSignature, StringComparison.OrdinalIgnoreCase)
           || name.Equals("Host", StringComparison.OrdinalIgnoreCase)
           || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
           || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
           || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
           || name.Equals("Cookie", StringComparison.OrdinalIgnoreCase);

    private static bool TryGatewayUri(HttpClient client, string path, out Uri uri)
    {
        var baseAddress = client.BaseAddress ?? new Uri("http://" + PlatformServices.Gateway);
        uri = new Uri(baseAddress, path);
        // Belt and braces: whatever the path held, the request stays on the gateway and under the API prefix.
        return uri.Scheme == baseAddress.Scheme
               && string.Equals(uri.Authority, baseAddress.Authority, StringComparison.OrdinalIgnoreCase)
               && UnderPrefix(uri.AbsolutePath);
    }

    private static bool UnderPrefix(string path) => GatewayPrefixes.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal));

    private async Task<HttpExchange> PostFormAsync(ApiCredentials credentials, string path, Dictionary<string, string> form, CancellationToken ct)
    {
        var client = httpClientFactory.CreateClient(IdentityClientName);
        var baseAddress = client.BaseAddress ?? new Uri("http://" + PlatformServices.Identity);
        var shownUrl = new Uri(platform.Value.IdentityUrl, path.TrimStart('/'));
        // DPoP at the token endpoint (RFC 9449 §5): a proof for POST and the endpoint's public address, no ath.
        var dpop = session.UseDpop && path == "/connect/token";

        HttpRequestMessage Build(string? nonce)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, path))
            {
                Content = new FormUrlEncodedContent(form),
            };
            // client_secret_basic: RFC 6749 §2.3.1 form-encodes id and secret before base64.
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
                $"{Uri.EscapeDataString(credentials.ClientId)}:{Uri.EscapeDataString(credentials.ClientSecret)}")));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (dpop)
            {
                request.Headers.Add(PlatformHeaders.Dpop, ObSigning.DpopProof(session.DpopKey, "POST", shownUrl, nonce: nonce));
            }

            return request;
        }

        var shownBody = string.Join("&", form.Select(f =>
            $"{f.Key}={(SecretFormFields.Contains(f.Key) ? Masked : Uri.EscapeDataString(f.Value))}"));
        var exchange = await SendWithNonceAsync(client, Build, retry: dpop, shownBody, shownUrl.ToString(), ct);
        if (dpop && exchange.IsSuccess && string.Equals(exchange.Value("token_type"), "DPoP", StringComparison.OrdinalIgnoreCase)
            && exchange.Value("access_token") is { } token)
        {
            session.RememberDpopBound(token);
        }

        return exchange;
    }

    private async Task<HttpExchange> SendAsync(HttpClient client, HttpRequestMessage request, string? shownBody, string shownUrl, CancellationToken ct)
    {
        // Every call the console relays passes here: signed-in people only, within their rate limit.
        if (await access.RefuseAsync(request.Method.Method, shownUrl) is { } refusal)
        {
            return refusal;
        }

        var requestHeaders = ShownHeaders(request.Headers, request.Content?.Headers);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var json = TryParse(text);
            var interactionId = response.Headers.TryGetValues(PlatformHeaders.InteractionId, out var ids) ? ids.FirstOrDefault() : null;
            return new HttpExchange(
                request.Method.Method, shownUrl, requestHeaders, shownBody,
                (int)response.StatusCode, response.ReasonPhrase,
                ShownHeaders(response.Headers, response.Content.Headers),
                // Exactly as sent: re-serialising would change characters (+00:00 became \u002B00:00). The page indents
                // it for reading by whitespace alone (JsonLayout).
                Truncate(text),
                interactionId, elapsed, null)
            {
                Json = json,
                HttpVersion = response.Version,
                Truncated = text.Length > MaxBodyChars,
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            var reason = ex is OperationCanceledException
                ? ct.IsCancellationRequested ? "The call was cancelled." : "The service did not answer in time."
                : $"The service could not be reached ({(ex as HttpRequestException)?.HttpRequestError.ToString() ?? "network error"}).";
            return new HttpExchange(request.Method.Method, shownUrl, requestHeaders, shownBody, null, null, [], null, null,
                Stopwatch.GetElapsedTime(started), reason);
        }
    }

    private static HttpExchange Refused(string method, string path, string reason)
        => new(method.ToUpperInvariant(), path, [], null, null, null, [], null, null, TimeSpan.Zero, reason);

    private static List<KeyValuePair<string, string>> ShownHeaders(HttpHeaders headers, HttpHeaders? contentHeaders)
        => headers.Concat(contentHeaders ?? (IEnumerable<KeyValuePair<string, IEnumerable<string>>>)[])
            .Select(h => new KeyValuePair<string, string>(h.Key, Mask(h.Key, string.Join(", ", h.Value))))
            .ToList();

    /// <summary>An Authorization value with its credential hidden: the scheme stays, the token or secret does not.</summary>
    public static string Mask(string header, string value)
    {
        if (!header.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        var space = value.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? value[..space] + " " + Masked : Masked;
    }

    private static JsonNode? TryParse(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length == 0 || (trimmed[0] != '{' && trimmed[0] != '['))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Truncate(string text)
        => text.Length == 0 ? null : text.Length > MaxBodyChars ? text[..MaxBodyChars] + "\n… (truncated)" : text;
}
