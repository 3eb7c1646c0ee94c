using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace OpenBanking.Identity.Customers;

/// <summary>
/// The sandbox bank's test customers sign in here only to authorise consents and manage connected apps. They are
/// not Identity users: the Sandbox checks their password and second factor, and Identity keeps a short cookie
/// session of its own, separate from the partner developers' cookie. A password alone gives only the "pending"
/// cookie, which is good for nothing but the second-factor page.
/// </summary>
public static class CustomerAuthentication
{
    public const string Scheme = "SandboxCustomer";
    public const string PendingScheme = "SandboxCustomer.Pending";

    public const string CustomerIdClaim = "customer_id";
    public const string OrganisationIdClaim = "org_id";
    public const string NameClaim = "name";
    public const string UsernameClaim = "username";

    public const string SignInPath = "/customer/sign-in";

    public static IServiceCollection AddCustomerAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddCookie(Scheme, options =>
            {
                options.Cookie.Name = "__sandbox_customer";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromMinutes(15);
                options.SlidingExpiration = true;
                options.LoginPath = SignInPath;
                options.AccessDeniedPath = SignInPath;
            })
            .AddCookie(PendingScheme, options =>
            {
                options.Cookie.Name = "__sandbox_customer_pending";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromMinutes(5);
                options.SlidingExpiration = false;
                options.LoginPath = SignInPath;
            });
        return services;
    }

    public static ClaimsPrincipal CreatePrincipal(string scheme, string organisationId, string customerId, string name, string username)
        => new(new ClaimsIdentity(
            [
                new Claim(CustomerIdClaim, customerId),
                new Claim(OrganisationIdClaim, organisationId),
                new Claim(NameClaim, name),
                new Claim(UsernameClaim, username.Trim().ToLowerInvariant()),
            ],
            scheme, NameClaim, roleType: null));

    /// <summary>
    /// A partner organisation's id as the platform writes it (a GUID, lower case "D" format), or false for anything
    /// else: sign-in accepts no other form, so made-up or case-changed ids never name a tenant or a lockout of their own.
    /// </summary>
    public static bool TryNormaliseOrganisationId(string? value, out string organisationId)
    {
        organisationId = Guid.TryParse(value?.Trim(), out var id) ? id.ToString("D") : string.Empty;
        return organisationId.Length > 0;
    }

    /// <summary>The signed-in customer (both factors passed), if any.</summary>
    public static async Task<SignedInCustomer?> GetCustomerAsync(this HttpContext httpContext)
    {
        var result = await httpContext.AuthenticateAsync(Scheme);
        return result.Succeeded ? SignedInCustomer.From(result.Principal) : null;
    }

    public static async Task<SignedInCustomer?> GetPendingCustomerAsync(this HttpContext httpContext)
    {
        var result = await httpContext.AuthenticateAsync(PendingScheme);
        return result.Succeeded ? SignedInCustomer.From(result.Principal) : null;
    }
}

public sealed record SignedInCustomer(string OrganisationId, string CustomerId, string Name, string Username = "")
{
    public static SignedInCustomer? From(ClaimsPrincipal? principal)
        => principal?.FindFirstValue(CustomerAuthentication.CustomerIdClaim) is { } customerId
            && principal.FindFirstValue(CustomerAuthentication.OrganisationIdClaim) is { } organisationId
            ? new SignedInCustomer(organisationId, customerId, principal.FindFirstValue(CustomerAuthentication.NameClaim) ?? customerId,
                principal.FindFirstValue(CustomerAuthentication.UsernameClaim) ?? string.Empty)
            : null;
}
