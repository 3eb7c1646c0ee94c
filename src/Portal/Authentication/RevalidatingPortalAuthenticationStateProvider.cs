using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace OpenBanking.Portal.Authentication;

/// <summary>
/// An interactive circuit outlives the request that opened it: every <c>Authentication:RevalidationInterval</c>
/// (5 minutes by default) the signed-in person is checked again (<see cref="UserStanding"/>) and the circuit's user
/// signed out when the session ended, the account was locked or deleted, or an admin lost the role. When Identity
/// cannot be reached the session is kept (admin actions still check Identity themselves and fail closed).
/// </summary>
internal sealed class RevalidatingPortalAuthenticationStateProvider(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IConfiguration configuration)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<RevalidatingPortalAuthenticationStateProvider>();

    protected override TimeSpan RevalidationInterval { get; } = configuration.GetValue("Authentication:RevalidationInterval", TimeSpan.FromMinutes(5));

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            return await scope.ServiceProvider.GetRequiredService<UserStanding>().IsStillValidAsync(authenticationState.User, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or Platform.PlatformServiceException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(exception, "Identity could not confirm user {Subject}; the session is kept until the next check", authenticationState.User.FindFirst("sub")?.Value);
            return true;
        }
    }
}
