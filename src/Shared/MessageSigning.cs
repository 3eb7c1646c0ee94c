using System.Text.Json;

namespace OpenBanking.Shared;

/// <summary>
/// The Open Banking message-signing profile (v3.1.4+ and v4.0): a detached compact JWS over the raw body, PS256, with the
/// three OB claims in the protected header and listed in <c>crit</c>; no <c>b64</c>.
/// </summary>
public static class MessageSigning
{
    /// <summary>The only algorithm of message signatures.</summary>
    public const string Algorithm = "PS256";

    /// <summary>When the message was signed: a JSON number of seconds since the epoch, not in the future.</summary>
    public const string IatClaim = "http://openbanking.org.uk/iat";
    /// <summary>Who signed: the TPP's <c>{org-id}/{software-statement-id}</c>, the bank's <c>{org-id}</c>.</summary>
    public const string IssClaim = "http://openbanking.org.uk/iss";
    /// <summary>The trust anchor whose directory vouches for the signer's key.</summary>
    public const string TanClaim = "http://openbanking.org.uk/tan";

    /// <summary>The claims <c>crit</c> must list, exactly.</summary>
    public static readonly IReadOnlyList<string> CriticalClaims = [IatClaim, IssClaim, TanClaim];

    /// <summary>The trust anchor this bank accepts (and names in its own signatures) unless configured otherwise.</summary>
    public const string DefaultTrustAnchor = "openbanking.org.uk";

    /// <summary>DPoP proof algorithms accepted (asymmetric, FAPI 2.0: no RS256, no none).</summary>
    public static readonly IReadOnlyList<string> DpopAlgorithms = ["PS256", "ES256"];

    /// <summary>The TPP's <c>iss</c>: organisation id / software statement id — here the organisation id and the app's client id.</summary>
    public static string TppIssuer(string organisationId, string clientId) => $"{organisationId}/{clientId}";
}

/// <summary>
/// Names of the rules a refused call broke, as the call log records them (<c>RefusalRule</c>) and the docs anchor them.
/// A claim-specific rule appends <c>:&lt;claim&gt;</c>, e.g. <c>signature.invalid-claim:http://openbanking.org.uk/iss</c>.
/// </summary>
public static class RefusalRules
{
    /// <summary>A request that must be signed carried no <c>x-jws-signature</c> (U019).</summary>
    public const string SignatureMissing = "signature.missing";
    /// <summary>The signature is not a detached compact JWS with a JSON header (U018).</summary>
    public const string SignatureMalformed = "signature.malformed";
    /// <summary>A required header member is absent (U017).</summary>
    public const string SignatureMissingClaim = "signature.missing-claim";
    /// <summary>A header member has a value the profile does not allow (U016).</summary>
    public const string SignatureInvalidClaim = "signature.invalid-claim";
    /// <summary>The signature does not verify over the body with the named key (U015).</summary>
    public const string SignatureInvalid = "signature.invalid";
    /// <summary>A signature was sent where none is taken (U020).</summary>
    public const string SignatureUnexpected = "signature.unexpected";

    /// <summary>A DPoP-bound token was presented as a Bearer token.</summary>
    public const string DpopDowngrade = "dpop.downgrade";
    /// <summary>A token without <c>cnf.jkt</c> was presented with the DPoP scheme.</summary>
    public const string DpopUnboundToken = "dpop.unbound-token";
    /// <summary>No DPoP proof, or more than one.</summary>
    public const string DpopMissing = "dpop.missing";
    /// <summary>The proof is not a signed JWT with <c>typ</c> <c>dpop+jwt</c>, an allowed <c>alg</c> and a public <c>jwk</c>, or its signature fails.</summary>
    public const string DpopMalformed = "dpop.malformed";
    /// <summary>A required proof claim is absent.</summary>
    public const string DpopMissingClaim = "dpop.missing-claim";
    /// <summary>The proof's <c>htm</c> is not the request's method.</summary>
    public const string DpopHtm = "dpop.htm";
    /// <summary>The proof's <c>htu</c> is not the request's URI.</summary>
    public const string DpopHtu = "dpop.htu";
    /// <summary>The proof's <c>iat</c> is outside the accepted window.</summary>
    public const string DpopIat = "dpop.iat";
    /// <summary>The proof's <c>ath</c> is not the hash of the presented access token.</summary>
    public const string DpopAth = "dpop.ath";
    /// <summary>The proof's key is not the key the token is bound to.</summary>
    public const string DpopJkt = "dpop.jkt";
    /// <summary>The proof lacks the server's current nonce.</summary>
    public const string DpopNonce = "dpop.nonce";
    /// <summary>The proof's <c>jti</c> was used before.</summary>
    public const string DpopReplay = "dpop.replay";

    /// <summary>The token lacks the scope the route needs (gateway, 403).</summary>
    public const string ScopeMissing = "scope.missing";
    /// <summary>No token, or one that is not valid (gateway, 401).</summary>
    public const string TokenInvalid = "token.invalid";
    /// <summary>The client exceeded its rate limit (gateway, 429 with <c>Retry-After</c>).</summary>
    public const string RateLimited = "rate-limit";
    /// <summary>The request was larger than the gateway accepts (413) or its headers were refused (400).</summary>
    public const string RequestRefused = "request.refused";
    /// <summary>A fault the partner asked for with <c>x-sandbox-simulate</c> (prefix; the fault's name follows).</summary>
    public const string SimulatedPrefix = "simulated.";

    /// <summary>The bank refused a call on the consent's state (prefix; <c>consent.revoked</c>, <c>consent.expired</c>,
    /// <c>consent.status</c>, <c>consent.permission</c>, <c>consent.account</c>, <c>consent.client</c>, … follow).</summary>
    public const string ConsentPrefix = "consent.";
    /// <summary>The bank refused the request's content (prefix; <c>request.field</c>, <c>request.idempotency</c>, …).</summary>
    public const string BankRequestPrefix = "bank.";
}

/// <summary>
/// <c>HttpContext.Items</c> keys through which the security checks tell the call log what they saw (the gateway's
/// <c>CallLogMiddleware</c> reads them when the call ends).
/// </summary>
public static class CallItems
{
    /// <summary><c>string</c>: the kid of the verified request signature.</summary>
    public const string SignatureKid = "call.signature.kid";

    /// <summary><c>bool</c>: whether the route takes a signature and one verified (true) or none was sent (false).</summary>
    public const string Signed = "call.signed";

    /// <summary><c>string</c>: the JWK thumbprint of a verified DPoP proof; present = the call was DPoP-bound.</summary>
    /// <summary>The proof's key is not the key the token is bound to.</summary>
    public const string DpopJkt = "call.dpop.jkt";

    /// <summary><c>string</c>: the <see cref="RefusalRules"/> rule of a refusal.</summary>
    public const string RefusalRule = "call.refusal.rule";

    /// <summary><c>string</c>: why the call was refused, in words (≤ 500 characters), beside <see cref="RefusalRule"/>.</summary>
    public const string RefusalReason = "call.refusal.reason";

    /// <summary><c>string</c>: client id of a token that was refused (the principal is then anonymous), so the refusal is logged for the app.</summary>
    public const string RefusedClientId = "call.refused.client";

    /// <summary><c>string</c>: organisation id of a token that was refused.</summary>
    public const string RefusedOrganisationId = "call.refused.org";
}

/// <summary>
/// A partner app's message-signing and DPoP settings as Identity holds them, for the services that enforce them.
/// <c>MessageSigningJwks</c> is the app's public JWK set for <c>x-jws-signature</c> (separate from any private_key_jwt set).
/// </summary>
public sealed record AppSecurityProfile(
    string ClientId,
    string OrganisationId,
    bool RequireSignedRequests,
    bool RequireDpop,
    JsonElement? MessageSigningJwks,
    DateTimeOffset? KeysUpdatedAt);
