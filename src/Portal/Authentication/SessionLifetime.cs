using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace OpenBanking.Portal.Authentication;

/// <summary>
/// An absolute end to every Portal session (<c>Authentication:SessionLifetime</c>, 12 hours by default): the sliding
/// cookie is renewed while it is used, so without this a session in daily use would never end. The end is stamped
/// once at sign-in into the ticket (renewals keep it) and checked on every request.
/// </summary>
public static class SessionLifetime
{
    /// <summary>The same end as a claim, for the interactive circuit (which sees the principal, not the ticket).</summary>
    public const string EndsAtClaim = "session_ends";

    private const string EndsAtKey = ".session-ends";

    public static Task Stamp(CookieSigningInContext context, TimeSpan lifetime)
    {
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var endsAt = now.Add(lifetime).ToString("O", CultureInfo.InvariantCulture);
        context.Properties.Items[EndsAtKey] = endsAt;
        if (context.Principal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == EndsAtClaim))
        {
            identity.AddClaim(new Claim(EndsAtClaim, endsAt));
        }

        return Task.CompletedTask;
    }

    /// <summary>Whether the session the principal came from has ended (a principal without the stamp has).</summary>
    public static bool HasEnded(ClaimsPrincipal user, DateTimeOffset now)
        => !DateTimeOffset.TryParse(user.FindFirst(EndsAtClaim)?.Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var endsAt) || now >= endsAt;

    public static async Task EnforceAsync(CookieValidatePrincipalContext context)
    {
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!context.Properties.Items.TryGetValue(EndsAtKey, out var value)
            || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var endsAt)
            || now >= endsAt)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
