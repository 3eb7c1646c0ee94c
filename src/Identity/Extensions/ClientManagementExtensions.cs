using System.Security.Claims;
using OpenBanking.Identity.Clients;
using OpenBanking.ServiceDefaults.Authentication;
using OpenBanking.Shared;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;

namespace OpenBanking.Identity.Extensions;

/// <summary>
/// Identity as a resource server for its own internal API: tokens it issued itself, validated in-process (no HTTP
/// round trip to its own discovery document), accepted only with audience <c>identity</c> and scope
/// <c>identity.clients</c>. Also wires the server-side part of client management: suspended apps get nothing.
/// </summary>
internal static class ClientManagementExtensions
{
    public const string PolicyName = PlatformScopes.IdentityClients;

    /// <summary>Read-only: an app's security profile (message-signing keys, flags) for the Sandbox.</summary>
    public const string ReadPolicyName = PlatformScopes.IdentityClientsRead;

    public static IHostApplicationBuilder AddClientManagement(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenIddict()
            .AddServer(options => options.AddEventHandler(RejectSuspendedClients.Descriptor))
            .AddValidation(options =>
            {
                options.UseLocalServer();
                options.UseAspNetCore();
                options.AddAudiences(PlatformClaims.IdentityAudience);
            });

        // The policy names its scheme: the default scheme is ASP.NET Core Identity's cookie, which must never
        // open this API.
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PolicyName, policy => policy
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context =>
                    HasAudience(context.User, PlatformClaims.IdentityAudience)
                    && HasScope(context.User, PlatformScopes.IdentityClients)))
            .AddPolicy(ReadPolicyName, policy => policy
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context =>
                    HasAudience(context.User, PlatformClaims.IdentityAudience)
                    // Reading is part of managing: the Portal (identity.clients) reads the whole key set to add or
                    // remove one key; the Sandbox gets the read-only scope and nothing more.
                    && (HasScope(context.User, PlatformScopes.IdentityClientsRead) || HasScope(context.User, PlatformScopes.IdentityClients))));

        // Development makes minimal APIs throw on an unreadable body; without this the exception handler would
        // answer 500. Bad input is a 400, whatever the environment.
        builder.Services.Configure<ExceptionHandlerOptions>(options => options.StatusCodeSelector ??= static exception =>
            exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);

        return builder;
    }

    private static bool HasAudience(ClaimsPrincipal user, string audience)
        => user.HasAudience(audience) || user.FindAll(OpenIddictConstants.Claims.Audience).Any(c => c.Value == audience);

    // OpenIddict may map the token's space-separated "scope" claim to its private claims, or leave it as it is.
    private static bool HasScope(ClaimsPrincipal user, string scope)
        => user.HasScope(scope) || PlatformAuthentication.HasScope(user, scope);
}
