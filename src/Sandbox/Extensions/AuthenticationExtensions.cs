using Microsoft.AspNetCore.Authorization;
using OpenBanking.ServiceDefaults.Authentication;
using OpenBanking.ServiceDefaults.Authentication.Dpop;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Extensions;

/// <summary>
/// Zero trust: the Sandbox validates every bearer token itself (issuer, audience, signature, lifetime), even
/// behind the gateway, and a DPoP-bound token's proof as well.
/// </summary>
internal static class AuthenticationExtensions
{
    public static IHostApplicationBuilder AddSandboxAuthentication(this IHostApplicationBuilder builder)
    {
        // Bank-API tokens and internal tokens; each policy below also demands its own audience and scope.
        builder.AddPlatformJwtBearer(PlatformClaims.OpenBankingAudience, PlatformClaims.SandboxAudience);
        // DPoP binding (key, method, path, token hash, time) without the replay check: the gateway in front did that
        // against the store its instances share, and the Sandbox only sees internal host names, so it compares paths.
        builder.Services.Configure<DpopResourceOptions>(options => options.HtuPathOnly = true);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PlatformScopes.Accounts, policy => policy.RequireAuthenticatedUser()
                .RequireClaim("aud", PlatformClaims.OpenBankingAudience).RequireScope(PlatformScopes.Accounts))
            .AddPolicy(PlatformScopes.Payments, policy => policy.RequireAuthenticatedUser()
                .RequireClaim("aud", PlatformClaims.OpenBankingAudience).RequireScope(PlatformScopes.Payments))
            .AddPolicy(PlatformScopes.FundsConfirmations, policy => policy.RequireAuthenticatedUser()
                .RequireClaim("aud", PlatformClaims.OpenBankingAudience).RequireScope(PlatformScopes.FundsConfirmations))
            // The partner's sandbox controls (the test clock): its app acting for itself, with any bank-API scope.
            .AddPolicy(Clock.ClockApi.SandboxControl, policy => policy.RequireAuthenticatedUser()
                .RequireClaim("aud", PlatformClaims.OpenBankingAudience)
                .RequireAssertion(static context => context.User.FindFirst(PlatformClaims.ConsentId) is null
                    && PlatformScopes.OpenBanking.Any(scope => PlatformAuthentication.HasScope(context.User, scope))))
            .AddPolicy(PlatformScopes.SandboxInternal, policy => policy.RequireAuthenticatedUser()
                .RequireClaim("aud", PlatformClaims.SandboxAudience).RequireScope(PlatformScopes.SandboxInternal));

        return builder;
    }
}
