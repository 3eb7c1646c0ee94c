using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using OpenBanking.Gateway.OpenBanking;

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
        if (authorizeResult.Forbidden && ObieResponses.IsOpenBanking(context.Request))
        {
            var reason = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message
                ?? "The access token does not grant this API: check its scope (accounts, payments or fundsconfirmations) and audience.";
            return ObieResponses.WriteErrorAsync(context, StatusCodes.Status403Forbidden, ObieResponses.HeaderInvalid, reason, "Authorization");
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
