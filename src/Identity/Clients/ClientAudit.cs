using System.Security.Claims;
using System.Text;
using System.Text.Json;
using OpenBanking.Identity.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.Clients;

/// <summary>Builds <see cref="ClientAuditEntry"/> rows from the calling service's token and the Portal's acting-user header.</summary>
internal static class ClientAudit
{
    public const string ActingUserHeader = "X-Acting-User";
    public const int MaxActingUserLength = 200;

    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);

    public static void Record(
        IdentityDbContext db, HttpContext httpContext, TimeProvider clock,
        string action, string clientId, string? organisationId, object? details = null)
    {
        db.ClientAudit.Add(new ClientAuditEntry
        {
            At = clock.GetUtcNow(),
            Actor = Truncate(httpContext.User.FindFirstValue(Claims.ClientId) ?? httpContext.User.FindFirstValue(Claims.Subject) ?? "unknown", 100),
            ActingUser = SanitiseActingUser(httpContext.Request.Headers[ActingUserHeader].FirstOrDefault()),
            ClientId = clientId,
            OrganisationId = organisationId,
            Action = action,
            Details = details is null ? null : JsonSerializer.Serialize(details, DetailsJson),
        });
    }

    /// <summary>
    /// The header is the caller's word, shown later to bank admins: control characters (log and display injection)
    /// are dropped and the length is bounded.
    /// </summary>
    internal static string? SanitiseActingUser(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var clean = new StringBuilder(Math.Min(value.Length, MaxActingUserLength));
        foreach (var c in value)
        {
            if (!char.IsControl(c) && c is not '\u2028' and not '\u2029')
            {
                clean.Append(c);
            }
        }

        var result = clean.ToString().Trim();
        return result.Length == 0 ? null : Truncate(result, MaxActingUserLength);
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
