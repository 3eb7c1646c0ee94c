using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using OpenBanking.ServiceDefaults.Authentication;
using OpenBanking.Shared;

namespace OpenBanking.Gateway.Security;

/// <summary>
/// One policy per API and token kind, named by the routes in the <c>ReverseProxy</c> section. Consent creation and
/// reads, and payment status reads, take a client-credentials token (the app acting for itself); account data,
/// payment submission and funds confirmation take a customer token bound to a consent (authorization code).
/// Routes without a policy are refused by the fallback policy.
/// </summary>
public static class GatewayPolicies
{
    public const string AccountsClient = "accounts:client";
    public const string AccountsCustomer = "accounts:customer";
    public const string PaymentsClient = "payments:client";
    public const string PaymentsCustomer = "payments:customer";
    public const string FundsConfirmationsClient = "fundsconfirmations:client";
    public const string FundsConfirmationsCustomer = "fundsconfirmations:customer";
    public const string CallLog = PlatformScopes.GatewayCalls;

    /// <summary>The partner's sandbox controls (<c>/sandbox/v1/…</c>, e.g. the test clock): an app's client-credentials token with any bank-API scope.</summary>
    public const string SandboxClient = "sandbox:client";

    public static AuthorizationBuilder AddGatewayPolicies(this AuthorizationBuilder builder)
    {
        foreach (var scope in PlatformScopes.OpenBanking)
        {
            builder.AddPolicy($"{scope}:client", policy => policy.RequireAuthenticatedUser()
                .RequireClaim("aud", PlatformClaims.OpenBankingAudience)
                .RequireScope(scope)
                .AddRequirements(new TokenKindRequirement(customer: false)));
            builder.AddPolicy($"{scope}:customer", policy => policy.RequireAuthenticatedUser()
                .RequireClaim("aud", PlatformClaims.OpenBankingAudience)
                .RequireScope(scope)
                .AddRequirements(new TokenKindRequirement(customer: true)));
        }

        builder.AddPolicy(SandboxClient, policy => policy.RequireAuthenticatedUser()
            .RequireClaim("aud", PlatformClaims.OpenBankingAudience)
            .RequireAssertion(static context => PlatformScopes.OpenBanking.Any(scope => PlatformAuthentication.HasScope(context.User, scope)))
            .AddRequirements(new TokenKindRequirement(customer: false)));

        builder.AddPolicy(CallLog, policy => policy.RequireAuthenticatedUser()
            .RequireClaim("aud", PlatformClaims.GatewayAudience)
            .RequireScope(PlatformScopes.GatewayCalls));

        // Anything without a policy of its own — a route added to configuration without one — is refused.
        builder.SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireAssertion(static _ => false).Build());
        return builder;
    }

    public static bool IsCustomerToken(ClaimsPrincipal user) => user.FindFirst(PlatformClaims.ConsentId) is not null;
}

/// <summary>A customer token (bound to a consent) or a client-credentials token, as the endpoint demands.</summary>
public sealed class TokenKindRequirement(bool customer) : AuthorizationHandler<TokenKindRequirement>, IAuthorizationRequirement
{
    public bool Customer { get; } = customer;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TokenKindRequirement requirement)
    {
        if (GatewayPolicies.IsCustomerToken(context.User) == requirement.Customer)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, requirement.Customer
                ? "This endpoint needs a customer token bound to an authorised consent (authorization code grant)."
                : "This endpoint needs a client-credentials token, not a customer token."));
        }

        return Task.CompletedTask;
    }
}
