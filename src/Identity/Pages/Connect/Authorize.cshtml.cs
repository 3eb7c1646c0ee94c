using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Identity.Accounts;
using OpenBanking.Identity.Infrastructure;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Clients;
using OpenBanking.Identity.Consents;
using OpenBanking.Identity.Customers;
using OpenBanking.Identity.Grants;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.Pages.Connect;

/// <summary>
/// The authorization endpoint's page: OpenIddict has validated the pushed request behind <c>request_uri</c>; this
/// signs the test customer in (both factors), shows what the app asks for, and records the decision.
/// </summary>
public sealed class AuthorizeModel(
    ConsentGrants grants,
    IOpenIddictApplicationManager applications,
    IAuthorizationService authorization,
    UserManager<ApplicationUser> users,
    ReturnUrls returnUrls,
    GrantRecords records) : PageModel
{
    /// <summary>
    /// The Portal page a sign-in started from, which the Portal adds to its authorization request: a sign-up begun from
    /// this sign-in returns there through the Portal's own sign-in entry, which — unlike this request — does not expire.
    /// </summary>
    public const string PortalReturnPathParameter = "portal_return_path";

    public ConsentPrompt Prompt { get; private set; } = null!;

    public SignedInCustomer Customer { get; private set; } = null!;

    public string ClientId { get; private set; } = string.Empty;

    public string RequestUri { get; private set; } = string.Empty;

    [BindProperty]
    public List<string> Accounts { get; set; } = [];

    [BindProperty]
    public string? Decision { get; set; }

    public IReadOnlyList<string> PermissionLines => PermissionText.Describe(Prompt.Consent.Permissions);

    public static string Date(DateTimeOffset value) => value.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));

    /// <summary>The payee's account as a customer recognises it: the last four digits.</summary>
    public static string MaskedPayee(string identification) => "account ending " + identification[^Math.Min(4, identification.Length)..];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await SignInToPortalAsync(ct) is { } portal)
        {
            return portal;
        }

        var started = OidcRequest();
        if ((string?)started[ConsentGrants.ConsentIdParameter] is { Length: > 0 } consentId && started.ClientId is { } clientId)
        {
            await records.StartAsync(consentId, clientId, HttpContext.Request.Query[Parameters.RequestUri].ToString(), JourneyPages.Authorize, ct);
        }

        if (await ResolveAsync(ct) is { } early)
        {
            return early;
        }

        var (prompt, error) = await grants.PrepareAsync(OidcRequest(), Customer, ct);
        if (prompt is null)
        {
            return ForbidClient(Errors.InvalidRequest, error!);
        }

        Prompt = prompt;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await ResolveAsync(ct) is { } early)
        {
            return early;
        }

        if (Decision == "deny")
        {
            var refusal = await grants.DenyAsync(OidcRequest(), Customer, ct);
            if (refusal is null)
            {
                await records.StepAsync(Journey(), JourneySteps.Denied, JourneyPages.Authorize, "The customer denied the consent.");
            }

            return refusal is null
                ? ForbidClient(Errors.AccessDenied, "The customer denied the consent.")
                : ForbidClient(Errors.InvalidRequest, refusal);
        }

        if (Decision != "approve")
        {
            return BadRequest();
        }

        var (prompt, error) = await grants.PrepareAsync(OidcRequest(), Customer, ct);
        if (prompt is null)
        {
            return ForbidClient(Errors.InvalidRequest, error!);
        }

        Prompt = prompt;
        if (Accounts.Count == 0)
        {
            ModelState.AddModelError(nameof(Accounts), prompt.Consent.SingleAccount ? "Choose the account." : "Choose at least one account to share.");
            return Page();
        }

        await records.StepAsync(Journey(), JourneySteps.AccountsChosen, JourneyPages.Authorize, GrantRecordsText.Accounts(Accounts));
        var (principal, refused) = await grants.ApproveAsync(OidcRequest(), Customer, prompt, Accounts, ct);
        if (principal is null)
        {
            ModelState.AddModelError(nameof(Accounts), refused!);
            return Page();
        }

        await records.StepAsync(Journey(), JourneySteps.Approved, JourneyPages.Authorize, Customer.Username is { Length: > 0 } username ? $"Approved by customer {username}." : "Approved by the customer.");
        await grants.IssueCodeAsync(HttpContext, principal, Customer);
        await records.StepAsync(Journey(), JourneySteps.CodeIssued, JourneyPages.Authorize, "An authorization code was sent to the app's redirect URI.");
        return new EmptyResult();
    }

    /// <summary>
    /// The developer portal (a first-party client) signs its user in: the partner's or admin's own session here,
    /// admins only with their second factor enrolled (the account pages' policy). Null for every other client.
    /// </summary>
    private async Task<IActionResult?> SignInToPortalAsync(CancellationToken ct)
    {
        var request = OidcRequest();
        if (request.ClientId is null || await applications.FindByClientIdAsync(request.ClientId, ct) is not { } application
            || !Infrastructure.PortalClientSeeder.IsFirstParty(await applications.GetPropertiesAsync(application, ct)))
        {
            return null;
        }

        var returnUrl = "/connect/authorize" + QueryString.Create(new KeyValuePair<string, string?>[]
        {
            new(Parameters.ClientId, request.ClientId),
            new(Parameters.RequestUri, HttpContext.Request.Query[Parameters.RequestUri].ToString()),
        });
        var session = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!session.Succeeded || await users.GetUserAsync(session.Principal) is not { } user)
        {
            var signUpReturnUrl = returnUrls.PortalSignIn(request.GetParameter(PortalReturnPathParameter)?.ToString());
            return Redirect("/account/login" + QueryString.Create(new KeyValuePair<string, string?>[]
            {
                new("returnUrl", returnUrl),
                new("signUpReturnUrl", signUpReturnUrl),
            }.Where(p => p.Value is not null)));
        }

        if (!(await authorization.AuthorizeAsync(session.Principal, resource: null, AccountPolicies.Member)).Succeeded)
        {
            return Redirect("/account/manage/twofactor" + QueryString.Create("returnUrl", returnUrl));
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id);
        identity.SetClaim(Claims.Name, user.DisplayName ?? user.Email);
        identity.SetClaim(Claims.Email, user.Email);
        identity.SetClaims(Claims.Role, [.. await users.GetRolesAsync(user)]);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(static claim => claim.Type switch
        {
            Claims.Subject => [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.IdentityToken],
        });
        return SignIn(new ClaimsPrincipal(identity), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>Sends the browser to sign in when no customer of this client's tenant is signed in; null when one is.</summary>
    private async Task<IActionResult?> ResolveAsync(CancellationToken ct)
    {
        var request = OidcRequest();
        ClientId = request.ClientId ?? string.Empty;
        RequestUri = (HttpContext.Request.HasFormContentType
            ? HttpContext.Request.Form[Parameters.RequestUri]
            : HttpContext.Request.Query[Parameters.RequestUri]).ToString();

        var application = await applications.FindByClientIdAsync(ClientId, ct);
        var properties = application is null ? null : await applications.GetPropertiesAsync(application, ct);
        if (properties is null || !properties.TryGetValue(PartnerClientProperties.OrganisationId, out var organisation) || organisation.GetString() is not { } organisationId)
        {
            return ForbidClient(Errors.InvalidClient, "The client belongs to no partner organisation.");
        }

        var customer = await HttpContext.GetCustomerAsync();
        if (customer is null || customer.OrganisationId != organisationId)
        {
            // Back to this very request (client_id + request_uri) once both factors are passed.
            var returnUrl = "/connect/authorize" + QueryString.Create(new KeyValuePair<string, string?>[]
            {
                new(Parameters.ClientId, ClientId),
                new(Parameters.RequestUri, RequestUri),
            });
            return Redirect(CustomerAuthentication.SignInPath + QueryString.Create(new KeyValuePair<string, string?>[]
            {
                new("returnUrl", returnUrl),
                new("org", organisationId),
                new("app", ClientId),
            }));
        }

        Customer = customer;
        return null;
    }

    /// <summary>This request's journey (its consent, as the pushed request names it).</summary>
    private JourneyContext? Journey()
        => (string?)OidcRequest()[ConsentGrants.ConsentIdParameter] is { Length: > 0 } consentId
            ? new JourneyContext(consentId, ClientId, GrantRecords.RequestKeyOf(RequestUri))
            : null;

    private OpenIddictRequest OidcRequest() => HttpContext.GetOpenIddictServerRequest()
        ?? throw new InvalidOperationException("The OpenIddict server request cannot be retrieved.");

    private ForbidResult ForbidClient(string error, string description) => Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
}
