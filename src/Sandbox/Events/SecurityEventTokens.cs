using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Signing;

namespace OpenBanking.Sandbox.Events;

/// <summary>What one SET says. One event per SET; <see cref="Links"/> are the resource's URLs in every version that reads it.</summary>
public sealed record SetClaims(
    string Jti,
    string Audience,
    string EventType,
    string ResourceType,
    string ResourceId,
    string Subject,
    IReadOnlyList<SetLink> Links,
    string Transaction,
    DateTimeOffset OccurredAt,
    DateTimeOffset IssuedAt,
    string? Reason = null);

/// <summary>An <c>OBEventLink1</c>: a version ("v3.1") and the resource's URL in it.</summary>
public sealed record SetLink(string Version, string Link);

/// <summary>A signed SET and the key that signed it.</summary>
public sealed record SignedSet(string Token, string Kid);

/// <summary>
/// Builds and signs Security Event Tokens exactly as OBEventNotification1 has them: <c>iss iat jti aud sub txn toe
/// events</c> and nothing else (no <c>exp</c>: the schema forbids more claims), signed PS256 by the bank's active key with
/// its <c>kid</c> in the header and <c>typ: secevent+jwt</c> (RFC 8417).
/// </summary>
public sealed class SecurityEventTokens(BankSigningKeys keys, IOptions<EventOptions> events, IOptions<OpenBankingOptions> openBanking)
{
    public const string SubjectType = "http://openbanking.org.uk/rid_http://openbanking.org.uk/rty";
    public const string TokenType = "secevent+jwt";
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>The SETs' issuer: configured, else the gateway's public base URL.</summary>
    public string Issuer => events.Value.Issuer ?? openBanking.Value.PublicBaseUrl.TrimEnd('/');

    public async Task<SignedSet> SignAsync(SetClaims claims, CancellationToken cancellationToken = default)
    {
        var key = await keys.ActiveAsync(cancellationToken);
        var token = Handler.CreateToken(Payload(claims), key.Credentials, new Dictionary<string, object> { [JwtHeaderParameterNames.Typ] = TokenType });
        return new SignedSet(token, key.Kid);
    }

    /// <summary>The claims as JSON, in the order the spec lists them.</summary>
    public string Payload(SetClaims claims)
    {
        var subject = new JsonObject
        {
            ["subject_type"] = SubjectType,
            ["http://openbanking.org.uk/rid"] = claims.ResourceId,
            ["http://openbanking.org.uk/rty"] = claims.ResourceType,
            ["http://openbanking.org.uk/rlk"] = new JsonArray(claims.Links.Select(l => (JsonNode)new JsonObject { ["version"] = l.Version, ["link"] = l.Link }).ToArray()),
        };
        var @event = new JsonObject { ["subject"] = subject };
        if (claims.Reason is not null)
        {
            @event["reason"] = claims.Reason;
        }

        var payload = new JsonObject
        {
            ["iss"] = Issuer,
            ["iat"] = claims.IssuedAt.ToUnixTimeSeconds(),
            ["jti"] = claims.Jti,
            ["aud"] = claims.Audience,
            ["sub"] = claims.Subject,
            ["txn"] = claims.Transaction,
            ["toe"] = claims.OccurredAt.ToUnixTimeSeconds(),
            ["events"] = new JsonObject { [claims.EventType] = @event },
        };
        return payload.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
