using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Customers;
using OpenBanking.Identity.Grants;
using OpenBanking.Identity.Platform;
using OpenIddict.Abstractions;

namespace OpenBanking.Identity.Pages.Customer;

/// <summary>A sandbox test customer's first factor: username and password, checked by the Sandbox bank of the tenant.</summary>
public sealed class SignInModel(SandboxClient sandbox, IOpenIddictApplicationManager applications, SignInThrottle throttle, GrantRecords records) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The partner organisation whose sandbox bank the customer belongs to (set by the consent journey).</summary>
    [BindProperty(SupportsGet = true)]
    [Display(Name = "Sandbox organisation ID")]
    public string? Org { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? App { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Enter your username.")]
    [Display(Name = "Username")]
    public string? Username { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Enter your password.")]
    [DataType(DataType.Password)]
    [Display(Name = "Password")]
    public string? Password { get; set; }

    public string? AppName { get; private set; }

    /// <param name="username">Prefilled when the partner opens a test customer's bank view from the Portal's sandbox page.</param>
    public async Task OnGetAsync(string? username, CancellationToken ct)
    {
        Username = username;
        AppName = await AppNameAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        AppName = await AppNameAsync(ct);
        if (string.IsNullOrWhiteSpace(Org))
        {
            ModelState.AddModelError(nameof(Org), "Enter the sandbox organisation ID.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        // The organisation is a GUID (normalised, so case variants are one tenant); a malformed or unknown one gets
        // the same answer as a wrong password, and never makes the Sandbox create a tenant.
        var journey = await records.FindJourneyAsync(ReturnUrl, ct);
        if (!CustomerAuthentication.TryNormaliseOrganisationId(Org, out var organisationId))
        {
            await records.StepAsync(journey, JourneySteps.SignInFailed, JourneyPages.SignIn, "The sandbox organisation ID was not right.");
            ModelState.AddModelError(string.Empty, WrongCredentialsMessage);
            return Page();
        }

        if (throttle.IsLockedOut(organisationId, Username!))
        {
            await records.StepAsync(journey, JourneySteps.SignInFailed, JourneyPages.SignIn, "Sign-in is locked after too many wrong attempts.");
            ModelState.AddModelError(string.Empty, LockedOutMessage);
            return Page();
        }

        var authentication = await sandbox.AuthenticateAsync(organisationId, Username!, Password!, ct);
        if (authentication.Customer is not { } customer)
        {
            if (authentication.CustomerExists)
            {
                throttle.Failed(organisationId, Username!);
            }

            await records.StepAsync(journey, JourneySteps.SignInFailed, JourneyPages.SignIn,
                authentication.CustomerExists ? "The password was not right." : "No test customer has that username.");
            ModelState.AddModelError(string.Empty, WrongCredentialsMessage);
            return Page();
        }

        await records.StepAsync(journey, JourneySteps.SignedIn, JourneyPages.SignIn, $"Password accepted for {Username!.Trim().ToLowerInvariant()}.");
        await HttpContext.SignInAsync(CustomerAuthentication.PendingScheme,
            CustomerAuthentication.CreatePrincipal(CustomerAuthentication.PendingScheme, organisationId, customer.CustomerId, customer.Name, Username!));
        return RedirectToPage("SecondFactor", new { returnUrl = SafeReturnUrl(ReturnUrl) });
    }

    private async Task<string?> AppNameAsync(CancellationToken ct)
        => App is { Length: > 0 and < 200 } && await applications.FindByClientIdAsync(App, ct) is { } application
            ? await applications.GetDisplayNameAsync(application, ct)
            : null;

    public const string WrongCredentialsMessage = "The username or password is not right.";

    public const string LockedOutMessage = "Too many wrong attempts. Sign-in is locked for 15 minutes.";

    public static string SafeReturnUrl(string? returnUrl)
        => returnUrl is { Length: > 1 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/customer/apps";
}
