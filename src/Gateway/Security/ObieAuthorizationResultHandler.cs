using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using OpenBanking.Gateway.OpenBanking;
using OpenBanking.Shared;

namespace OpenBanking.Gateway.Security;

/// <summary>
/// A refused bank-API call: 401 stays the bearer challenge (<c>WWW-Authenticate</c>, no body); 403 gets the OBIE
/// error body saying why (the scope, or the kind of token), so a developer knows which token to fetch.
/// </summary>
public sealed class ObieAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var reason = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message
            ?? "The access token does not grant this API: check its scope (accounts, payments or fundsconfirmations) and audience.";
        if (authorizeResult.Forbidden)
        {
            // For the call log: a check that refused first (DPoP, signing) keeps its own rule.
            if (context.Items[CallItems.RefusalRule] is null)
            {
                context.Items[CallItems.RefusalRule] = RefusalRules.ScopeMissing;
                context.Items[CallItems.RefusalReason] = reason;
            }

            if (ObieResponses.IsOpenBanking(context.Request))
            {
                return ObieResponses.WriteErrorAsync(context, StatusCodes.Status403Forbidden, ObieResponses.HeaderInvalid, reason, "Authorization");
            }
        }
        else if (authorizeResult.Challenged && context.Items[CallItems.RefusalRule] is null)
        {
            context.Items[CallItems.RefusalRule] = RefusalRules.TokenInvalid;
            context.Items[CallItems.RefusalReason] = "No access token was sent, or it is expired, revoked or not meant for this API.";
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
