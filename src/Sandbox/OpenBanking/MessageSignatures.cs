using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Platform;
using OpenBanking.Sandbox.Signing;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.OpenBanking;

/// <summary>How an endpoint takes part in message signing (docs/message-signing.md).</summary>
public enum MessageSigningMode
{
    /// <summary>Payment, VRP, international and event-subscription endpoints: bodies signed both ways.</summary>
    Signed,

    /// <summary>AIS, CBPII and event polling: a request signature is refused (U020), responses are not signed.</summary>
    Refused,
}

/// <summary>Endpoint metadata read by the verification filter and the response-signing middleware.</summary>
public sealed record MessageSigningMetadata(MessageSigningMode Mode)
{
    /// <summary>Whether this request must (or may) carry <c>x-jws-signature</c>: a body-bearing method of a signed endpoint.</summary>
    public bool TakesSignature(string method)
        => Mode == MessageSigningMode.Signed && (HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method));

    public bool SignsResponses => Mode == MessageSigningMode.Signed;
}

/// <summary>
/// The Open Banking message-signing profile at the bank: requests to the signing endpoints carry a detached JWS of
/// their body, checked here before the handler runs (so a refused request changes nothing: no idempotency key is
/// taken, no consent touched); every response of those endpoints is signed by <see cref="ResponseSigning"/>.
/// </summary>
public static class MessageSignatures
{
    /// <summary>Tags a group as a signing one: its POST/PUT/PATCH requests are verified, its responses signed.</summary>
    public static TBuilder WithMessageSigning<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new MessageSigningMetadata(MessageSigningMode.Signed)).AddEndpointFilter(FilterAsync);

    /// <summary>Tags a group that takes no signatures: a request carrying one is refused (U020).</summary>
    public static TBuilder RefuseMessageSignatures<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new MessageSigningMetadata(MessageSigningMode.Refused)).AddEndpointFilter(FilterAsync);

    private static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var metadata = http.GetEndpoint()?.Metadata.GetMetadata<MessageSigningMetadata>();
        if (metadata is not null)
        {
            await http.RequestServices.GetRequiredService<MessageSignatureVerifier>().VerifyAsync(http, metadata, http.RequestAborted);
        }

        return await next(context);
    }
}

/// <summary>
/// Checks one request's <c>x-jws-signature</c> against the calling app's registered keys, in the order of the rules
/// (missing → malformed → missing claim → invalid claim → signature), reporting the first broken one only. The outcome
/// goes to <c>HttpContext.Items</c> (<see cref="CallItems"/>) for the response-signing middleware to tell the gateway.
/// </summary>
public sealed class MessageSignatureVerifier(IAppSecurityDirectory directory, IOptions<MessageSigningOptions> options, TimeProvider clock)
{
    private const string Header = PlatformHeaders.JwsSignature;
    private const string BodyLimitMessage = "The body is too large to be verified.";
    private const int MaxBodyBytes = 1024 * 1024;

    // The members an Open Banking JWS header may have; anything else is refused by name.
    private static readonly HashSet<string> AllowedMembers = new(StringComparer.Ordinal)
    {
        "alg", "kid", "typ", "cty", "crit", MessageSigning.IatClaim, MessageSigning.IssClaim, MessageSigning.TanClaim,
    };

    // One RSA per (kid, modulus): parsing a JWK per request would cost more than the verification itself.
    private readonly ConcurrentDictionary<string, RSA> _keys = new(StringComparer.Ordinal);

    public async Task VerifyAsync(HttpContext http, MessageSigningMetadata metadata, CancellationToken cancellationToken)
    {
        var values = http.Request.Headers[Header];
        var request = http.Request;
        if (!metadata.TakesSignature(request.Method))
        {
            if (values.Count > 0)
            {
                throw Refuse(http, RefusalRules.SignatureUnexpected, ObieErrorCodes.SignatureUnexpected, Header,
                    $"x-jws-signature is not expected on {request.Method} {Template(http)}: only requests with a body to payment and event-subscription endpoints are signed.");
            }

            return;
        }

        var caller = CallerContext.From(http.User);
        AppSecurityProfile? profile;
        try
        {
            profile = await directory.GetAsync(caller.ClientId, refresh: false, cancellationToken);
        }
        catch (AppSecurityUnavailableException)
        {
            throw Unavailable(http);
        }

        http.Items[CallItems.Signed] = false;
        if (values.Count == 0)
        {
            if (profile is { RequireSignedRequests: true })
            {
                throw Refuse(http, RefusalRules.SignatureMissing, ObieErrorCodes.SignatureMissing, Header, KeysOf(profile).Count == 0
                    ? "This app requires signed requests: send x-jws-signature, a detached JWS (PS256) of the body. The app has no message-signing keys yet: register them in the Portal (App → Security). See docs/message-signing.md."
                    : "This app requires signed requests: send x-jws-signature, a detached JWS (PS256) of the body. See docs/message-signing.md.");
            }

            return;
        }

        // A signature that is sent is always verified, required or not: partners can try signing before switching it on.
        if (values.Count > 1)
        {
            throw Malformed(http, "Send one x-jws-signature header, not several.");
        }

        var parts = values[0]!.Split('.');
        if (parts.Length != 3 || parts[1].Length != 0 || parts[0].Length == 0 || parts[2].Length == 0)
        {
            throw Malformed(http, "x-jws-signature must be a detached compact JWS: '<header>..<signature>' (the payload part empty).");
        }

        if (Decode(parts[0]) is not { } headerBytes || ParseObject(headerBytes) is not { } header)
        {
            throw Malformed(http, "The x-jws-signature header is not base64url-encoded JSON.");
        }

        using var _ = header;
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var member in header.RootElement.EnumerateObject())
        {
            if (!members.TryAdd(member.Name, member.Value))
            {
                throw Malformed(http, $"The x-jws-signature header has '{member.Name}' twice.");
            }
        }

        if (Decode(parts[2]) is not { Length: > 0 } signature)
        {
            throw Malformed(http, "The x-jws-signature signature part is not base64url-encoded.");
        }

        foreach (var required in (string[])["alg", "kid", MessageSigning.IatClaim, MessageSigning.IssClaim, MessageSigning.TanClaim, "crit"])
        {
            if (!members.ContainsKey(required))
            {
                throw Refuse(http, $"{RefusalRules.SignatureMissingClaim}:{required}", ObieErrorCodes.SignatureMissingClaim, required,
                    $"The JWS header lacks '{required}'.");
            }
        }

        var alg = members["alg"];
        if (alg.ValueKind != JsonValueKind.String || alg.GetString() != MessageSigning.Algorithm)
        {
            throw InvalidClaim(http, "alg", $"'alg' must be {MessageSigning.Algorithm}; it is {Show(alg)}.");
        }

        if (!IsExactCrit(members["crit"]))
        {
            throw InvalidClaim(http, "crit", $"crit must list exactly {string.Join(", ", MessageSigning.CriticalClaims)}; it is {Show(members["crit"])}.");
        }

        if (members.ContainsKey("b64"))
        {
            throw InvalidClaim(http, "b64", "'b64' must be absent (removed in v3.1.4): the body is signed as base64url, and sent as it is.");
        }

        if (members.Keys.FirstOrDefault(name => !AllowedMembers.Contains(name)) is { } extra)
        {
            throw InvalidClaim(http, extra, $"'{extra}' is not allowed in the JWS header (allowed: alg, kid, typ, cty, crit and the three http://openbanking.org.uk/ claims).");
        }

        if (members.TryGetValue("typ", out var typ) && !(typ.ValueKind == JsonValueKind.String && typ.GetString() == "JOSE"))
        {
            throw InvalidClaim(http, "typ", $"'typ' must be JOSE when present; it is {Show(typ)}.");
        }

        if (members.TryGetValue("cty", out var cty) && !(cty.ValueKind == JsonValueKind.String && cty.GetString() is "json" or "application/json"))
        {
            throw InvalidClaim(http, "cty", $"'cty' must be json or application/json when present; it is {Show(cty)}.");
        }

        var iat = members[MessageSigning.IatClaim];
        if (iat.ValueKind != JsonValueKind.Number || !iat.TryGetInt64(out var issuedAt))
        {
            throw InvalidClaim(http, MessageSigning.IatClaim, $"'{MessageSigning.IatClaim}' must be a JSON number of whole seconds since 1970-01-01T00:00:00Z; it is {Show(iat)}.");
        }

        var now = clock.GetUtcNow();
        if (issuedAt > (now + options.Value.IatSkew).ToUnixTimeSeconds())
        {
            throw InvalidClaim(http, MessageSigning.IatClaim,
                $"'{MessageSigning.IatClaim}' is {issuedAt}, in the future: the bank's time is {now.ToUnixTimeSeconds()} ({(int)options.Value.IatSkew.TotalSeconds} s of clock skew allowed).");
        }

        var expectedIssuer = MessageSigning.TppIssuer(caller.OrganisationId, caller.ClientId);
        var iss = members[MessageSigning.IssClaim];
        if (iss.ValueKind != JsonValueKind.String || iss.GetString() != expectedIssuer)
        {
            throw InvalidClaim(http, MessageSigning.IssClaim, $"'{MessageSigning.IssClaim}' must be '{expectedIssuer}' for this app (organisation id / client id); it is {Show(iss)}.");
        }

        var anchors = options.Value.AcceptedTrustAnchors;
        var tan = members[MessageSigning.TanClaim];
        if (tan.ValueKind != JsonValueKind.String || !anchors.Contains(tan.GetString()!, StringComparer.Ordinal))
        {
            throw InvalidClaim(http, MessageSigning.TanClaim, $"'{MessageSigning.TanClaim}' must be {string.Join(" or ", anchors.Select(a => $"'{a}'"))} (the trust anchor this bank accepts); it is {Show(tan)}.");
        }

        var kidValue = members["kid"];
        if (kidValue.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(kidValue.GetString()))
        {
            throw InvalidClaim(http, "kid", $"'kid' must name one of this app's message-signing keys; it is {Show(kidValue)}.");
        }

        var kid = kidValue.GetString()!;
        var key = FindKey(profile, kid);
        if (key is null)
        {
            // A key added in the Portal a moment ago: read the app's keys again (rate-limited by the directory).
            try
            {
                profile = await directory.GetAsync(caller.ClientId, refresh: true, cancellationToken);
            }
            catch (AppSecurityUnavailableException)
            {
                throw Unavailable(http);
            }

            key = FindKey(profile, kid);
        }

        if (key is null)
        {
            var registered = KeysOf(profile).Select(k => k.Kid).ToList();
            throw InvalidClaim(http, "kid", registered.Count == 0
                ? $"kid '{kid}' is not among this app's message-signing keys: the app has none registered (Portal: App → Security)."
                : $"kid '{kid}' is not among this app's message-signing keys (registered: {string.Join(", ", registered)}).");
        }

        var body = await ReadBodyAsync(http, cancellationToken);
        var input = DetachedJws.SigningInput(parts[0], body);
        if (!Rsa(key.Value).VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss))
        {
            throw Refuse(http, RefusalRules.SignatureInvalid, ObieErrorCodes.SignatureInvalid, Header,
                $"The signature does not verify over the body with key '{kid}' (PS256). Sign base64url(header) + '.' + base64url(body bytes as sent).");
        }

        http.Items[CallItems.Signed] = true;
        http.Items[CallItems.SignatureKid] = kid;
    }

    // The handler reads the body again: keep the bytes and give it a fresh stream over them.
    private static async Task<byte[]> ReadBodyAsync(HttpContext http, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw ObieException.BadRequest(new ObError(ObieErrorCodes.FieldInvalid, BodyLimitMessage));
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.ToArray();
        http.Request.Body = new MemoryStream(bytes, writable: false);
        return bytes;
    }

    private RSA Rsa(JsonElement jwk)
    {
        var n = jwk.GetProperty("n").GetString()!;
        var e = jwk.GetProperty("e").GetString()!;
        return _keys.GetOrAdd(e + "." + n, _ => RSA.Create(new RSAParameters { Modulus = Base64Url.DecodeFromChars(n), Exponent = Base64Url.DecodeFromChars(e) }));
    }

    private static JsonElement? FindKey(AppSecurityProfile? profile, string kid)
        => KeysOf(profile).Where(k => k.Kid == kid).Select(k => (JsonElement?)k.Jwk).FirstOrDefault();

    // Identity validated the set (RSA ≥ 2048, PS256/absent, sig/absent); keys lacking n/e are skipped defensively.
    private static List<(string Kid, JsonElement Jwk)> KeysOf(AppSecurityProfile? profile)
    {
        var keys = new List<(string, JsonElement)>();
        if (profile?.MessageSigningJwks is { ValueKind: JsonValueKind.Object } set
            && set.TryGetProperty("keys", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var key in array.EnumerateArray())
            {
                if (key.ValueKind == JsonValueKind.Object
                    && key.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String
                    && key.TryGetProperty("n", out var n) && n.ValueKind == JsonValueKind.String
                    && key.TryGetProperty("e", out var e) && e.ValueKind == JsonValueKind.String)
                {
                    keys.Add((kid.GetString()!, key));
                }
            }
        }

        return keys;
    }

    private static bool IsExactCrit(JsonElement crit)
    {
        if (crit.ValueKind != JsonValueKind.Array || crit.GetArrayLength() != MessageSigning.CriticalClaims.Count)
        {
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in crit.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !MessageSigning.CriticalClaims.Contains(item.GetString()!) || !seen.Add(item.GetString()!))
            {
                return false;
            }
        }

        return true;
    }

    private static byte[]? Decode(string part)
    {
        // Base64url without padding only (RFC 7515 §2): anything else is not this encoding.
        if (part.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) || part.Length % 4 == 1)
        {
            return null;
        }

        try
        {
            return Base64Url.DecodeFromChars(part);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static JsonDocument? ParseObject(byte[] json)
    {
        try
        {
            var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"'{value.GetString()}'",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Array => JsonSerializer.Serialize(value),
        JsonValueKind.Null => "null",
        _ => $"a JSON {value.ValueKind.ToString().ToLowerInvariant()}",
    };

    private static string Template(HttpContext http)
        => (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? string.Empty;

    private static ObieException Malformed(HttpContext http, string message)
        => Refuse(http, RefusalRules.SignatureMalformed, ObieErrorCodes.SignatureMalformed, Header, message);

    private static ObieException InvalidClaim(HttpContext http, string claim, string message)
        => Refuse(http, $"{RefusalRules.SignatureInvalidClaim}:{claim}", ObieErrorCodes.SignatureInvalidClaim, claim, message);

    private static ObieException Refuse(HttpContext http, string rule, string code, string path, string message)
    {
        http.Items[CallItems.RefusalRule] = rule;
        return ObieException.BadRequest(new ObError(code, message, Path: path));
    }

    // Whether the app must sign cannot be known: refuse for now rather than guess either way (never a 500).
    private static ObieException Unavailable(HttpContext http)
    {
        http.Items[CallItems.RefusalRule] = "signature.unavailable";
        return new ObieException(StatusCodes.Status503ServiceUnavailable, "The bank cannot check message signatures now; retry shortly.",
            [new ObError(ObieErrorCodes.UnexpectedError, "The app's message-signing settings cannot be read now; retry shortly.")]);
    }
}
