using System.Security.Claims;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Clock;

/// <summary>
/// The clock of the tenant a request is about, as a <see cref="TimeProvider"/>: the <c>organisationId</c> route value
/// (internal tenant APIs), else the caller's organisation from its validated access token (bank APIs); real time
/// when the request names no tenant. Code that knows the tenant from the data asks <see cref="TenantClocks"/> instead.
/// Inject this, not <see cref="TimeProvider"/> (which stays real time: token lifetimes, timers).
/// </summary>
public sealed class TenantClock(TenantClocks clocks, IHttpContextAccessor http) : TimeProvider
{
    private string? _organisationId;

    public override DateTimeOffset GetUtcNow()
    {
        // Remembered once found: work of this request may run where the request is not visible (the group committer's thread).
        var organisationId = _organisationId ??= OrganisationOf(http.HttpContext);
        return organisationId is null ? clocks.RealTime.GetUtcNow() : clocks.Now(organisationId);
    }

    /// <summary>Binds this scope to a tenant the request does not name by itself (work run outside a request).</summary>
    public TenantClock For(string organisationId)
    {
        _organisationId = organisationId;
        return this;
    }

    private static string? OrganisationOf(HttpContext? context)
    {
        if (context is null)
        {
            return null;
        }

        // Internal APIs name the tenant in the route (their caller, Identity or the Portal, belongs to none).
        if (context.Request.RouteValues.TryGetValue("organisationId", out var value) && value is string routed)
        {
            return routed;
        }

        return context.User.FindFirstValue(PlatformClaims.OrganisationId);
    }
}
