namespace OpenBanking.Shared;

/// <summary>HTTP header names the gateway and the Sandbox agree on.</summary>
public static class PlatformHeaders
{
    /// <summary>The FAPI interaction id every bank-API response carries.</summary>
    public const string InteractionId = "x-fapi-interaction-id";

    /// <summary>The first <c>UK.OBIE.*</c> code of a Sandbox error response, for the gateway's call log; the gateway strips it.</summary>
    public const string ObieErrorCode = "x-obie-error-code";

    /// <summary>The detached JWS (PS256) over a request or response body, per the Open Banking message-signing rules.</summary>
    public const string JwsSignature = "x-jws-signature";

    /// <summary>The DPoP proof of RFC 9449 (a JWT, <c>typ</c> <c>dpop+jwt</c>), on token requests and resource calls.</summary>
    public const string Dpop = "DPoP";

    /// <summary>A server-provided nonce the next DPoP proof must carry (RFC 9449 §8, §9).</summary>
    public const string DpopNonce = "DPoP-Nonce";

    /// <summary>
    /// Internal, Sandbox → gateway: how the request's <c>x-jws-signature</c> fared (<c>kid=&lt;kid&gt;</c> when it verified,
    /// <c>none</c> when the route takes one and none was sent); absent when the route takes no signature. Stripped by the gateway.
    /// </summary>
    public const string SignatureOutcome = "x-ob-signature";

    /// <summary>Internal, Sandbox → gateway: the rule a refused request broke (see <see cref="RefusalRules"/>). Stripped by the gateway.</summary>
    public const string RefusalRule = "x-ob-refusal-rule";

    /// <summary>Internal, gateway → Sandbox: the JWK thumbprint of the verified DPoP proof (set only by the gateway).</summary>
    public const string DpopJkt = "x-ob-dpop-jkt";

    /// <summary>The OBIE idempotency key of a POST (consents, payments).</summary>
    public const string IdempotencyKey = "x-idempotency-key";

    /// <summary>
    /// Sandbox only: asks the gateway to answer with a fault instead of forwarding (<c>rate-limit</c>: 429 with
    /// <c>Retry-After</c>; <c>server-error</c>: 500; <c>unavailable</c>: 503 with <c>Retry-After</c>), so partners can
    /// test their handling and the readiness report can see it.
    /// </summary>
    public const string SandboxSimulate = "x-sandbox-simulate";

    /// <summary>Internal, Sandbox → Gateway: the bank's refusal reason in words, for the call log (stripped before the client).</summary>
    public const string RefusalReason = "x-ob-refusal-reason";
}
