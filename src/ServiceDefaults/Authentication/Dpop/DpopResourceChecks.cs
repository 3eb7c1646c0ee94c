using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OpenBanking.Shared;

namespace OpenBanking.ServiceDefaults.Authentication.Dpop;

/// <summary>How a resource server checks DPoP (RFC 9449 §7).</summary>
public sealed class DpopResourceOptions
{
    /// <summary>
    /// The public origin clients call (e.g. https://api.example.com): a proof's <c>htu</c> may name it as well as the
    /// origin this request reached (which behind a proxy without forwarded headers is an internal one).
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Compare only the path of <c>htu</c>: for a service behind the gateway, which sees internal host names (the gateway
    /// has checked the origin already).
    /// </summary>
    public bool HtuPathOnly { get; set; }
}

/// <summary>
/// The JwtBearer events that make a resource server speak DPoP: <c>Authorization: DPoP &lt;token&gt;</c> is read like
/// a bearer token; a token bound by <c>cnf.jkt</c> is accepted only with that scheme and a proof, signed by the bound
/// key, for this very request (<c>htm</c>, <c>htu</c>, <c>ath</c>, <c>iat</c>) and — where an
/// <see cref="IDpopReplayStore"/> is registered (the gateway) — never seen before. A bound token sent as
/// <c>Bearer</c> is refused (no downgrade, §7.2). Refusals are 401s with a <c>WWW-Authenticate: DPoP</c> challenge
/// (§7.1) and no body; the rule broken and the token's app go to <see cref="CallItems"/> for the call log.
/// </summary>
public static class DpopResourceChecks
{
    private const string SchemeItem = "dpop.scheme";
    private const string TokenItem = "dpop.token";
    private const string ErrorItem = "dpop.error";

    /// <summary>Adds the DPoP events to <paramref name="events"/> (chained before nothing: the platform sets no others).</summary>
    public static JwtBearerEvents AddDpop(this JwtBearerEvents events)
    {
        events.OnMessageReceived = MessageReceived;
        events.OnTokenValidated = TokenValidatedAsync;
        events.OnChallenge = Challenge;
        return events;
    }

    private static Task MessageReceived(MessageReceivedContext context)
    {
        string? authorization = context.Request.Headers.Authorization;
        if (authorization is not null && authorization.StartsWith(PlatformHeaders.Dpop + " ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization[(PlatformHeaders.Dpop.Length + 1)..].Trim();
            context.Token = token;
            context.HttpContext.Items[SchemeItem] = true;
            context.HttpContext.Items[TokenItem] = token;
        }

        // Bearer: JwtBearer reads the header itself.
        return Task.CompletedTask;
    }

    private static async Task TokenValidatedAsync(TokenValidatedContext context)
    {
        var http = context.HttpContext;
        var principal = context.Principal!;
        var boundJkt = BoundJkt(principal.FindFirst(PlatformClaims.Confirmation)?.Value);
        var dpopScheme = http.Items.ContainsKey(SchemeItem);

        var refusal = (boundJkt, dpopScheme) switch
        {
            (not null, false) => new Refusal(RefusalRules.DpopDowngrade, "invalid_token",
                "This access token is DPoP-bound: send it as 'Authorization: DPoP <token>' with a DPoP proof."),
            (null, true) => new Refusal(RefusalRules.DpopUnboundToken, "invalid_token",
                "This access token is not DPoP-bound: send it as 'Authorization: Bearer <token>'."),
            (null, false) => null,
            _ => await CheckProofAsync(http, boundJkt!),
        };

        if (refusal is null)
        {
            return;
        }

        http.Items[ErrorItem] = refusal;
        http.Items[CallItems.RefusalRule] = refusal.Rule;
        // The token itself verified: the refusal belongs to its app in the call log.
        http.Items[CallItems.RefusedClientId] = principal.FindFirst("client_id")?.Value;
        http.Items[CallItems.RefusedOrganisationId] = principal.FindFirst(PlatformClaims.OrganisationId)?.Value;
        context.Fail(refusal.Description);
    }

    private static async Task<Refusal?> CheckProofAsync(HttpContext http, string boundJkt)
    {
        var proofs = http.Request.Headers[PlatformHeaders.Dpop];
        if (proofs.Count != 1 || string.IsNullOrEmpty(proofs[0]))
        {
            return new Refusal(RefusalRules.DpopMissing, DpopProofResult.InvalidProof,
                proofs.Count == 0 ? "Send a DPoP proof for this request in the DPoP header." : "Send exactly one DPoP header.");
        }

        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptions<DpopResourceOptions>>().Value;
        var request = http.Request;
        var uris = new List<string>(2) { $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}" };
        if (options.PublicBaseUrl is { Length: > 0 } publicBase)
        {
            uris.Add(publicBase.TrimEnd('/') + request.PathBase + request.Path);
        }

        var validator = services.GetRequiredService<DpopProofValidator>();
        var result = validator.Validate(new DpopProofRequest(proofs[0]!, request.Method, uris,
            AccessToken: (string)http.Items[TokenItem]!, BoundJkt: boundJkt, HtuPathOnly: options.HtuPathOnly));
        if (!result.Succeeded)
        {
            return new Refusal(result.Rule!, result.Error!, result.Message!);
        }

        if (services.GetService<IDpopReplayStore>() is { } replays)
        {
            var window = validator.ProofWindow;
            if (!await replays.TryRecordAsync(result.Jkt!, result.Jti!, (result.Iat + window.Lifetime + window.ClockSkew).UtcDateTime, http.RequestAborted))
            {
                return new Refusal(RefusalRules.DpopReplay, DpopProofResult.InvalidProof,
                    "This DPoP proof (jti) was already used: make a fresh proof for each request.");
            }
        }

        http.Items[CallItems.DpopJkt] = result.Jkt;
        return null;
    }

    private static Task Challenge(JwtBearerChallengeContext context)
    {
        var http = context.HttpContext;
        if (http.Items[ErrorItem] is not Refusal refusal)
        {
            if (!http.Items.ContainsKey(SchemeItem))
            {
                // A Bearer request (or none): JwtBearer's own challenge.
                return Task.CompletedTask;
            }

            // A DPoP-scheme token that did not validate (expired, wrong audience, bad signature).
            refusal = new Refusal(null, "invalid_token", "The access token is not valid (expired, not for this API, or its signature fails): get a new one.");
        }

        context.HandleResponse();
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.Append(HeaderNames.WWWAuthenticate,
            $"DPoP error=\"{refusal.Error}\", error_description=\"{refusal.Description.Replace("\"", "'", StringComparison.Ordinal)}\", algs=\"{DpopProofValidator.Algorithms}\"");
        return Task.CompletedTask;
    }

    /// <summary>The <c>jkt</c> of a <c>cnf</c> claim's JSON (<c>{"jkt":"…"}</c>); null when absent.</summary>
    private static string? BoundJkt(string? cnf)
    {
        if (string.IsNullOrEmpty(cnf))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(cnf);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(PlatformClaims.ConfirmationJkt, out var jkt) && jkt.ValueKind == JsonValueKind.String
                ? jkt.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Refusal(string? Rule, string Error, string Description);
}
