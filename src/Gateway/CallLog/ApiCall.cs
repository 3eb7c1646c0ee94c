namespace OpenBanking.Gateway.CallLog;

/// <summary>One call through the gateway, as the partner's call log shows it.</summary>
public sealed class ApiCall
{
    public long Id { get; set; }

    /// <summary>When the call arrived, UTC (a plain UTC DateTime: SQLite orders and compares those, not offsets).</summary>
    public DateTime Timestamp { get; set; }

    public string? ClientId { get; set; }

    public string? OrganisationId { get; set; }

    public required string Method { get; set; }

    /// <summary>The route template (ids as placeholders), used to group calls per endpoint.</summary>
    public string? RouteTemplate { get; set; }

    public required string Path { get; set; }

    public int StatusCode { get; set; }

    /// <summary>Time from the first byte in to the last byte out, in microseconds.</summary>
    public long DurationMicroseconds { get; set; }

    public string? InteractionId { get; set; }

    /// <summary>The first error code of an error response: <c>UK.OBIE.*</c> on v3.1.11, the four-character <c>U0xx</c> on v4.0.</summary>
    public string? ErrorCode { get; set; }

    public long RequestBytes { get; set; }

    public long ResponseBytes { get; set; }

    /// <summary>
    /// Whether the request carried a verified <c>x-jws-signature</c>: null on routes that take none, false when the route
    /// takes one and none was sent (or it was refused), true when it verified.
    /// </summary>
    public bool? Signed { get; set; }

    /// <summary>The <c>kid</c> of the app's key that signed the request.</summary>
    public string? SignatureKid { get; set; }

    /// <summary>Whether the call presented a DPoP-bound token with a valid proof.</summary>
    public bool DpopBound { get; set; }

    /// <summary>The JWK thumbprint (RFC 7638) of the DPoP proof's key.</summary>
    public string? DpopJkt { get; set; }

    /// <summary>The rule a refused call broke (<c>signature.invalid-claim:…</c>, <c>dpop.ath</c>, …), for the partner's diagnosis.</summary>
    public string? RefusalRule { get; set; }

    /// <summary>Whether the client sent its own <c>x-fapi-interaction-id</c> (null outside the bank APIs); when it did not, <see cref="InteractionId"/> is the one the gateway made.</summary>
    public bool? InteractionIdSent { get; set; }

    /// <summary>The consent the call used (the token's <c>consent_id</c>), named (the path's <c>{ConsentId}</c>) or created (a 201's <c>Data.ConsentId</c>).</summary>
    public string? ConsentId { get; set; }

    /// <summary>The request's <c>x-idempotency-key</c>, as sent.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>The <c>Retry-After</c> seconds of a 429 or 503 answer.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>Why the call was refused, in words (the gateway's own, or the bank's <c>x-ob-refusal-reason</c>).</summary>
    public string? RefusalReason { get; set; }

    /// <summary>Spec-lint problems found; null while not linted (queued, sampled out, or lint off).</summary>
    public int? ProblemCount { get; set; }
}
