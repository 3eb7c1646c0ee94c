using System.Security.Claims;
using OpenBanking.Gateway.OpenBanking;
using OpenBanking.Shared;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace OpenBanking.Gateway.Proxy;

/// <summary>
/// Applied to every route in code, so configuration cannot forget it: headers a client could use to pose as the
/// platform are dropped (<c>x-ob-*</c>, <c>x-internal-*</c>, <c>x-platform-*</c>, and any <c>X-Forwarded-*</c> it
/// sent is replaced); the trusted ones are set from the validated token. YARP already drops hop-by-hop headers. The
/// bearer token is forwarded: the Sandbox validates it again. On the way back, the Sandbox's error code header is
/// kept for the call log and removed.
/// </summary>
public sealed class HeaderHygiene : ITransformProvider
{
    public const string ClientIdHeader = "x-ob-client-id";
    public const string OrganisationIdHeader = "x-ob-organisation-id";
    public const string ConsentIdHeader = "x-ob-consent-id";
    public const string CustomerHeader = "x-ob-customer";

    private static readonly string[] InternalPrefixes = ["x-ob-", "x-internal-", "x-platform-"];

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        context.UseDefaultForwarders = false;
        context.AddXForwarded(ForwardedTransformActions.Set);
        context.AddRequestHeaderRemove("Forwarded");
        context.AddRequestTransform(static transform =>
        {
            var headers = transform.ProxyRequest.Headers;
            foreach (var name in headers.Select(h => h.Key).Where(IsInternal).ToList())
            {
                headers.Remove(name);
            }

            var user = transform.HttpContext.User;
            if (user.Identity?.IsAuthenticated == true)
            {
                Add(headers, ClientIdHeader, user.FindFirstValue("client_id"));
                Add(headers, OrganisationIdHeader, user.FindFirstValue(PlatformClaims.OrganisationId));
                Add(headers, ConsentIdHeader, user.FindFirstValue(PlatformClaims.ConsentId));
                if (user.FindFirstValue(PlatformClaims.ConsentId) is not null)
                {
                    Add(headers, CustomerHeader, user.FindFirstValue("sub"));
                }

                // The thumbprint of the DPoP key whose proof the gateway verified, for the Sandbox's records.
                Add(headers, PlatformHeaders.DpopJkt, transform.HttpContext.Items[CallItems.DpopJkt] as string);
            }

            return ValueTask.CompletedTask;
        });
        context.AddResponseTransform(static transform =>
        {
            if (transform.ProxyResponse?.Headers.TryGetValues(ObieResponses.ErrorCodeHeader, out var codes) == true)
            {
                transform.HttpContext.Items[ObieResponses.ErrorCodeHeader] = codes.FirstOrDefault();
            }

            transform.HttpContext.Response.Headers.Remove(ObieResponses.ErrorCodeHeader);
            CaptureSecurityOutcome(transform);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>
    /// The Sandbox says how the request's signature fared, which rule a refusal broke and why, in words (internal headers): kept for the
    /// call log, never passed to the client.
    /// </summary>
    private static void CaptureSecurityOutcome(ResponseTransformContext transform)
    {
        var items = transform.HttpContext.Items;
        if (transform.ProxyResponse?.Headers.TryGetValues(PlatformHeaders.SignatureOutcome, out var outcomes) == true)
        {
            var outcome = outcomes.FirstOrDefault() ?? string.Empty;
            var signed = outcome.StartsWith("kid=", StringComparison.Ordinal);
            items[CallItems.Signed] = signed;
            if (signed)
            {
                items[CallItems.SignatureKid] = outcome["kid=".Length..];
            }
        }

        if (transform.ProxyResponse?.Headers.TryGetValues(PlatformHeaders.RefusalRule, out var rules) == true
            && rules.FirstOrDefault() is { Length: > 0 } rule)
        {
            items[CallItems.RefusalRule] = rule;
        }

        if (transform.ProxyResponse?.Headers.TryGetValues(PlatformHeaders.RefusalReason, out var reasons) == true
            && reasons.FirstOrDefault() is { Length: > 0 } reason)
        {
            items[CallItems.RefusalReason] = reason;
        }

        transform.HttpContext.Response.Headers.Remove(PlatformHeaders.SignatureOutcome);
        transform.HttpContext.Response.Headers.Remove(PlatformHeaders.RefusalRule);
        transform.HttpContext.Response.Headers.Remove(PlatformHeaders.RefusalReason);
    }

    private static bool IsInternal(string name) => InternalPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    private static void Add(System.Net.Http.Headers.HttpRequestHeaders headers, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            headers.TryAddWithoutValidation(name, value);
        }
    }
}
